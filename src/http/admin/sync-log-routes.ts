// The sync log at /admin/events: filters, keyset pages, and "retry all failed changes shown",
// which first says how many and asks to confirm.
import type { FastifyInstance } from 'fastify';
import type { StoreRepository } from '../../db/stores.ts';
import { filterFrom, filterParams, isFiltered, type EventFilter } from '../../sync-log/event-filter.ts';
import { STATUS_CHOICES, TOPIC_LABELS } from '../../sync-log/explanations.ts';
import type { SyncLogReader } from '../../sync-log/reader.ts';
import type { EventActions } from '../../use-cases/event-actions.ts';
import type { OwnerOnly } from './route-options.ts';
import { renderPage, timeZoneOf } from './pages.ts';
import { setFlash } from './session.ts';

export interface SyncLogRouteOptions extends OwnerOnly {
  syncLog: SyncLogReader;
  eventActions: EventActions;
  stores: Pick<StoreRepository, 'list'>;
}

export async function syncLogRoutes(app: FastifyInstance, options: SyncLogRouteOptions): Promise<void> {
  const { syncLog: log, eventActions: actions, stores: storeList, ownerOnly } = options;

  app.get('/admin/events', { preHandler: ownerOnly }, async (request, reply) => {
    const query = request.query as Record<string, unknown>;
    const filter = { ...filterFrom(query), timeZone: timeZoneOf(request) };
    const [page, stores, failedCount] = await Promise.all([
      log.page(filter, { before: cursor(query.before), after: cursor(query.after) }),
      storeList.list(),
      actions.countFailed(filter),
    ]);
    return renderPage(request, reply, 'sync-log', {
      title: 'Sync log',
      section: 'log',
      wide: true,
      filter,
      filtered: isFiltered(filter),
      statusChoices: STATUS_CHOICES,
      topics: Object.entries(TOPIC_LABELS).map(([value, label]) => ({ value, label })),
      stores: stores.map((store) => ({ id: store.id, name: store.name })),
      page,
      newerHref: page.newer && logHref(filter, { after: page.newer }),
      olderHref: page.older && logHref(filter, { before: page.older }),
      failedCount,
      retryHref: `/admin/events/retry${queryOf(filter)}`,
      csvHref: `/admin/events.csv${queryOf(filter)}`,
      failedCsvHref: `/admin/events.csv${queryOf({ ...filter, status: 'failed' })}`,
    });
  });

  app.get('/admin/events/retry', { preHandler: ownerOnly }, async (request, reply) => {
    const filter = { ...filterFrom(request.query), timeZone: timeZoneOf(request) };
    return renderPage(request, reply, 'retry-confirm', {
      title: 'Retry failed changes',
      section: 'log',
      filter,
      filtered: isFiltered(filter),
      count: await actions.countFailed(filter),
      backHref: logHref(filter, {}),
    });
  });

  app.post('/admin/events/retry', { preHandler: ownerOnly }, async (request, reply) => {
    const filter = { ...filterFrom(request.body), timeZone: timeZoneOf(request) };
    const retried = await actions.retryMatching(filter);
    request.log.info({ retried }, 'Owner retried the failed changes matching a filter');
    setFlash(
      request,
      retried === 0
        ? 'There was no failed change to retry (any more).'
        : `${retried} failed ${retried === 1 ? 'change is' : 'changes are'} being sent to Zoho again. Their new outcome appears here in a few seconds.`,
    );
    return reply.redirect(logHref({ ...filter, status: filter.status === 'failed' ? undefined : filter.status }, {}), 303);
  });
}

export function logHref(filter: EventFilter, page: { before?: string; after?: string }): string {
  const params = filterParams(filter);
  if (page.before) params.set('before', page.before);
  if (page.after) params.set('after', page.after);
  const query = params.toString();
  return `/admin/events${query ? `?${query}` : ''}`;
}

function queryOf(filter: EventFilter): string {
  const query = filterParams(filter).toString();
  return query ? `?${query}` : '';
}

function cursor(value: unknown): bigint | undefined {
  return typeof value === 'string' && /^\d{1,18}$/.test(value) ? BigInt(value) : undefined;
}
