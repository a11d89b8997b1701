// Customers (/admin/contacts): look a person up by email and see everything that happened to
// that address, in every store.
import type { FastifyInstance } from 'fastify';
import { contactHistory } from '../../sync-log/contact-history.ts';
import { listNamer } from '../../use-cases/list-names.ts';
import { queryField } from './form.ts';
import type { OwnerRouteOptions } from './route-options.ts';
import { renderPage } from './pages.ts';

const MAX_EMAIL_LENGTH = 320;

export async function contactRoutes(app: FastifyInstance, options: OwnerRouteOptions): Promise<void> {
  const { services, ownerOnly } = options;

  app.get('/admin/contacts', { preHandler: ownerOnly }, async (request, reply) => {
    const email = queryField(request.query, 'email')?.trim();
    if (email) return reply.redirect(`/admin/contacts/${encodeURIComponent(email)}`, 303);
    return renderPage(request, reply, 'contact-search', { title: 'Customers', section: 'contacts' });
  });

  app.get<{ Params: { email: string } }>('/admin/contacts/:email', { preHandler: ownerOnly }, async (request, reply) => {
    const email = request.params.email.trim().slice(0, MAX_EMAIL_LENGTH);
    const [history, stores] = await Promise.all([
      contactHistory(services.repositories, email, await listNamer(services.zoho.catalog)),
      services.repositories.stores.list(),
    ]);
    return renderPage(request, reply, 'contact', {
      title: email,
      section: 'contacts',
      wide: true,
      history,
      showStore: stores.length > 1,
      logHref: `/admin/events?${new URLSearchParams({ q: email }).toString()}`,
    });
  });
}
