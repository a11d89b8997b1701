// Refusing a delivery, in one place for every reason (a bad signature, a body too large, …): the
// record the owner sees, its log line and its metric. Anyone can send a refused request, so what
// is kept is bounded (docs/security.md, "Refused deliveries"): a prefix of the body and the hash
// of the whole; rows per store capped by the repository; and past a rate per client address the
// answer is 429 and nothing is stored. Only unsigned refusals count towards that rate: a delivery
// whose signature verified is never limited, even when it is refused for its content.
import { createHash } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { RejectionRepository } from '../db/rejections.ts';
import { recordDelivery } from '../metrics.ts';
import type { StoreDirectory } from '../woocommerce/store-directory.ts';
import { topicLabel } from '../woocommerce/topics.ts';

/** Enough of a body to see what was sent (the start of a WooCommerce delivery), never the whole of a large one. */
export const KEPT_BODY_BYTES = 2_048;

export type RefusalStatus = 400 | 401 | 404 | 413 | 415 | 429;

export interface RefusalAnswer {
  httpStatus: RefusalStatus;
  reason: string;
  detail: string;
}

export interface Refusal {
  storeId: string;
  httpStatus: Exclude<RefusalStatus, 429>;
  reason: string;
  detail: string;
  headers: Record<string, string | string[] | undefined>;
  /** The body when it was read; a body refused for its size or type is never read. */
  body: Buffer | undefined;
  /** Its size as sent (Content-Length when the body was not read). */
  bodySize: number;
  /** Keep the start of the body for the owner to look at. */
  keepBody: boolean;
  /** The signature was verified (a signed delivery refused for its content): never rate-limited. */
  signed: boolean;
  /** The client's address; a function, as it means parsing X-Forwarded-For behind a proxy. */
  remoteAddress: () => string | undefined;
}

export class DeliveryRefusals {
  readonly #limiter: RateLimiterMemory;

  constructor(
    private readonly rejections: Pick<RejectionRepository, 'record'>,
    private readonly stores: Pick<StoreDirectory, 'find'>,
    private readonly log: FastifyBaseLogger,
    /** Refusals recorded per client address and minute (REFUSALS_PER_ADDRESS_PER_MINUTE). */
    perAddressPerMinute: number,
  ) {
    // In memory, per process: a refusal costs no Redis call, and the bound holds per process.
    this.#limiter = new RateLimiterMemory({ points: perAddressPerMinute, duration: 60 });
  }

  async refuse(refusal: Refusal): Promise<RefusalAnswer> {
    const topic = header(refusal.headers, 'x-wc-webhook-topic');
    const address = refusal.remoteAddress();
    const limited = refusal.signed ? undefined : await this.#overLimit(address ?? 'unknown');
    if (limited) {
      recordDelivery(topicLabel(topic), 'rate_limited');
      if (limited.consumedPoints === limited.limit + 1) {
        this.log.warn(
          { remoteAddress: address, retryAfterSeconds: limited.retryAfterSeconds },
          'Too many refused deliveries from one address: further ones are answered 429 and not recorded for a while',
        );
      }
      return {
        httpStatus: 429,
        reason: 'too_many_refusals',
        detail: `Too many refused deliveries from this address; try again in ${limited.retryAfterSeconds} seconds.`,
      };
    }
    // A URL naming no store is filed under no store, so made-up ids cannot each get a row quota.
    const knownStore = refusal.httpStatus !== 404 && (await this.stores.find(refusal.storeId)) ? refusal.storeId : undefined;
    const recording = this.rejections.record({
      storeId: knownStore,
      reason: refusal.reason,
      detail: refusal.detail,
      httpStatus: refusal.httpStatus,
      topic,
      webhookId: header(refusal.headers, 'x-wc-webhook-id'),
      deliveryId: header(refusal.headers, 'x-wc-webhook-delivery-id'),
      contentType: header(refusal.headers, 'content-type'),
      bodySize: refusal.bodySize,
      bodySha256: refusal.body ? createHash('sha256').update(refusal.body).digest('hex') : undefined,
      body: refusal.body && refusal.keepBody ? refusal.body.subarray(0, KEPT_BODY_BYTES) : undefined,
      remoteAddress: address,
    });
    // The refusal is answered even when it cannot be recorded: it tells WooCommerce the truth.
    await recording.catch((error: unknown) => this.log.error({ err: error }, 'Could not record a refused delivery'));
    this.log.warn({ storeId: refusal.storeId, reason: refusal.reason, topic }, `WooCommerce delivery refused: ${refusal.detail}`);
    recordDelivery(topicLabel(topic), refusal.reason);
    return { httpStatus: refusal.httpStatus, reason: refusal.reason, detail: refusal.detail };
  }

  async #overLimit(address: string): Promise<{ consumedPoints: number; limit: number; retryAfterSeconds: number } | undefined> {
    try {
      await this.#limiter.consume(address);
      return undefined;
    } catch (result) {
      if (!(result instanceof RateLimiterRes)) throw result;
      return { consumedPoints: result.consumedPoints, limit: this.#limiter.points, retryAfterSeconds: Math.max(1, Math.ceil(result.msBeforeNext / 1000)) };
    }
  }
}

export function header(headers: Refusal['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}
