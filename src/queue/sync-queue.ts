// The sync queue. Jobs carry only event ids; the events themselves live in Postgres
// (webhook_events), so Redis never holds the only copy of anything. Two kinds of job:
// - a batch job: the events the receiver stored together (a few milliseconds' worth), synced side
//   by side. One job per batch rather than per event: adding a job costs the server and
//   Redis far more than the event id it carries.
// - an event job: one event, with BullMQ's attempts and backoff. An event of a batch that must
//   be tried again, or wait alone, continues in its own event job; the sweeper, the owner's Retry
//   and backfills queue event jobs directly.
import { Backoffs, Queue, type BackoffOptions, type ConnectionOptions, type JobsOptions, type MinimalJob } from 'bullmq';

export const SYNC_QUEUE = 'sync';
export const SYNC_JOB = 'sync-event';
export const SYNC_BATCH_JOB = 'sync-events';

/** Every job names the installation (database) whose events it carries (src/queue/installation.ts). */
interface InstallationData {
  /** Absent only in jobs queued before installation ids existed. */
  installation?: string;
}

export interface SyncJobData extends InstallationData {
  /** webhook_events.id as a string (BigInt does not survive JSON). */
  eventId: string;
  /** The owner pressed Retry: the contact's newest state is sent even if this event is outdated. */
  retried?: boolean;
  /** Attempts the event had in a batch job before it got a job of its own. */
  attemptsBefore?: number;
}

export interface SyncBatchData extends InstallationData {
  /** The batch's events still to sync, oldest first (the job is updated as it goes). */
  eventIds: string[];
}

export type SyncQueueData = SyncJobData | SyncBatchData;
export type SyncQueue = Queue<SyncQueueData>;

export function isBatchData(data: SyncQueueData): data is SyncBatchData {
  return Array.isArray((data as SyncBatchData).eventIds);
}

/** The job id makes enqueueing idempotent: the receiver and the sweeper may both try. */
export function syncJobId(eventId: bigint | string): string {
  return `event-${eventId}`;
}

/** A batch is named after its first event, which is in no other batch. */
export function syncBatchJobId(firstEventId: bigint | string): string {
  return `events-from-${firstEventId}`;
}

/** The first backoff; each later one doubles (exponential, with jitter). */
const FIRST_BACKOFF_MS = 2_000;

function backoff(attemptsBefore: number): BackoffOptions {
  // Exponential backoff with jitter, so a Zoho outage is not met by a synchronised stampede.
  return { type: 'exponential', delay: FIRST_BACKOFF_MS * 2 ** attemptsBefore, jitter: 0.5 };
}

/**
 * @param attemptsBefore attempts the event already had (in a batch job): its own job has that many
 * fewer, and its backoff carries on growing from where the batch left it.
 */
export function syncJobOptions(attempts: number, attemptsBefore = 0): JobsOptions {
  return {
    attempts: Math.max(1, attempts - attemptsBefore),
    backoff: backoff(attemptsBefore),
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    // Failed jobs stay for inspection; the sync log in Postgres is the permanent record.
    removeOnFail: { age: 14 * 24 * 3600 },
  };
}

/** The wait before an event's next attempt after `attemptsMade` failed ones: BullMQ's own reckoning. */
export function retryDelayMs(attemptsMade: number): number {
  // The built-in strategies read neither the error nor the job.
  return Backoffs.calculate(backoff(0), attemptsMade, new Error('retry'), {} as MinimalJob) as number;
}

export function createSyncQueue(connection: ConnectionOptions, prefix: string): SyncQueue {
  return new Queue<SyncQueueData>(SYNC_QUEUE, { connection, prefix });
}
