// The sync queue: one job per stored WooCommerce event. A job carries only the event id; the
// event itself lives in Postgres (webhook_events), so Redis never holds the only copy of anything.
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';

export const SYNC_QUEUE = 'sync';
export const SYNC_JOB = 'sync-event';

export interface SyncJobData {
  /** webhook_events.id as a string (BigInt does not survive JSON). */
  eventId: string;
  /** The owner pressed Retry: the contact's newest state is sent even if this event is outdated. */
  retried?: boolean;
}

/** The job id makes enqueueing idempotent: the receiver and the sweeper may both try. */
export function syncJobId(eventId: bigint | string): string {
  return `event-${eventId}`;
}

export function syncJobOptions(attempts: number): JobsOptions {
  return {
    attempts,
    // Exponential backoff with jitter, so a Zoho outage is not met by a synchronised stampede.
    backoff: { type: 'exponential', delay: 2_000, jitter: 0.5 },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    // Failed jobs stay for inspection; the sync log in Postgres is the permanent record.
    removeOnFail: { age: 14 * 24 * 3600 },
  };
}

export function createSyncQueue(connection: ConnectionOptions, prefix: string): Queue<SyncJobData> {
  return new Queue<SyncJobData>(SYNC_QUEUE, { connection, prefix });
}
