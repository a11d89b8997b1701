// POST /api/v1/contacts/:email/sync: "Sync this customer now" for other programs. Queues the
// newest stored state of every customer with the address (in one store, when given); each becomes
// a change in the sync log, answered here as it stands.
import type { FastifyInstance } from 'fastify';
import type { SyncLogReader } from '../../sync-log/reader.ts';
import type { SyncContactNow } from '../../use-cases/sync-contact-now.ts';
import { eventRowJson } from './present.ts';
import { eventRowSchema, problemSchema } from './schemas.ts';

export interface ContactActionApiOptions {
  syncLog: SyncLogReader;
  syncContactNow: Pick<SyncContactNow, 'email'>;
}

export async function contactActionApiRoutes(app: FastifyInstance, options: ContactActionApiOptions): Promise<void> {
  const { syncLog, syncContactNow } = options;

  app.post<{ Params: { email: string }; Body: { store?: string } }>(
    '/contacts/:email/sync',
    {
      // A request without a body means "in every store".
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags: ['Customers'],
        summary: 'Send a customer’s newest details to Zoho now',
        description:
          'Queues the newest state the bridge has stored for every customer with this address (only in `store`, when given), ' +
          'through the usual queue and Zoho quota, with the store’s current settings and consent. Each becomes a change in the sync log ' +
          '("Sync requested by the owner"); follow it with GET /events/{id}. 404 when the bridge has no customer with this address.',
        params: { type: 'object', properties: { email: { type: 'string', minLength: 3, maxLength: 320 } }, required: ['email'] },
        body: { type: 'object', properties: { store: { type: 'string', maxLength: 200, description: 'A store id.' } }, additionalProperties: false },
        response: {
          202: {
            type: 'object',
            properties: { ok: { type: 'boolean' }, message: { type: 'string' }, events: { type: 'array', items: eventRowSchema } },
            required: ['ok', 'message', 'events'],
          },
          400: problemSchema,
          401: problemSchema,
          404: problemSchema,
        },
      },
    },
    async (request, reply) => {
      const result = await syncContactNow.email(request.params.email.trim(), request.body.store);
      if (!result.ok) return reply.code(404).send({ ok: false, error: 'not_found', message: 'The bridge has no customer with this address.' });
      const rows = await syncLog.rowsWithIds(result.eventIds);
      return reply.code(202).send({ ok: true, message: 'Queued; the outcome appears in GET /events/{id} within seconds.', events: rows.map(eventRowJson) });
    },
  );
}
