// Customers (/admin/contacts): look a person up by email and see everything that happened to
// that address, in every store.
import type { FastifyInstance } from 'fastify';
import type { StoreRepository } from '../../db/stores.ts';
import type { SyncLogReader } from '../../sync-log/reader.ts';
import { queryField } from './form.ts';
import type { OwnerOnly } from './route-options.ts';
import { renderPage } from './pages.ts';

const MAX_EMAIL_LENGTH = 320;

export interface ContactRouteOptions extends OwnerOnly {
  syncLog: SyncLogReader;
  stores: Pick<StoreRepository, 'list'>;
}

export async function contactRoutes(app: FastifyInstance, options: ContactRouteOptions): Promise<void> {
  const { syncLog, stores: storeList, ownerOnly } = options;

  app.get('/admin/contacts', { preHandler: ownerOnly }, async (request, reply) => {
    const email = queryField(request.query, 'email')?.trim();
    if (email) return reply.redirect(`/admin/contacts/${encodeURIComponent(email)}`, 303);
    return renderPage(request, reply, 'contact-search', { title: 'Customers', section: 'contacts' });
  });

  app.get<{ Params: { email: string } }>('/admin/contacts/:email', { preHandler: ownerOnly }, async (request, reply) => {
    const email = request.params.email.trim().slice(0, MAX_EMAIL_LENGTH);
    const [history, stores] = await Promise.all([syncLog.contactHistory(email), storeList.list()]);
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
