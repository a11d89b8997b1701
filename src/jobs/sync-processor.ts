// Runs sync jobs and translates each event's outcome into queue behaviour:
// done → complete; transient → try again with backoff; permanent → fail now;
// Zoho unusable (not connected, token revoked, quota) → the whole queue waits, no retry spent;
// one endpoint paused (a lock-out, a long quota wait) → only that event waits.
// An event job maps these onto BullMQ directly. A batch job syncs its events side by side; an
// event that must try again or wait alone continues in a job of its own, so one event's trouble
// neither holds back nor repeats the others; when the whole queue waits, the batch waits with it
// and later resumes with the events it had not synced.
import { DelayedError, RateLimitError, UnrecoverableError, type Job } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import pLimit from 'p-limit';
import type { EventRepository } from '../db/events.ts';
import type { SyncEventResult, SyncService } from '../sync/sync-event.ts';
import type { EventEnqueuer } from '../queue/enqueue-events.ts';
import type { InstallationIdentity } from '../queue/installation.ts';
import { createSyncAttempt } from './sync-attempt.ts';
import { isBatchData, retryDelayMs, syncJobId, type SyncBatchData, type SyncJobData, type SyncQueue, type SyncQueueData } from '../queue/sync-queue.ts';

/** How long another installation's job is put back for before a worker (ideally its own) looks at it again. */
const FOREIGN_JOB_DELAY_MS = 60_000;

/** Events put aside wake spread over this share of their wait, not all in the same millisecond. */
const WAKE_SPREAD = 0.1;

export interface BatchSummary {
  done: number;
  failed: number;
  /** Events that continue in jobs of their own (to try again, or to wait alone). */
  movedToOwnJob: number;
}

function wakeDelayMs(waitMs: number): number {
  return waitMs + Math.round(Math.random() * waitMs * WAKE_SPREAD);
}

export function createSyncProcessor(deps: {
  sync: SyncService;
  events: EventRepository;
  queue: SyncQueue;
  enqueuer: Pick<EventEnqueuer, 'enqueueEach' | 'forgetBatched'>;
  log: FastifyBaseLogger;
  installation: Pick<InstallationIdentity, 'id' | 'isForeign'>;
  /** Events synced at once by this process, whether from batch jobs or event jobs (WORKER_CONCURRENCY). */
  concurrency: number;
}) {
  // One limit for the whole process: a batch syncs its events side by side, so that one slow
  // Zoho call does not hold back the rest, and yet no more than `concurrency` are under way.
  const syncSlot = pLimit(deps.concurrency);
  const syncAttempt = createSyncAttempt(deps);

  /**
   * One attempt; events of the same contact it settled lose their own jobs, which would only find
   * them done. Backfill jobs wait in the delayed set for their paced slot, and otherwise stayed
   * "scheduled" in `status` long after every event was synced. A job another worker runs right
   * now is locked and stays; it finds its event done.
   */
  async function attempt(eventId: bigint, attemptNumber: number, attempts: number, retried: boolean) {
    const outcome = await syncAttempt(eventId, attemptNumber, attempts, retried);
    if (outcome.kind !== 'done') return outcome;
    // The job's return value is stored as JSON in Redis: the ids (bigints) stay out of it.
    const { settledAlongside = [], ...result } = outcome.result;
    await Promise.all(settledAlongside.map((id) => deps.queue.remove(syncJobId(id)).catch(() => 0)));
    return { ...outcome, result };
  }

  async function processEvent(job: Job<SyncJobData>, token: string | undefined): Promise<SyncEventResult> {
    const before = job.data.attemptsBefore ?? 0;
    const outcome = await syncSlot(() =>
      attempt(BigInt(job.data.eventId), before + job.attemptsMade + 1, before + (job.opts.attempts ?? 1), job.data.retried === true),
    );
    switch (outcome.kind) {
      case 'done':
        return outcome.result;
      case 'wait':
        if (token && outcome.alone) {
          // Only this endpoint is paused: this job sleeps until then (no attempt spent), the rest
          // of the queue, such as unsubscribes during a listsubscribe lock-out, goes on.
          await job.moveToDelayed(Date.now() + wakeDelayMs(outcome.waitMs), token);
          throw new DelayedError();
        }
        await deps.queue.rateLimit(outcome.waitMs);
        throw new RateLimitError();
      case 'permanent':
        throw new UnrecoverableError(outcome.message);
      case 'retry':
        throw outcome.error; // BullMQ retries with backoff, or fails the job after the last attempt
    }
  }

  async function processBatch(job: Job<SyncBatchData>): Promise<BatchSummary> {
    const ids = job.data.eventIds;
    const attemptNumber = job.attemptsMade + 1;
    const summary: BatchSummary = { done: 0, failed: 0, movedToOwnJob: 0 };
    /** Events this run settled: synced, failed, or moved to a job of their own. */
    const settledIds = new Set<string>();
    let holdMs: number | undefined;
    const results = await Promise.allSettled(
      ids.map((id) =>
        syncSlot(async () => {
          if (holdMs !== undefined) return; // the queue waits: the event stays in the batch
          const eventId = BigInt(id);
          const outcome = await attempt(eventId, attemptNumber, job.opts.attempts ?? 1, false);
          if (outcome.kind === 'wait' && !outcome.alone) {
            holdMs = Math.max(holdMs ?? 0, outcome.waitMs);
            return;
          }
          if (outcome.kind === 'wait') {
            await deps.enqueuer.enqueueEach([eventId], { attemptsBefore: attemptNumber - 1, delayMs: wakeDelayMs(outcome.waitMs) });
            summary.movedToOwnJob++;
          } else if (outcome.kind === 'retry' && !outcome.lastAttempt) {
            await deps.enqueuer.enqueueEach([eventId], { attemptsBefore: attemptNumber, delayMs: retryDelayMs(attemptNumber) });
            summary.movedToOwnJob++;
          } else {
            summary[outcome.kind === 'done' ? 'done' : 'failed']++;
          }
          settledIds.add(id);
        }),
      ),
    );
    const failure = results.find((result) => result.status === 'rejected');
    if (failure || holdMs !== undefined) {
      // The batch keeps only the events still to settle: BullMQ runs it again after its backoff
      // (an unexpected failure, such as Postgres gone) or once the queue's wait is over (Zoho
      // takes nothing now, no attempt spent).
      await deps.enqueuer.forgetBatched([...settledIds]);
      await job.updateData({ eventIds: ids.filter((id) => !settledIds.has(id)) });
      if (failure) throw failure.reason;
      await deps.queue.rateLimit(holdMs!);
      throw new RateLimitError();
    }
    await deps.enqueuer.forgetBatched(ids);
    return summary;
  }

  /**
   * A job another installation queued names events of another database: syncing the events with
   * those ids here would send the wrong people to Zoho. It is put back untouched (not run, not
   * failed, no attempt spent) for its own installation's workers, and the clash is logged.
   */
  async function leaveForeignJob(job: Job<SyncQueueData>, token: string | undefined): Promise<never> {
    deps.log.error(
      { jobId: job.id, jobInstallation: job.data.installation, installation: deps.installation.id },
      'A job of another bridge installation is in this REDIS_PREFIX: left it alone. Two bridges with different databases share a Redis prefix; give each its own REDIS_PREFIX',
    );
    if (!token) throw new Error('A job of another bridge installation cannot be put back without its lock token.');
    await job.moveToDelayed(Date.now() + FOREIGN_JOB_DELAY_MS, token);
    throw new DelayedError();
  }

  return function processSyncJob(job: Job<SyncQueueData>, token?: string): Promise<SyncEventResult | BatchSummary> {
    if (deps.installation.isForeign(job.data.installation)) return leaveForeignJob(job, token);
    return isBatchData(job.data) ? processBatch(job as Job<SyncBatchData>) : processEvent(job as Job<SyncJobData>, token);
  };
}
