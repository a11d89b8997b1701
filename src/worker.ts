// The worker role: BullMQ workers for the sync queue and the maintenance queue (sweeper).
// Runs in the same process as the server by default, or alone (npm run start:worker) to scale out.
import { Worker } from 'bullmq';
import { createMaintenanceQueue, MAINTENANCE_QUEUE, scheduleMaintenance } from './jobs/maintenance-queue.ts';
import { createSyncProcessor } from './jobs/sync-processor.ts';
import { SYNC_QUEUE, type SyncJobData } from './jobs/sync-queue.ts';
import { Sweeper } from './jobs/sweeper.ts';
import { createRedis } from './redis/connection.ts';
import type { Services } from './services.ts';

export interface RunningWorkers {
  /** Stops taking jobs, lets running ones finish (up to the deadline), then closes. */
  close(deadlineMs?: number): Promise<void>;
}

export async function startWorkers(services: Services): Promise<RunningWorkers> {
  const { config, log } = services;
  const connection = createRedis(config.redisUrl, 'worker');
  const sweeper = new Sweeper(services.repositories.events, services.enqueuer, log);

  const syncWorker = new Worker<SyncJobData>(
    SYNC_QUEUE,
    createSyncProcessor({ sync: services.sync, events: services.repositories.events, queue: services.syncQueue, log }),
    { connection, prefix: config.redisPrefix, concurrency: config.worker.concurrency },
  );
  const maintenanceQueue = createMaintenanceQueue(connection, config.redisPrefix);
  const maintenanceWorker = new Worker(MAINTENANCE_QUEUE, () => sweeper.sweep(), {
    connection,
    prefix: config.redisPrefix,
    concurrency: 1,
  });
  for (const worker of [syncWorker, maintenanceWorker]) {
    // BullMQ reconnects by itself; these lines make an outage visible in the log.
    worker.on('error', (error) => log.error({ err: error, queue: worker.name }, 'Queue worker error'));
  }
  await scheduleMaintenance(maintenanceQueue).catch((error: unknown) =>
    log.warn({ err: error }, 'Could not schedule the sweeper yet (Redis down?); it is scheduled at the next start'),
  );
  // Catch up at once with anything stored while no worker was running.
  await sweeper.sweep().catch((error: unknown) => log.warn({ err: error }, 'Initial sweep failed; the scheduler will retry'));
  log.info({ concurrency: config.worker.concurrency }, 'Sync workers started');

  return {
    async close(deadlineMs = 30_000) {
      const closing = Promise.all([syncWorker.close(), maintenanceWorker.close()]);
      const timedOut = await Promise.race([
        closing.then(() => false),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(true), deadlineMs).unref()),
      ]);
      if (timedOut) {
        log.warn({ deadlineMs }, 'Jobs still running at the shutdown deadline; they will be retried by another worker');
        await Promise.all([syncWorker.close(true), maintenanceWorker.close(true)]);
      }
      await maintenanceQueue.close();
      connection.disconnect();
    },
  };
}
