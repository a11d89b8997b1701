// The worker role: BullMQ workers for the sync queue and the maintenance queue (sweeper, Zoho
// unsubscribe check, webhook check, daily retention, list sizes). Runs in the same process as the server by default, or alone
// (npm run start:worker) to scale out.
import { Worker, type Job } from 'bullmq';
import { pruneExpiredData } from './use-cases/retention.ts';
import {
  createMaintenanceQueue,
  MAINTENANCE_QUEUE,
  RECONCILE_UNSUBSCRIBES_JOB,
  RECORD_LIST_SIZES_JOB,
  RETENTION_JOB,
  scheduleMaintenance,
  WEBHOOK_WATCH_JOB,
} from './queue/maintenance-queue.ts';
import { RedisPrefixClashError } from './queue/installation.ts';
import { startAlertsWorker } from './jobs/alerts-job.ts';
import { createSyncProcessor } from './jobs/sync-processor.ts';
import { markGivenUpEvents } from './jobs/given-up-jobs.ts';
import { SYNC_QUEUE, type SyncQueueData } from './queue/sync-queue.ts';
import { IMPORT_QUEUE, type ImportJobData } from './queue/import-queue.ts';
import { SETTINGS_APPLY_QUEUE, type SettingsApplyJobData } from './queue/settings-apply-queue.ts';
import { catchUpAfterRedisOutages } from './jobs/redis-recovery.ts';
import { Sweeper } from './jobs/sweeper.ts';
import { createRedis, logRedisErrors } from './redis/connection.ts';
import type { Services } from './services.ts';

/** How often a waiting worker looks whether the wait was lifted (one Redis call each time). */
const RESUME_CHECK_MS = 1_000;
/** Times a job may lose its worker mid-run and still be retried (BullMQ's maxStalledCount). */
const MAX_STALLS = 3;

export interface RunningWorkers {
  /** Stops taking jobs, lets running ones finish (up to the deadline), then closes. */
  close(deadlineMs?: number): Promise<void>;
}

async function claimAgain(services: Services): Promise<void> {
  await services.installation.claimRedisPrefix().catch((error: unknown) => {
    if (error instanceof RedisPrefixClashError) services.log.error({ redisPrefix: services.config.redisPrefix }, error.message);
    else throw error;
  });
}

export async function startWorkers(services: Services): Promise<RunningWorkers> {
  const { config, log } = services;
  const connection = createRedis({ url: config.redisUrl, clusterNodes: config.redisClusterNodes }, 'worker');
  const sweeper = new Sweeper(services.repositories.events, services.enqueuer, log);

  const syncWorker = new Worker<SyncQueueData>(
    SYNC_QUEUE,
    createSyncProcessor({
      sync: services.sync,
      events: services.repositories.events,
      queue: services.syncQueue,
      enqueuer: services.enqueuer,
      installation: services.installation,
      log,
      concurrency: config.worker.concurrency,
    }),
    {
      connection,
      prefix: config.redisPrefix,
      concurrency: config.worker.concurrency,
      // When Zoho cannot be used, the processor puts the whole queue on hold (queue.rateLimit).
      // BullMQ only honours that hold on workers that have a limiter, so there is one, set far
      // above anything Zoho allows (its real limits are kept by ZohoQuota): it never slows work.
      limiter: { max: 10_000, duration: 1_000 },
      // While on hold, look whether the hold was lifted at least this often: reconnecting Zoho
      // lifts it, and jobs then resume within this long on every machine.
      maximumRateLimitDelay: RESUME_CHECK_MS,
      // A worker that dies mid-job (SIGKILL, a frozen machine) holds its jobs until the lock runs
      // out; the stalled check then hands them to another worker (WORKER_LOCK_MS).
      lockDuration: config.worker.lockMs,
      stalledInterval: config.worker.lockMs,
      // A job whose worker died this many times is probably what kills it: fail it, visibly.
      maxStalledCount: MAX_STALLS,
    },
  );
  syncWorker.on('failed', markGivenUpEvents({ events: services.repositories.events, enqueuer: services.enqueuer, log }));
  const maintenanceQueue = createMaintenanceQueue(connection, config.redisPrefix);
  logRedisErrors(maintenanceQueue, log, 'worker');
  const runMaintenance = (job: Job) => {
    if (job.name === RECONCILE_UNSUBSCRIBES_JOB) return services.zohoUnsubscribes.run();
    if (job.name === WEBHOOK_WATCH_JOB) return services.webhookWatch.checkAll();
    if (job.name === RETENTION_JOB) return pruneExpiredData({ ...services.repositories, policy: config.retention, log });
    if (job.name === RECORD_LIST_SIZES_JOB) return services.listSizes.run();
    return sweeper.sweep();
  };
  const maintenanceWorker = new Worker(MAINTENANCE_QUEUE, runMaintenance, {
    connection,
    prefix: config.redisPrefix,
    concurrency: 1,
  });
  // Imports read a store page by page; closing the worker stops them after the page in hand, and
  // the next start continues them (src/use-cases/import-store.ts).
  const stopImports = new AbortController();
  const importWorker = new Worker<ImportJobData>(
    IMPORT_QUEUE,
    (job) => services.setup.importStore.runJob(job.data.storeId, BigInt(job.data.importId), stopImports.signal),
    {
      connection,
      prefix: config.redisPrefix,
      concurrency: 2,
      lockDuration: config.worker.lockMs,
      stalledInterval: config.worker.lockMs,
    },
  );
  // "Apply settings to everyone" runs, stopped and continued the same way (src/use-cases/apply-settings.ts).
  const applyWorker = new Worker<SettingsApplyJobData>(
    SETTINGS_APPLY_QUEUE,
    (job) => services.applySettings.runJob(job.data.storeId, BigInt(job.data.runId), stopImports.signal),
    {
      connection,
      prefix: config.redisPrefix,
      concurrency: 2,
      lockDuration: config.worker.lockMs,
      stalledInterval: config.worker.lockMs,
    },
  );
  for (const worker of [syncWorker, maintenanceWorker, importWorker, applyWorker]) {
    // BullMQ reconnects by itself; these lines make an outage visible in the log.
    worker.on('error', (error) => log.error({ err: error, queue: worker.name }, 'Queue worker error'));
  }
  await scheduleMaintenance(maintenanceQueue).catch((error: unknown) =>
    log.warn({ err: error }, 'Could not schedule the sweeper yet (Redis down?); it is scheduled at the next start'),
  );
  // Catch up at once with anything stored while no worker was running, and again whenever Redis
  // comes back from an outage (possibly empty: its schedulers and jobs gone).
  await sweeper.sweep({ whole: true }).catch((error: unknown) => log.warn({ err: error }, 'Initial sweep failed; the scheduler will retry'));
  const alerts = await startAlertsWorker(connection, config.redisPrefix, services.alerts, log);
  const stopCatchingUp = catchUpAfterRedisOutages(
    connection,
    {
      // A Redis that came back empty has lost the prefix's claim too (src/queue/installation.ts).
      reschedule: () =>
        claimAgain(services)
          .then(() => Promise.all([scheduleMaintenance(maintenanceQueue), alerts.schedule()]))
          .then(() => undefined),
      sweep: () => sweeper.sweep({ graceMs: 0, whole: true }),
    },
    log,
  );
  await services.setup.importStore
    .resumeAfterRestart()
    .then((count) => count > 0 && log.info({ imports: count }, 'Imports that were running continue'))
    .catch((error: unknown) => log.warn({ err: error }, 'Could not queue the unfinished imports yet; they continue at the next start'));
  await services.applySettings
    .resumeAfterRestart()
    .then((count) => count > 0 && log.info({ runs: count }, 'Settings being applied to everyone continue'))
    .catch((error: unknown) => log.warn({ err: error }, 'Could not queue the unfinished settings runs yet; they continue at the next start'));
  log.info({ concurrency: config.worker.concurrency }, 'Sync workers started');

  return {
    async close(deadlineMs = 30_000) {
      stopCatchingUp();
      stopImports.abort();
      const closing = Promise.all([syncWorker.close(), maintenanceWorker.close(), importWorker.close(), applyWorker.close(), alerts.close()]);
      const timedOut = await Promise.race([closing.then(() => false), new Promise<boolean>((resolve) => setTimeout(() => resolve(true), deadlineMs).unref())]);
      if (timedOut) {
        // close(true) now would only return the close already waiting for those jobs. They are
        // left as they are: once this process is gone their lock runs out (WORKER_LOCK_MS) and
        // another worker runs them again, which is harmless (syncs are idempotent).
        closing.catch(() => undefined);
        log.warn(
          { deadlineMs, lockMs: config.worker.lockMs },
          'Jobs still running at the shutdown deadline; leaving them to another worker once their lock runs out',
        );
      }
      await maintenanceQueue.close().catch(() => undefined);
      connection.disconnect();
    },
  };
}
