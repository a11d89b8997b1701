// Replays the demo deliveries against a running bridge exactly as WooCommerce sends them
// (PHP-encoded body, X-WC-* headers, HMAC over the raw bytes) and reports what became of each.
import { randomBytes } from 'node:crypto';
import type { EventRepository } from '../../src/db/events.ts';
import { phpJsonEncode } from '../../src/woocommerce/php-json.ts';
import { signBody } from '../../src/woocommerce/signature.ts';
import { DEMO_STEPS, type DemoStep } from './deliveries.ts';

export interface ReplayResult {
  step: DemoStep;
  httpStatus: number;
  /** The bridge's JSON answer (message, duplicate, event id). */
  answer: Record<string, unknown>;
  eventId: string | undefined;
  /** What the bridge finally did with the event (synced, coalesced, skipped, failed, …). */
  finalStatus: string | undefined;
  reason: string | undefined;
}

export interface ReplayOptions {
  webhookUrl: string;
  secret: string;
  events: Pick<EventRepository, 'findById'>;
  steps?: DemoStep[];
  /** @defaultValue 20_000 */
  settleTimeoutMs?: number;
  /** Called once each delivery is answered (and, for steps that wait, settled). */
  onSent?: (result: ReplayResult, index: number) => void;
}

const PENDING = new Set(['received', 'queued', 'waiting']);

export async function replayDemo(options: ReplayOptions): Promise<ReplayResult[]> {
  const steps = options.steps ?? DEMO_STEPS;
  const bodies: Array<string | undefined> = [];
  const results: ReplayResult[] = [];
  for (const [index, step] of steps.entries()) {
    const body = step.repeatOf !== undefined ? bodies[step.repeatOf] : step.payload ? phpJsonEncode(step.payload) : undefined;
    bodies.push(body);
    const topic = step.repeatOf !== undefined ? steps[step.repeatOf]?.topic : step.topic;
    const response = step.kind === 'ping' ? await ping(options.webhookUrl) : await deliver(options.webhookUrl, topic ?? '', body ?? '{}', options.secret);
    const answer = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    const eventId = typeof answer.event === 'string' ? answer.event : undefined;
    const result: ReplayResult = { step, httpStatus: response.status, answer, eventId, finalStatus: undefined, reason: undefined };
    results.push(result);
    if (step.settle && eventId) await settle(options, result);
    options.onSent?.(result, index);
  }
  for (const result of results) {
    if (result.eventId && result.finalStatus === undefined) await settle(options, result);
  }
  return results;
}

async function settle(options: ReplayOptions, result: ReplayResult): Promise<void> {
  const deadline = Date.now() + (options.settleTimeoutMs ?? 20_000);
  for (;;) {
    const event = await options.events.findById(BigInt(result.eventId!));
    if (event && (!PENDING.has(event.status) || Date.now() > deadline)) {
      result.finalStatus = event.status;
      result.reason = event.statusReason ?? undefined;
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function deliver(url: string, topic: string, body: string, secret: string): Promise<Response> {
  const [resource, event] = topic.split('.');
  return fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'WooCommerce/10.3.0 Hookshot (WordPress/6.8.3)',
      'x-wc-webhook-source': 'https://demo-shop.example.com/',
      'x-wc-webhook-topic': topic,
      'x-wc-webhook-resource': resource ?? '',
      'x-wc-webhook-event': event ?? '',
      'x-wc-webhook-signature': signBody(body, secret),
      'x-wc-webhook-id': '1',
      'x-wc-webhook-delivery-id': randomBytes(16).toString('hex'),
    },
    body,
  });
}

function ping(url: string): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'WooCommerce/10.3.0 Hookshot (WordPress/6.8.3)' },
    body: 'webhook_id=1',
  });
}
