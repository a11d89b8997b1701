// Small JSON answers for the live parts of the owner's pages (assets/live.js, docs/dashboard.md):
// each names the fields a page marked with data-field and what they now say. Owner-only like the
// pages; a session that ended gets the sign-in page, which live.js takes as "stop".
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import type { BridgeHealth } from '../../use-cases/bridge-health.ts';
import { formatNumber } from '../../readable.ts';
import type { LogRow } from '../../sync-log/sync-log.ts';

/** A page asks about at most this many changes at once (a log page shows 50, the API's 200). */
export const LIVE_IDS_MAX = 200;

export interface LiveField {
  text?: string;
  tone?: string;
  hidden?: boolean;
  value?: number;
  max?: number;
  href?: string;
}
export type LiveFields = Record<string, LiveField | string | number>;

export interface LiveRouteOptions {
  ownerOnly: preHandlerAsyncHookHandler;
  /** The sync log's rows for these changes, as the pages show them. */
  eventRows: (ids: bigint[]) => Promise<LogRow[]>;
  /** The overview's numbers. */
  health: () => Promise<BridgeHealth>;
}

export async function liveRoutes(app: FastifyInstance, options: LiveRouteOptions): Promise<void> {
  const { ownerOnly, eventRows, health } = options;

  app.get('/admin/live/events', { preHandler: ownerOnly }, async (request, reply) => {
    const ids = idsFrom((request.query as Record<string, unknown>).ids);
    const rows = await eventRows(ids);
    return reply.type('application/json; charset=utf-8').send({ fields: eventFields(rows) });
  });

  app.get('/admin/live/overview', { preHandler: ownerOnly }, async (_request, reply) => {
    return reply.type('application/json; charset=utf-8').send({ fields: overviewFields(await health()) });
  });
}

/** The overview's counts per store, and the queue, as the page words them. */
export function overviewFields(health: BridgeHealth): LiveFields {
  const fields: LiveFields = {};
  for (const store of health.stores) {
    const id = store.storeId;
    fields[`sent-${id}`] = formatNumber(store.sentToday);
    fields[`failed-${id}`] = { text: formatNumber(store.failed), tone: store.failed > 0 ? 'bad' : 'neutral' };
    fields[`waiting-${id}`] = { text: formatNumber(store.waiting), tone: store.waiting > 0 ? 'wait' : 'neutral' };
    fields[`inline-${id}`] = formatNumber(store.inLine);
  }
  if (health.queue) {
    fields.queue = `${formatNumber(health.queue.waiting)} jobs waiting, ${health.queue.running} being sent, ${formatNumber(health.queue.scheduled)} scheduled (retries, imports).`;
  }
  return fields;
}

/** What a change's status shows, wherever it is on a page: the badge, the sentence, Retry. */
export function eventFields(rows: LogRow[]): LiveFields {
  const fields: LiveFields = {};
  for (const row of rows) {
    fields[`status-${row.id}`] = { text: row.statusLabel, tone: row.tone };
    fields[`explain-${row.id}`] = row.explanation;
    fields[`retry-${row.id}`] = { hidden: row.status !== 'failed' };
  }
  return fields;
}

function idsFrom(value: unknown): bigint[] {
  if (typeof value !== 'string') return [];
  const ids = value
    .split(',')
    .filter((part) => /^\d{1,18}$/.test(part))
    .slice(0, LIVE_IDS_MAX);
  return [...new Set(ids)].map((id) => BigInt(id));
}
