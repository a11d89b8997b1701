// Customers (/admin/contacts): look a person up by email and see everything that happened to
// that address, in every store; send one of them to Zoho again ("Sync this customer now"); and
// forget them (erasure), after a confirmation.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StoreRepository } from '../../db/stores.ts';
import type { SyncLogReader } from '../../sync-log/reader.ts';
import type { ListNamer } from '../../use-cases/list-names.ts';
import { describeForgetting, ForgetUnsubscribeError, type ForgetOptions, type ForgetReport } from '../../use-cases/forget-person.ts';
import type { SyncContactNow } from '../../use-cases/sync-contact-now.ts';
import { formField, queryField } from './form.ts';
import type { OwnerOnly } from './route-options.ts';
import { renderPage } from './pages.ts';
import { setFlash } from './session.ts';

const MAX_EMAIL_LENGTH = 320;

export interface ContactRouteOptions extends OwnerOnly {
  syncLog: SyncLogReader;
  stores: Pick<StoreRepository, 'list'>;
  forgetPerson: (email: string, options: ForgetOptions) => Promise<ForgetReport>;
  /** Zoho list names, for saying which lists a forgotten person left. */
  listNamer: () => Promise<ListNamer>;
  syncContactNow: Pick<SyncContactNow, 'contact'>;
}

export async function contactRoutes(app: FastifyInstance, options: ContactRouteOptions): Promise<void> {
  const { syncLog, stores: storeList, forgetPerson, listNamer, syncContactNow, ownerOnly } = options;

  app.get('/admin/contacts', { preHandler: ownerOnly }, async (request, reply) => {
    const email = queryField(request.query, 'email')?.trim();
    if (email) return reply.redirect(`/admin/contacts/${encodeURIComponent(email)}`, 303);
    return renderPage(request, reply, 'contact-search', { title: 'Customers', section: 'contacts' });
  });

  app.get<{ Params: { email: string } }>('/admin/contacts/:email', { preHandler: ownerOnly }, async (request, reply) => {
    const email = emailOf(request.params.email);
    const [history, stores] = await Promise.all([syncLog.contactHistory(email), storeList.list()]);
    return renderPage(request, reply, 'contact', {
      title: email,
      section: 'contacts',
      wide: true,
      history,
      showStore: stores.length > 1,
      logHref: `/admin/events?${new URLSearchParams({ q: email }).toString()}`,
      forgetHref: `${contactHref(email)}/forget`,
    });
  });

  // The form on each customer's card: their store and their key there.
  app.post<{ Params: { email: string } }>('/admin/contacts/:email/sync', { preHandler: ownerOnly }, async (request, reply) => {
    const ref = { storeId: formField(request.body, 'store'), customerKey: formField(request.body, 'contact') };
    const result = await syncContactNow.contact(ref);
    if (!result.ok) {
      setFlash(request, 'The bridge has no details of that customer stored, so there was nothing to send.');
    } else {
      if (!result.queued)
        request.log.warn(
          { storeId: ref.storeId, eventIds: result.eventIds.map(String) },
          'Sync requested, but the queue could not be reached; the sweeper queues it',
        );
      request.log.info({ storeId: ref.storeId, eventIds: result.eventIds.map(String) }, 'Owner asked to sync a customer now');
      setFlash(
        request,
        'On its way: this customer’s newest details go to Zoho in a moment, through the usual queue. The first change listed below shows how it went.',
      );
    }
    return reply.redirect(contactHref(emailOf(request.params.email)), 303);
  });

  // Erasure: a confirmation page, then the same use case as the CLI and the API.
  app.get<{ Params: { email: string } }>('/admin/contacts/:email/forget', { preHandler: ownerOnly }, async (request, reply) => {
    return renderForget(request, reply, emailOf(request.params.email), { unsubscribe: true });
  });

  app.post<{ Params: { email: string } }>('/admin/contacts/:email/forget', { preHandler: ownerOnly }, async (request, reply) => {
    const email = emailOf(request.params.email);
    const unsubscribe = formField(request.body, 'unsubscribe') === 'yes';
    try {
      const report = await forgetPerson(email, { unsubscribeFromZoho: unsubscribe });
      request.log.info({ ...report, unsubscribedFrom: report.unsubscribedFrom.length }, 'Owner had a person forgotten');
      const summary = describeForgetting(report, await listNamer());
      return renderPage(request, reply, 'contact-forgotten', { title: 'Forgotten', section: 'contacts', summary });
    } catch (error) {
      if (!(error instanceof ForgetUnsubscribeError)) throw error;
      return renderForget(request, reply, email, { unsubscribe, error: error.message }, 502);
    }
  });
}

function renderForget(request: FastifyRequest, reply: FastifyReply, email: string, state: { unsubscribe: boolean; error?: string }, status = 200) {
  const page = { title: 'Forget this person?', section: 'contacts', email, backHref: contactHref(email), actionHref: `${contactHref(email)}/forget`, ...state };
  return renderPage(request, reply, 'contact-forget', page, status);
}

function emailOf(param: string): string {
  return param.trim().slice(0, MAX_EMAIL_LENGTH);
}

function contactHref(email: string): string {
  return `/admin/contacts/${encodeURIComponent(email)}`;
}
