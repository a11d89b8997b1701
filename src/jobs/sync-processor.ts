// Runs one sync job and translates the outcome into queue behaviour (STYLE.md habit 6):
// done → complete; transient → throw, the queue retries with backoff; permanent → fail now;
// Zoho unusable (not connected, token revoked, quota) → the whole queue waits, no retry spent;
// one endpoint paused (a lock-out, a long quota wait) → only the job waits.
import { DelayedError, RateLimitError, UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { EventRepository } from '../db/events.ts';
import type { SyncEventResult, SyncService } from '../sync/sync-event.ts';
import { startSyncJobTimer } from '../metrics.ts';
import { PermanentSyncError, WaitForZohoError } from '../zoho/errors.ts';
import type { SyncJobData } from './sync-queue.ts';

/**
 * While Zoho is disconnected the queue is re-checked this often, so jobs resume within this long
 * of a reconnection even if nobody clears the wait.
 */
const MAX_CONNECTION_WAIT_MS = 15_000;

/**
 * Quota waits up to this long hold the whole queue (cheap: nobody polls); longer ones (an hourly
 * or daily window used up) and lock-outs put only the job aside, so other endpoints keep working.
 */
const MAX_QUEUE_HOLD_MS = 60_000;
/** Jobs put aside wake spread over this share of their wait, not all in the same millisecond. */
const WAKE_SPREAD = 0.1;

function waitsAlone(error: WaitForZohoError): boolean {
  return error.kind === 'locked_out' || (error.kind === 'quota' && error.waitMs > MAX_QUEUE_HOLD_MS);
}

export function createSyncProcessor(deps: {
  sync: SyncService;
  events: EventRepository;
  queue: Queue<SyncJobData>;
  log: FastifyBaseLogger;
}) {
  return async function processSyncJob(job: Job<SyncJobData>, token?: string): Promise<SyncEventResult> {
    const eventId = BigInt(job.data.eventId);
    const attempt = job.attemptsMade + 1;
    const finished = startSyncJobTimer();
    try {
      const result = await deps.sync.syncEvent(eventId, { attempt, retried: job.data.retried === true });
      deps.log.info({ eventId: job.data.eventId, status: result.status }, result.message);
      finished(result.status === 'already-done' ? 'already_done' : result.status);
      return result;
    } catch (error) {
      if (error instanceof WaitForZohoError) {
        await deps.events.setStatus(eventId, 'waiting', error.message, { onlyIfPending: true });
        const waitMs =
          error.kind === 'not_connected' || error.kind === 'needs_reconnect'
            ? Math.min(error.waitMs, MAX_CONNECTION_WAIT_MS)
            : error.waitMs;
        // Waiting for the bridge's own share of Zoho's allowance is how a backlog drains (during a
        // long one, a line a second); everything else (not connected, locked out) needs a look.
        const level = error.kind === 'quota' ? 'info' : 'warn';
        deps.log[level]({ eventId: job.data.eventId, kind: error.kind, waitMs }, `Sync waits: ${error.message}`);
        finished('waiting');
        if (token && waitsAlone(error)) {
          // Only this endpoint is paused: this job sleeps until then (no attempt spent), the rest
          // of the queue, such as unsubscribes during a listsubscribe lock-out, goes on.
          await job.moveToDelayed(Date.now() + waitMs + Math.round(Math.random() * waitMs * WAKE_SPREAD), token);
          throw new DelayedError();
        }
        await deps.queue.rateLimit(waitMs);
        throw new RateLimitError();
      }
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof PermanentSyncError) {
        await deps.events.setStatus(eventId, 'failed', message, { onlyIfPending: true });
        deps.log.warn({ eventId: job.data.eventId }, `Sync failed for good: ${message}`);
        finished('failed');
        throw new UnrecoverableError(message);
      }
      const attempts = job.opts.attempts ?? 1;
      const lastAttempt = attempt >= attempts;
      await deps.events.setStatus(
        eventId,
        lastAttempt ? 'failed' : 'queued',
        lastAttempt ? `Gave up after ${attempts} attempts. Last error: ${message}` : `Attempt ${attempt} of ${attempts} failed, will retry: ${message}`,
        { onlyIfPending: true },
      );
      deps.log.warn({ eventId: job.data.eventId, attempt, attempts, err: error }, 'Sync attempt failed');
      finished(lastAttempt ? 'failed' : 'retry');
      throw error;
    }
  };
}
