// The maintenance queue runs periodic work (the sweeper, the Zoho unsubscribe check, the webhook
// check, counting the Zoho lists) through BullMQ job schedulers, so each run happens once across
// all worker machines. The daily retention run is one of them.
import { Queue, type ConnectionOptions } from 'bullmq';

export const MAINTENANCE_QUEUE = 'maintenance';
export const SWEEP_JOB = 'sweep-unqueued-events';
export const SWEEP_EVERY_MS = 15_000;
/** Reads who unsubscribed in Zoho (src/sync/zoho-unsubscribes.ts explains the call budget). */
export const RECONCILE_UNSUBSCRIBES_JOB = 'reconcile-zoho-unsubscribes';
export const RECONCILE_UNSUBSCRIBES_EVERY_MS = 10 * 60_000;
/** Asks each store's REST API whether the bridge's webhooks are still active (src/woocommerce/webhook-watch.ts). */
export const WEBHOOK_WATCH_JOB = 'check-woocommerce-webhooks';
export const WEBHOOK_WATCH_EVERY_MS = 15 * 60_000;
/** Counts the managed Zoho lists for the overview's charts (src/use-cases/list-sizes.ts). */
export const RECORD_LIST_SIZES_JOB = 'record-zoho-list-sizes';
export const RECORD_LIST_SIZES_EVERY_MS = 60 * 60_000;

/** Deletes data past its retention time (src/use-cases/retention.ts). */
export const RETENTION_JOB = 'delete-expired-data';
export const RETENTION_EVERY_MS = 24 * 3600_000;

export function createMaintenanceQueue(connection: ConnectionOptions, prefix: string): Queue {
  return new Queue(MAINTENANCE_QUEUE, { connection, prefix });
}

export async function scheduleMaintenance(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler(SWEEP_JOB, { every: SWEEP_EVERY_MS }, { name: SWEEP_JOB, opts: { removeOnComplete: 50, removeOnFail: 50 } });
  await queue.upsertJobScheduler(
    RECONCILE_UNSUBSCRIBES_JOB,
    { every: RECONCILE_UNSUBSCRIBES_EVERY_MS },
    { name: RECONCILE_UNSUBSCRIBES_JOB, opts: { removeOnComplete: 50, removeOnFail: 50 } },
  );
  await queue.upsertJobScheduler(RETENTION_JOB, { every: RETENTION_EVERY_MS }, { name: RETENTION_JOB, opts: { removeOnComplete: 50, removeOnFail: 50 } });
  await queue.upsertJobScheduler(
    WEBHOOK_WATCH_JOB,
    { every: WEBHOOK_WATCH_EVERY_MS },
    { name: WEBHOOK_WATCH_JOB, opts: { removeOnComplete: 50, removeOnFail: 50 } },
  );
  await queue.upsertJobScheduler(
    RECORD_LIST_SIZES_JOB,
    { every: RECORD_LIST_SIZES_EVERY_MS },
    { name: RECORD_LIST_SIZES_JOB, opts: { removeOnComplete: 50, removeOnFail: 50 } },
  );
}
