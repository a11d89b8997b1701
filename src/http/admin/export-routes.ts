// CSV downloads of the sync log (/admin/events.csv with the log's filters): streamed a page of rows
// at a time, up to a documented cap (src/owner/csv-export.ts).
import { Readable } from 'node:stream';
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { filterFrom, type EventFilter } from '../../sync-log/event-filter.ts';
import { timeZoneOf } from './pages.ts';

export interface ExportRouteOptions {
  ownerOnly: preHandlerAsyncHookHandler;
  /** The filtered sync log as CSV lines (times in the filter's zone too). */
  syncLogCsv: (filter: EventFilter) => Promise<AsyncIterable<string>>;
}

export async function exportRoutes(app: FastifyInstance, options: ExportRouteOptions): Promise<void> {
  const { ownerOnly, syncLogCsv } = options;

  app.get('/admin/events.csv', { preHandler: ownerOnly }, async (request, reply) => {
    const filter = { ...filterFrom(request.query), timeZone: timeZoneOf(request) };
    const day = new Date().toISOString().slice(0, 10);
    const name = filter.status === 'failed' ? `failed-changes-${day}.csv` : `sync-log-${day}.csv`;
    request.log.info({ filter: { ...filter, q: filter.q ? '(search)' : undefined } }, 'Owner exported the sync log');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="${name}"`)
      .send(Readable.from(await syncLogCsv(filter)));
  });
}
