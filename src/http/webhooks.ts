// Routes WooCommerce calls: its deliveries (signed JSON) and its ping (form-encoded
// webhook_id=N, unsigned, must get exactly 200). One URL per store; the bare URL is the first store.
import formBody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_STORE_ID } from '../db/stores.ts';
import { withStorageDeadline } from '../db/outage.ts';
import type { DeliveryReceiver } from '../use-cases/accept-delivery.ts';
import type { DeliveryRefusals } from '../use-cases/refuse-delivery.ts';
import { loggerOnFirstUse } from './logger-on-first-use.ts';

export interface WebhookRoutesOptions {
  receiver: DeliveryReceiver;
  refusals: DeliveryRefusals;
  bodyLimitBytes: number;
  /**
   * How long a delivery may wait for Postgres before it is answered 503 (WEBHOOK_STORE_TIMEOUT_MS).
   * A refused connection is answered at once; this bounds a Postgres that does not answer. Commits
   * can stall for seconds under sustained load, and WooCommerce disables a webhook after 7 failures
   * in a row while it waits 60 s itself, so the bound is generous. If Postgres answers after the
   * 503 the delivery is stored after all, and synced; a 503 never hides a loss.
   */
  storeTimeoutMs: number;
  /** Notes each ping per store, for the owner's "first delivery" step (stores.recordPing). */
  recordPing: (storeId: string) => Promise<void>;
}

interface StoreParams {
  storeId?: string;
}

export async function webhookRoutes(app: FastifyInstance, options: WebhookRoutesOptions): Promise<void> {
  // Signatures are computed over the exact bytes WooCommerce sent, so JSON stays a Buffer here
  // and is parsed only after verification (docs/woocommerce-webhooks.md, "Signature").
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    done(null, body);
  });
  await app.register(formBody, { bodyLimit: 4_096 });
  // A stored delivery logs nothing; its request logger is made only for a line (a refusal, an error).
  app.setChildLoggerFactory(loggerOnFirstUse);

  app.setErrorHandler(async (error: Error & { code?: string; statusCode?: number }, request, reply) => {
    const refusal = bodyRefusal(error, options.bodyLimitBytes);
    if (!refusal) throw error;
    const answer = await options.refusals.refuse({
      storeId: storeIdOf(request),
      ...refusal,
      headers: request.headers,
      body: undefined,
      bodySize: Number(request.headers['content-length'] ?? 0) || 0,
      keepBody: false,
      signed: false,
      remoteAddress: () => request.ip,
    });
    return reply.code(answer.httpStatus).send({ ok: false, error: answer.reason, message: answer.detail });
  });

  const handler = async (request: FastifyRequest<{ Params: StoreParams }>, reply: FastifyReply) => {
    const storeId = storeIdOf(request);
    if (!Buffer.isBuffer(request.body)) return answerFormPost(request, reply, options.recordPing);
    const verdict = await withStorageDeadline(
      options.receiver.accept({ storeId, headers: request.headers, body: request.body, remoteAddress: () => request.ip }),
      options.storeTimeoutMs,
    );
    if (verdict.httpStatus === 200) {
      return reply.code(200).send({
        ok: true,
        event: verdict.eventId.toString(),
        duplicate: verdict.duplicate,
        message: verdict.note,
      });
    }
    return reply.code(verdict.httpStatus).send({ ok: false, error: verdict.reason, message: verdict.detail });
  };

  const routeOptions = { bodyLimit: options.bodyLimitBytes };
  app.post('/webhooks/woocommerce', routeOptions, handler);
  app.post('/webhooks/woocommerce/:storeId', routeOptions, handler);
}

/** WooCommerce's ping: form-encoded webhook_id=N with no X-WC-* headers (docs/woocommerce-webhooks.md, "The ping"). */
async function answerFormPost(request: FastifyRequest, reply: FastifyReply, recordPing: (storeId: string) => Promise<void>) {
  const form = (request.body ?? {}) as Record<string, unknown>;
  const webhookId = typeof form.webhook_id === 'string' ? form.webhook_id : undefined;
  if (webhookId !== undefined && !request.headers['x-wc-webhook-topic']) {
    // The ping gets its 200 whatever happens to the note.
    await recordPing(storeIdOf(request)).catch((error: unknown) => request.log.warn({ err: error }, 'Could not note a WooCommerce ping'));
    request.log.info({ webhookId, storeId: storeIdOf(request) }, 'WooCommerce webhook ping answered');
    return reply.code(200).send({ ok: true, message: `Ping for webhook ${webhookId} received.` });
  }
  return reply.code(415).send({
    ok: false,
    error: 'unsupported_media_type',
    message: 'Deliveries must be application/json; a form post is only accepted as a WooCommerce ping (webhook_id=N).',
  });
}

function bodyRefusal(error: { code?: string }, limit: number): { httpStatus: 400 | 413 | 415; reason: string; detail: string } | undefined {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { httpStatus: 413, reason: 'too_large', detail: `The body is larger than the limit of ${limit} bytes (WEBHOOK_BODY_LIMIT_BYTES).` };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { httpStatus: 415, reason: 'unsupported_media_type', detail: 'Deliveries must be sent as application/json.' };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { httpStatus: 400, reason: 'empty_body', detail: 'The delivery has an empty body.' };
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return { httpStatus: 400, reason: 'bad_content_length', detail: 'Content-Length does not match the body.' };
    default:
      return undefined;
  }
}

function storeIdOf(request: FastifyRequest): string {
  return (request.params as StoreParams | undefined)?.storeId ?? DEFAULT_STORE_ID;
}
