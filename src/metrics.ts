// Prometheus metrics: one registry for the process, the series the bridge exposes, and one-line
// recorders the code calls where things happen. Counters live in the process that counts them, so
// a worker running alone serves its own /metrics (METRICS_PORT, src/http/metrics-server.ts).
// Label values are bounded on purpose: anything a sender controls (topics, Zoho codes) is folded
// into a fixed set, so a hostile request cannot create unbounded series.
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { Queue } from 'bullmq';
import type { EventRepository } from './db/events.ts';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'wzb_' });

const deliveries = new Counter({
  name: 'wzb_webhook_deliveries_total',
  help: 'WooCommerce deliveries received, by topic and outcome (stored, duplicate, ignored, or why they were refused).',
  labelNames: ['topic', 'outcome'] as const,
  registers: [registry],
});
const syncJobs = new Counter({
  name: 'wzb_sync_jobs_total',
  help: 'Sync jobs run, by outcome (synced, skipped, already_done, waiting, retry, failed).',
  labelNames: ['outcome'] as const,
  registers: [registry],
});
const syncJobSeconds = new Histogram({
  name: 'wzb_sync_job_duration_seconds',
  help: 'How long sync jobs took, by outcome.',
  labelNames: ['outcome'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  registers: [registry],
});
const zohoCalls = new Counter({
  name: 'wzb_zoho_calls_total',
  help: 'Calls to Zoho Campaigns, by endpoint, Zoho code (or http_<status>, network) and outcome.',
  labelNames: ['endpoint', 'code', 'outcome'] as const,
  registers: [registry],
});
const zohoCallSeconds = new Histogram({
  name: 'wzb_zoho_call_duration_seconds',
  help: 'How long Zoho Campaigns took to answer, by endpoint.',
  labelNames: ['endpoint'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 15],
  registers: [registry],
});
const tokenRefreshes = new Counter({
  name: 'wzb_zoho_token_refreshes_total',
  help: 'Zoho access token refreshes this process made, by result (ok, throttled, invalid_code, …).',
  labelNames: ['result'] as const,
  registers: [registry],
});
const quotaWaits = new Counter({
  name: 'wzb_zoho_quota_waits_total',
  help: "Times a Zoho call waited instead of being sent: the bridge's own quota was used up (quota) or Zoho locked the endpoint out (locked_out).",
  labelNames: ['endpoint', 'reason'] as const,
  registers: [registry],
});
const quotaWaitSeconds = new Counter({
  name: 'wzb_zoho_quota_wait_seconds_total',
  help: 'Seconds of waiting those quota waits asked for.',
  labelNames: ['endpoint', 'reason'] as const,
  registers: [registry],
});
const queueJobs = new Gauge({
  name: 'wzb_queue_jobs',
  help: 'Jobs in the sync queue by state (read from Redis at each scrape).',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});
const pendingEvents = new Gauge({
  name: 'wzb_events',
  help: 'Stored events not (yet) synced, by status (read from Postgres at each scrape).',
  labelNames: ['status'] as const,
  registers: [registry],
});

const openIncidents = new Gauge({
  name: 'wzb_alert_incidents_open',
  help: 'Open alert incidents by kind (docs/alerts.md), read from Postgres at each scrape.',
  labelNames: ['kind'] as const,
  registers: [registry],
});

/** `topic` is already folded to a bounded set by the caller (woocommerce/topics.ts's topicLabel). */
export function recordDelivery(topic: string, outcome: string): void {
  deliveries.inc({ topic: /^[a-z_.]{1,40}$/.test(topic) ? topic : 'other', outcome: /^[a-z_]{1,40}$/.test(outcome) ? outcome : 'other' });
}

/** Starts timing a sync job; call the result once with its outcome. */
export function startSyncJobTimer(): (outcome: 'synced' | 'skipped' | 'already_done' | 'waiting' | 'retry' | 'failed') => void {
  const started = performance.now();
  return (outcome) => {
    syncJobs.inc({ outcome });
    syncJobSeconds.observe({ outcome }, (performance.now() - started) / 1000);
  };
}

export function recordZohoCall(
  endpoint: string,
  result: { code: string | undefined; httpStatus: number | undefined; outcome: string; durationMs: number },
): void {
  const raw = result.code ?? (result.httpStatus === undefined ? 'network' : `http_${result.httpStatus}`);
  zohoCalls.inc({ endpoint, code: /^[A-Za-z0-9_]{1,24}$/.test(raw) ? raw : 'other', outcome: result.outcome });
  zohoCallSeconds.observe({ endpoint }, result.durationMs / 1000);
}

export function recordTokenRefresh(result: string): void {
  tokenRefreshes.inc({ result });
}

export function recordQuotaWait(endpoint: string, reason: 'quota' | 'locked_out', waitMs: number): void {
  quotaWaits.inc({ endpoint, reason });
  quotaWaitSeconds.inc({ endpoint, reason }, waitMs / 1000);
}

const QUEUE_STATES = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;

/** Reads the gauges that describe shared state (Redis, Postgres) just before a scrape. */
export async function collectSharedGauges(sources: {
  syncQueue: Queue;
  events: EventRepository;
  /** Open alert incidents per kind; every kind named is set, to 0 when none is open. */
  incidents?: { kinds: readonly string[]; countOpenByKind(): Promise<Record<string, number>> };
}): Promise<void> {
  const [counts, statuses, incidents] = await Promise.all([
    sources.syncQueue.getJobCounts(...QUEUE_STATES).catch(() => undefined),
    sources.events.countPending().catch(() => undefined),
    sources.incidents?.countOpenByKind().catch(() => undefined),
  ]);
  if (incidents && sources.incidents) for (const kind of sources.incidents.kinds) openIncidents.set({ kind }, incidents[kind] ?? 0);
  if (counts) for (const state of QUEUE_STATES) queueJobs.set({ queue: sources.syncQueue.name, state }, counts[state] ?? 0);
  if (statuses) for (const [status, count] of Object.entries(statuses)) pendingEvents.set({ status }, count);
}
