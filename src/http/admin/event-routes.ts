// One change in the sync log (/admin/events/:id): the WooCommerce delivery, what was sent to Zoho,
// every call with Zoho's answer, and the Retry and Discard buttons when it failed.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StoreRepository } from '../../db/stores.ts';
import type { SyncLogReader } from '../../sync-log/reader.ts';
import type { ActionResult, EventActions } from '../../use-cases/event-actions.ts';
import type { OwnerOnly } from './route-options.ts';
import { renderPage, safeNextPath } from './pages.ts';
import { customerEditUrl, subscriptionEditUrl } from '../../woocommerce/admin-links.ts';
import { setFlash } from './session.ts';

const ID = /^\d{1,18}$/;

export interface EventRouteOptions extends OwnerOnly {
  syncLog: SyncLogReader;
  eventActions: EventActions;
  stores: Pick<StoreRepository, 'list'>;
}

export async function eventRoutes(app: FastifyInstance, options: EventRouteOptions): Promise<void> {
  const { syncLog, eventActions: actions, stores: storeList, ownerOnly } = options;

  app.get<{ Params: { id: string } }>('/admin/events/:id', { preHandler: ownerOnly }, async (request, reply) => {
    const detail = ID.test(request.params.id) ? await syncLog.detail(BigInt(request.params.id)) : undefined;
    if (!detail) return notFound(request, reply);
    const stores = await storeList.list();
    const storeUrl = stores.find((store) => store.id === detail.row.storeId)?.url;
    return renderPage(request, reply, 'event', {
      title: `Change #${detail.row.id}`,
      section: 'log',
      wide: true,
      detail,
      showStore: stores.length > 1,
      customerEditUrl: customerEditUrl(storeUrl, detail.row.person.customerId),
      subscriptionEditUrl: subscriptionEditUrl(storeUrl, detail.row.person.subscriptionId),
    });
  });

  app.post<{ Params: { id: string } }>('/admin/events/:id/retry', { preHandler: ownerOnly }, async (request, reply) => {
    if (!ID.test(request.params.id)) return notFound(request, reply);
    const result = await actions.retry(BigInt(request.params.id));
    request.log.info({ eventId: request.params.id, result }, 'Owner retried a change');
    // Retry on a row of the log (or a customer's page) comes back to that page.
    const next = (request.body as Record<string, unknown> | undefined)?.next;
    if (typeof next === 'string' && result !== 'not_found') {
      setFlash(
        request,
        result === 'done'
          ? `Change #${request.params.id} is being sent to Zoho again; its row shows the outcome in a few seconds.`
          : `Change #${request.params.id} has not failed (any more): nothing to retry.`,
      );
      return reply.redirect(safeNextPath(next), 303);
    }
    return afterAction(request, reply, result, 'Sent to Zoho again. The outcome appears below in a few seconds.');
  });

  app.post<{ Params: { id: string } }>('/admin/events/:id/discard', { preHandler: ownerOnly }, async (request, reply) => {
    if (!ID.test(request.params.id)) return notFound(request, reply);
    const result = await actions.discard(BigInt(request.params.id));
    request.log.info({ eventId: request.params.id, result }, 'Owner discarded a change');
    return afterAction(request, reply, result, 'Discarded: the bridge will not send this change to Zoho.');
  });
}

function afterAction(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, result: ActionResult, done: string) {
  if (result === 'not_found') return notFound(request, reply);
  setFlash(request, result === 'done' ? done : 'Nothing to do: this change has not failed (any more). Its current state is shown below.');
  return reply.redirect(`/admin/events/${request.params.id}`, 303);
}

function notFound(request: FastifyRequest, reply: FastifyReply) {
  return renderPage(
    request,
    reply,
    'error',
    {
      title: 'No such change',
      message: 'The sync log has no change with this number. It may be a mistyped link.',
      backTo: '/admin/events',
    },
    404,
  );
}
