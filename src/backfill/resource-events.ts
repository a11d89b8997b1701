// Turns a resource read from WooCommerce's REST API into a stored event, exactly like a webhook
// delivery of it: same table, same topic, the body PHP-encoded as WooCommerce encodes payloads.
// The normal sync path then applies it (coalescing, routing, "an older snapshot never wins"), so a
// backfill cannot do anything a delivery could not. It needs no signature: it came over the
// authenticated REST API. Headers mark where it came from.
import { createHash } from 'node:crypto';
import type { NewEvent } from '../db/new-event.ts';
import { contactKeyOfPayload } from '../sync/contact-key.ts';
import { modifiedAtOf, payloadProblem, resourceIdOf } from '../woocommerce/payloads.ts';
import { phpJsonEncode } from '../woocommerce/php-json.ts';
import { resourceOfTopic } from '../woocommerce/topics.ts';
import type { BackfillKind } from '../db/backfill-runs.ts';

/** The topic a backfilled resource is stored under: "here is the current state of X". */
export function backfillTopic(kind: BackfillKind): 'customer.updated' | 'subscription.updated' {
  return kind === 'customers' ? 'customer.updated' : 'subscription.updated';
}

/** Header marking an event that came from a backfill rather than a webhook delivery. */
export const BACKFILL_SOURCE_HEADER = 'x-bridge-source';

export type BackfillEvent = { ok: true; event: NewEvent } | { ok: false; problem: string };

export function backfillEvent(input: { storeId: string; storeUrl: string; kind: BackfillKind; runId: bigint; resource: unknown }): BackfillEvent {
  const topic = backfillTopic(input.kind);
  const problem = payloadProblem(topic, input.resource);
  if (problem) return { ok: false, problem };
  const body = Buffer.from(phpJsonEncode(input.resource), 'utf8');
  const [resource, action] = topic.split('.');
  return {
    ok: true,
    event: {
      storeId: input.storeId,
      topic,
      resource: resourceOfTopic(topic),
      resourceId: resourceIdOf(input.resource),
      contactKey: contactKeyOfPayload(topic, input.resource),
      webhookId: undefined,
      deliveryId: undefined,
      bodySha256: createHash('sha256').update(body).digest('hex'),
      body,
      headers: {
        'x-wc-webhook-source': `${input.storeUrl.replace(/\/+$/, '')}/`,
        'x-wc-webhook-topic': topic,
        'x-wc-webhook-resource': resource ?? '',
        'x-wc-webhook-event': action ?? '',
        [BACKFILL_SOURCE_HEADER]: 'backfill',
        'x-bridge-backfill-run': input.runId.toString(),
        'content-type': 'application/json',
      },
      modifiedAt: modifiedAtOf(input.resource),
      status: 'received',
      statusReason: undefined,
    },
  };
}
