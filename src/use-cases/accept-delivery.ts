// The receiving use case: verify a WooCommerce delivery over its raw bytes, check that it is JSON
// and has a topic to file it under, commit it to Postgres, then hand its id to the queue. Every
// refusal is answered with a reason and recorded (src/use-cases/refuse-delivery.ts).
import { hash } from 'node:crypto';
import type { EventWriter } from '../db/event-batch-writer.ts';
import { storableEvent } from '../db/new-event.ts';
import type { EnqueueBatcher } from '../queue/enqueue-batcher.ts';
import { recordDelivery } from '../metrics.ts';
import { contactKeyOfPayload } from '../sync/contact-key.ts';
import type { DeliveryRefusals, RefusalAnswer } from './refuse-delivery.ts';
import { modifiedAtOf, resourceIdOf, restErrorOf } from '../woocommerce/payloads.ts';
import { verifySignature } from '../woocommerce/signature.ts';
import type { StoreDirectory } from '../woocommerce/store-directory.ts';
import { isHandledTopic, resourceOfTopic, topicLabel } from '../woocommerce/topics.ts';

export interface Delivery {
  storeId: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /**
   * The sender's address, kept with a refusal. A function: behind a proxy it means parsing
   * X-Forwarded-For against TRUST_PROXY, which an accepted delivery never needs.
   */
  remoteAddress: () => string | undefined;
}

export type DeliveryVerdict = { httpStatus: 200; eventId: bigint; duplicate: boolean; note: string } | RefusalAnswer;

/** Headers kept with an event: what helps an owner understand a delivery, never the signature. */
const KEPT_HEADERS = [
  'x-wc-webhook-source',
  'x-wc-webhook-topic',
  'x-wc-webhook-resource',
  'x-wc-webhook-event',
  'x-wc-webhook-id',
  'x-wc-webhook-delivery-id',
  'user-agent',
  'content-type',
  'content-length',
];

export class DeliveryReceiver {
  constructor(
    private readonly stores: StoreDirectory,
    private readonly events: EventWriter,
    private readonly refusals: DeliveryRefusals,
    /** Gathers the ids of events stored together into one batch job. */
    private readonly enqueuer: Pick<EnqueueBatcher, 'add'>,
  ) {}

  async accept(delivery: Delivery): Promise<DeliveryVerdict> {
    const header = (name: string) => singleHeader(delivery.headers[name]);
    const topic = header('x-wc-webhook-topic');
    const refuse = (httpStatus: 400 | 401 | 404, reason: string, detail: string, keepBody: boolean): Promise<DeliveryVerdict> =>
      this.refusals.refuse({
        storeId: delivery.storeId,
        httpStatus,
        reason,
        detail,
        headers: delivery.headers,
        body: delivery.body,
        bodySize: delivery.body.length,
        keepBody,
        // Only the signature check refuses with 401 or 404; every 400 comes after it passed.
        signed: httpStatus === 400,
        remoteAddress: delivery.remoteAddress,
      });

    const found = await this.stores.find(delivery.storeId);
    if (!found) {
      return refuse(404, 'unknown_store', `No store "${delivery.storeId}" is set up in the bridge.`, false);
    }
    const signature = verifySignature(delivery.body, header('x-wc-webhook-signature'), found.webhookSecret);
    // The start of a refused signature's body is kept: it shows the owner what was sent.
    if (!signature.ok) return refuse(401, signature.reason, signature.detail, true);
    if (!topic) {
      return refuse(400, 'missing_topic', 'The X-WC-Webhook-Topic header is missing.', true);
    }

    const filed = fileUnder(topic, delivery.body);
    if (!filed.ok) return refuse(400, 'malformed_json', filed.detail, true);
    const { statusReason } = filed;
    const stored = await this.events.insertOrCountRedelivery(
      storableEvent({
        storeId: delivery.storeId,
        topic,
        resource: resourceOfTopic(topic),
        resourceId: filed.resourceId,
        contactKey: filed.contactKey,
        webhookId: header('x-wc-webhook-id'),
        deliveryId: header('x-wc-webhook-delivery-id'),
        bodySha256: hash('sha256', delivery.body, 'hex'),
        body: delivery.body,
        headers: keptHeaders(delivery.headers),
        modifiedAt: filed.modifiedAt,
        status: filed.status,
        statusReason,
      }),
    );

    // The reply does not wait for Redis: the event is durable already, and the sweeper queues it
    // should its batch fail.
    if (stored.inserted && stored.status === 'received') this.enqueuer.add(stored.id);
    recordDelivery(topicLabel(topic), !stored.inserted ? 'duplicate' : stored.status === 'skipped' ? 'ignored' : 'stored');
    const note = !stored.inserted ? 'identical redelivery: already stored, nothing new to do' : (statusReason ?? 'stored and queued for sync');
    return { httpStatus: 200, eventId: stored.id, duplicate: !stored.inserted, note };
  }
}

type Filing =
  | {
      ok: true;
      resourceId: string | undefined;
      contactKey: string | undefined;
      modifiedAt: Date | undefined;
      status: 'received' | 'skipped';
      statusReason: string | undefined;
    }
  | { ok: false; detail: string };

/**
 * What a delivery is filed under, read from its JSON. A step of its own, not inline in accept():
 * a local of an async function stays alive across its awaits, so the parsed body would be kept
 * with every delivery waiting for its commit, and copied by each young-generation collection.
 * The payload's shape is checked once, by the worker: a signed delivery of the wrong shape is
 * stored and fails there with the reason, instead of a 400 WooCommerce counts towards disabling.
 */
function fileUnder(topic: string, body: Buffer): Filing {
  let json: unknown;
  try {
    json = JSON.parse(body.toString('utf8'));
  } catch (error) {
    return { ok: false, detail: `The body is not valid JSON (${(error as Error).message}).` };
  }
  return {
    ok: true,
    resourceId: resourceIdOf(json),
    contactKey: contactKeyOfPayload(topic, json),
    modifiedAt: modifiedAtOf(json),
    ...initialStatus(topic, json),
  };
}

function initialStatus(topic: string, json: unknown): { status: 'received' | 'skipped'; statusReason: string | undefined } {
  if (!isHandledTopic(topic)) {
    return { status: 'skipped', statusReason: `The bridge does not act on "${topic}" deliveries.` };
  }
  const restError = restErrorOf(json);
  if (restError) {
    return {
      status: 'skipped',
      statusReason: `WooCommerce sent an error instead of the ${resourceOfTopic(topic)}: ${restError.code} ${restError.message}`.trim(),
    };
  }
  return { status: 'received', statusReason: undefined };
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function keptHeaders(headers: Delivery['headers']): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of KEPT_HEADERS) {
    const value = singleHeader(headers[name]);
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}
