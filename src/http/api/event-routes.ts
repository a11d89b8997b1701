// /api/v1/events: the sync log, one change, and retrying or discarding failed changes.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { filterFrom } from '../../sync-log/event-filter.ts';
import type { SyncLogReader } from '../../sync-log/reader.ts';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../../sync-log/sync-log.ts';
import type { EventActions } from '../../use-cases/event-actions.ts';
import { eventDetailJson, eventRowJson } from './present.ts';
import { actionResultSchema, eventDetailSchema, eventPageSchema, filterProperties, idParams, problemSchema } from './schemas.ts';

const TAG = ['Sync log'];

export interface EventApiOptions {
  syncLog: SyncLogReader;
  eventActions: EventActions;
}

export async function eventApiRoutes(app: FastifyInstance, options: EventApiOptions): Promise<void> {
  const { syncLog: log, eventActions: actions } = options;
  const missing = (reply: FastifyReply) => reply.code(404).send({ ok: false, error: 'not_found', message: 'No change with this id.' });

  app.get(
    '/events',
    {
      schema: {
        tags: TAG,
        summary: 'The sync log, newest first',
        querystring: {
          type: 'object',
          properties: {
            ...filterProperties,
            before: { type: 'string', pattern: '^[0-9]{1,18}$', description: 'The nextCursor of the previous page.' },
            limit: { type: 'integer', minimum: 1, maximum: MAX_PAGE_SIZE, default: DEFAULT_PAGE_SIZE },
          },
          additionalProperties: false,
        },
        response: { 200: eventPageSchema, 400: problemSchema, 401: problemSchema },
      },
    },
    async (request) => {
      const query = request.query as Record<string, unknown> & { before?: string; limit: number };
      const page = await log.page(filterFrom(query), { before: query.before ? BigInt(query.before) : undefined, limit: query.limit });
      return { events: page.rows.map(eventRowJson), total: page.total.count, totalIsCapped: page.total.capped, nextCursor: page.older ?? null };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/events/:id',
    {
      schema: {
        tags: TAG,
        summary: 'One change: the delivery, what was sent and every call to Zoho',
        params: idParams,
        response: { 200: eventDetailSchema, 404: problemSchema, 401: problemSchema },
      },
    },
    async (request, reply) => {
      const detail = await log.detail(BigInt(request.params.id));
      return detail ? eventDetailJson(detail) : missing(reply);
    },
  );

  app.post<{ Params: { id: string } }>(
    '/events/:id/retry',
    {
      schema: {
        tags: TAG,
        summary: 'Retry a failed change',
        description: 'Queues it again; the customer’s newest details are sent. 409 when it has not failed.',
        params: idParams,
        response: { 202: actionResultSchema, 404: problemSchema, 409: problemSchema, 401: problemSchema },
      },
    },
    async (request, reply) => {
      const id = BigInt(request.params.id);
      const result = await actions.retry(id);
      if (result === 'not_found') return missing(reply);
      if (result === 'not_failed') return reply.code(409).send({ ok: false, error: 'not_failed', message: 'Only failed changes can be retried.' });
      const row = await log.row(id);
      return reply.code(202).send({ ok: true, message: 'Queued; the outcome appears in GET /events/{id} within seconds.', event: eventRowJson(row!) });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/events/:id/discard',
    {
      schema: {
        tags: TAG,
        summary: 'Discard a failed change',
        description: 'Marks it as dealt with (status skipped); nothing is sent to Zoho. 409 when it has not failed.',
        params: idParams,
        response: { 200: actionResultSchema, 404: problemSchema, 409: problemSchema, 401: problemSchema },
      },
    },
    async (request, reply) => {
      const id = BigInt(request.params.id);
      const result = await actions.discard(id);
      if (result === 'not_found') return missing(reply);
      if (result === 'not_failed') return reply.code(409).send({ ok: false, error: 'not_failed', message: 'Only failed changes can be discarded.' });
      return { ok: true, message: 'Discarded.', event: eventRowJson((await log.row(id))!) };
    },
  );

  app.post(
    '/events/retry',
    {
      // A request without a body means "no filter": every failed change.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: TAG,
        summary: 'Retry every failed change matching a filter',
        description: 'With dryRun, only counts them. An empty filter matches every failed change.',
        body: {
          type: 'object',
          properties: { ...filterProperties, dryRun: { type: 'boolean', default: false } },
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { matched: { type: 'integer' }, retried: { type: 'integer' } }, required: ['matched', 'retried'] },
          400: problemSchema,
          401: problemSchema,
        },
      },
    },
    async (request) => {
      const body = (request.body ?? {}) as Record<string, unknown> & { dryRun?: boolean };
      const filter = filterFrom(body);
      if (body.dryRun) return { matched: await actions.countFailed(filter), retried: 0 };
      const retried = await actions.retryMatching(filter);
      return { matched: retried, retried };
    },
  );
}
