// `status`: the bridge at a glance for an operator: can it store and queue, is Zoho connected,
// what is waiting, how much of Zoho's quota is used, and per store its webhooks and backfills.
import type { Command } from 'commander';
import { formatNumber } from '../../readable.ts';
import type { RedisClient } from '../../redis/connection.ts';
import type { BackfillRunRepository } from '../../db/backfill-runs.ts';
import type { EventRepository } from '../../db/events.ts';
import type { StoreRepository } from '../../db/stores.ts';
import type { WebhookCheckRepository } from '../../db/webhook-checks.ts';
import type { SyncQueue } from '../../queue/sync-queue.ts';
import type { ReadinessReport } from '../../use-cases/readiness.ts';
import type { ZohoQuota } from '../../zoho/quota.ts';
import { webhookUrlOf } from '../../woocommerce/bridge-webhooks.ts';
import { latestCheck } from '../../woocommerce/webhook-watch.ts';
import type { CliOutput } from '../output.ts';
import { redisReady } from '../store-access.ts';
import type { CommandEnvironment } from './environment.ts';

export interface StatusNeeds {
  readiness: () => Promise<ReadinessReport>;
  redis: RedisClient;
  events: Pick<EventRepository, 'countByStatus' | 'countPendingFromBackfill'>;
  syncQueue: Pick<SyncQueue, 'getJobCounts'>;
  quota: Pick<ZohoQuota, 'usage' | 'lockedFor'>;
  stores: Pick<StoreRepository, 'list'>;
  webhookChecks: WebhookCheckRepository;
  backfillRuns: Pick<BackfillRunRepository, 'recent'>;
  publicUrl: string;
}

export function registerStatusCommand(program: Command, env: CommandEnvironment<StatusNeeds>): void {
  program
    .command('status')
    .description("Show health, queue, Zoho quota, and each store's webhooks and backfills (exits 1 when a line says PROBLEM)")
    .action(() => env.run((needs) => status(needs, env.output)));
}

/** Exits 1 when any line says PROBLEM: the documented rule that something needs attention. */
export async function status(needs: StatusNeeds, out: CliOutput): Promise<void> {
  await redisReady(needs.redis, 2_000);
  const ready = await needs.readiness();
  let problems = 0;
  const mark = (ok: boolean) => {
    if (!ok) problems += 1;
    return ok ? 'ok     ' : 'PROBLEM';
  };
  out.line(`${mark(ready.checks.postgres.ok)} Postgres: ${ready.checks.postgres.message}`);
  out.line(`${mark(ready.checks.redis.ok)} Redis: ${ready.checks.redis.message}`);
  out.line(`${mark(ready.checks.zoho.ok)} Zoho: ${ready.checks.zoho.message}`);
  if (!ready.checks.postgres.ok) {
    out.fail(1);
    return;
  }

  const byStatus = await needs.events.countByStatus();
  const events = byStatus.map((row) => `${row.status} ${row._count._all}`).join(', ');
  out.line(`Events: ${events || 'none yet'}`);
  if (ready.checks.redis.ok) {
    const jobs = await needs.syncQueue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'failed');
    out.line(
      `Sync queue jobs (each a batch of deliveries or one event): ${jobs.waiting ?? 0} waiting, ${jobs.active ?? 0} running, ${jobs.prioritized ?? 0} backfill jobs ready, ` +
        `${jobs.delayed ?? 0} scheduled (backfill pacing and retries), ${jobs.failed ?? 0} failed`,
    );
    const windows = await needs.quota.usage('listsubscribe');
    const span = (ms: number) => (ms === 60_000 ? 'minute' : ms === 3_600_000 ? 'hour' : 'day');
    out.line(`Zoho listsubscribe calls: ${windows.map((window) => `${window.used}/${formatNumber(window.limit)} this ${span(window.windowMs)}`).join(', ')}`);
    const locked = await needs.quota.lockedFor('listsubscribe');
    if (locked > 0) out.line(`  Zoho locked listsubscribe out; the bridge sends none for another ${Math.ceil(locked / 60_000)} minutes.`);
  }

  for (const store of await needs.stores.list()) {
    out.line(`Store "${store.id}" (${store.name}) → ${webhookUrlOf(needs.publicUrl, store.id)}`);
    const check = await latestCheck(needs.webhookChecks, store.id);
    out.line(
      check
        ? `  webhooks: ${mark(check.ok).trim()}, checked ${check.checkedAt.toISOString()}: ${check.message}`
        : `  webhooks: not checked yet${store.restCredentialsEnc ? ' (the workers check every 15 minutes)' : ' (needs a REST API key: woo-zoho-bridge stores credentials)'}`,
    );
    const fromBackfill = await needs.events.countPendingFromBackfill(store.id);
    if (fromBackfill > 0) out.line(`  backfilled events still to sync: ${fromBackfill} (paced behind live events)`);
    for (const run of await needs.backfillRuns.recent(store.id, 2)) {
      const pages = run.totalPages ? `page ${run.pagesDone}/${run.totalPages}` : `${run.pagesDone} pages`;
      out.line(`  backfill #${run.id} ${run.kind}: ${run.status}, ${run.itemsQueued} items, ${pages}${run.lastError ? `: ${run.lastError}` : ''}`);
    }
  }
  if (problems > 0) out.fail(1);
}
