// The maintenance queue runs periodic work (the sweeper) through BullMQ job schedulers, so each
// run happens once across all worker machines.
import { Queue, type ConnectionOptions } from 'bullmq';

export const MAINTENANCE_QUEUE = 'maintenance';
export const SWEEP_JOB = 'sweep-unqueued-events';
export const SWEEP_EVERY_MS = 15_000;

export function createMaintenanceQueue(connection: ConnectionOptions, prefix: string): Queue {
  return new Queue(MAINTENANCE_QUEUE, { connection, prefix });
}

export async function scheduleMaintenance(queue: Queue): Promise<void> {
  await queue.upsertJobScheduler(SWEEP_JOB, { every: SWEEP_EVERY_MS }, { name: SWEEP_JOB, opts: { removeOnComplete: 50, removeOnFail: 50 } });
}
