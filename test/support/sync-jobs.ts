// Which sync job carries an event now: its own event job if it has one, else the batch job that
// the "batched" hash names (src/queue/enqueue-events.ts). Tests ask this; the bridge never needs to.
import type { Job } from 'bullmq';
import type { SyncQueueData } from '../../src/queue/sync-queue.ts';
import { syncJobId } from '../../src/queue/sync-queue.ts';
import type { Services } from '../../src/services.ts';

export async function syncJobOf(
  services: Pick<Services, 'syncQueue' | 'enqueuer' | 'redis'>,
  eventId: bigint | string,
): Promise<Job<SyncQueueData> | undefined> {
  const own = await services.syncQueue.getJob(syncJobId(eventId));
  if (own) return own;
  const batchId = await services.redis.hget(services.enqueuer.batchedKey, String(eventId));
  return (batchId && (await services.syncQueue.getJob(batchId))) || undefined;
}
