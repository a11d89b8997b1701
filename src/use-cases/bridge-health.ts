// The numbers on the owner's overview: per store, whether WooCommerce is delivering (the last
// delivery per topic, counting only what WooCommerce sent and never a backfill's imports, refused
// signatures, the webhook watch), how many changes were sent, failed
// or wait; for the bridge, the queue and Zoho's listsubscribe allowance. Every count is served by
// an index and bounded, and Redis being down leaves its numbers blank instead of failing the page.
import { BACKFILL_SOURCE_HEADER } from '../backfill/resource-events.ts';
import type { EventRepository } from '../db/events.ts';
import type { RejectionRepository } from '../db/rejections.ts';
import type { WebhookCheckRepository } from '../db/webhook-checks.ts';
import type { SyncQueue } from '../queue/sync-queue.ts';
import { CUSTOMER_TOPICS, SUBSCRIPTION_TOPICS } from '../woocommerce/bridge-webhooks.ts';
import { latestCheck, type WebhookCheckView } from '../woocommerce/webhook-watch.ts';
import type { ZohoQuota } from '../zoho/quota.ts';
import { SIGNATURE_REASONS, topicLabel } from '../sync-log/explanations.ts';
import { within } from './within.ts';

const DAY_MS = 86_400_000;
/** "Last delivery" looks this far back (and at most this many deliveries), so it stays cheap. */
const DELIVERY_LOOKBACK_DAYS = 30;
const DELIVERY_LOOKBACK_ROWS = 20_000;
const REFUSAL_DAYS = 7;
const REDIS_WAIT_MS = 1_500;

export interface StoreHealth {
  storeId: string;
  deliveries: Array<{ topic: string; label: string; lastAt: Date | undefined }>;
  refusedSignatures: { count: number; lastAt: Date | undefined };
  failed: number;
  waiting: number;
  inLine: number;
  sentToday: number;
  webhookCheck: WebhookCheckView | undefined;
}

export interface BridgeHealth {
  stores: StoreHealth[];
  /** Refused deliveries of the last week, all stores (unknown store URLs included). */
  refusedThisWeek: number;
  queue: { waiting: number; running: number; scheduled: number } | undefined;
  quota: { windows: Array<{ span: string; used: number; limit: number }>; lockedForMs: number } | undefined;
}

export interface HealthDependencies {
  events: EventRepository;
  rejections: RejectionRepository;
  queue: SyncQueue;
  quota: ZohoQuota;
  checks: WebhookCheckRepository;
}

export async function bridgeHealth(deps: HealthDependencies, storeIds: string[], now = new Date()): Promise<BridgeHealth> {
  const weekAgo = new Date(now.getTime() - REFUSAL_DAYS * DAY_MS);
  const [open, sent, refusedThisWeek, queue, quota, stores] = await Promise.all([
    deps.events.countOpenByStore(),
    deps.events.countSentByStore(new Date(now.getTime() - DAY_MS)),
    deps.rejections.count({ since: weekAgo }),
    within(deps.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed'), REDIS_WAIT_MS),
    within(quotaUse(deps.quota), REDIS_WAIT_MS),
    Promise.all(storeIds.map((storeId) => storeDeliveries(deps, storeId, now, weekAgo))),
  ]);
  const count = (storeId: string, ...statuses: string[]) =>
    open.filter((row) => row.storeId === storeId && statuses.includes(row.status)).reduce((sum, row) => sum + row.count, 0);
  return {
    stores: stores.map((store) => ({
      ...store,
      failed: count(store.storeId, 'failed'),
      waiting: count(store.storeId, 'waiting'),
      inLine: count(store.storeId, 'received', 'queued'),
      sentToday: sent.find((row) => row.storeId === store.storeId)?.count ?? 0,
    })),
    refusedThisWeek,
    queue: queue && { waiting: (queue.waiting ?? 0) + (queue.prioritized ?? 0), running: queue.active ?? 0, scheduled: queue.delayed ?? 0 },
    quota,
  };
}

async function storeDeliveries(deps: HealthDependencies, storeId: string, now: Date, weekAgo: Date) {
  const since = new Date(now.getTime() - DELIVERY_LOOKBACK_DAYS * DAY_MS);
  const [latest, refused, lastRefused, webhookCheck] = await Promise.all([
    deps.events.lastDeliveryByTopic(storeId, since, DELIVERY_LOOKBACK_ROWS, { header: BACKFILL_SOURCE_HEADER, value: 'backfill' }),
    deps.rejections.count({ since: weekAgo, storeId, reasons: SIGNATURE_REASONS }),
    deps.rejections.lastAt(storeId, SIGNATURE_REASONS),
    latestCheck(deps.checks, storeId),
  ]);
  const sellsSubscriptions =
    latest.some((row) => row.topic.startsWith('subscription.')) || Boolean(webhookCheck?.webhooks.some((hook) => hook.topic.startsWith('subscription.')));
  const topics = [...CUSTOMER_TOPICS, ...(sellsSubscriptions ? SUBSCRIPTION_TOPICS : [])];
  return {
    storeId,
    deliveries: topics.map((topic) => ({ topic, label: topicLabel(topic), lastAt: latest.find((row) => row.topic === topic)?.lastAt })),
    refusedSignatures: { count: refused, lastAt: lastRefused },
    webhookCheck,
  };
}

async function quotaUse(quota: ZohoQuota): Promise<BridgeHealth['quota']> {
  const [windows, lockedForMs] = await Promise.all([quota.usage('listsubscribe'), quota.lockedFor('listsubscribe')]);
  const span = (ms: number) => (ms <= 60_000 ? 'minute' : ms <= 3_600_000 ? 'hour' : 'day');
  return { windows: windows.map((window) => ({ span: span(window.windowMs), used: window.used, limit: window.limit })), lockedForMs };
}

/** The overview's numbers, for the dashboard and the JSON API. */
export class BridgeHealthReader {
  constructor(private readonly deps: HealthDependencies) {}

  read(storeIds: string[], now = new Date()): Promise<BridgeHealth> {
    return bridgeHealth(this.deps, storeIds, now);
  }
}
