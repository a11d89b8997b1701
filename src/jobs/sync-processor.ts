// Runs one sync job and translates the outcome into queue behaviour (STYLE.md habit 6):
// done → complete; transient → throw, the queue retries with backoff; permanent → fail now;
// Zoho unusable (not connected, token revoked, quota) → the whole queue waits, no retry spent.
import { RateLimitError, UnrecoverableError, type Job, type Queue } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { EventRepository } from '../db/events.ts';
import type { SyncEventResult, SyncService } from '../sync/sync-event.ts';
import { PermanentSyncError, WaitForZohoError } from '../zoho/errors.ts';
import type { SyncJobData } from './sync-queue.ts';

/**
 * While Zoho is disconnected the queue is re-checked this often, so jobs resume within this long
 * of a reconnection even if nobody clears the wait.
 */
const MAX_CONNECTION_WAIT_MS = 15_000;

export function createSyncProcessor(deps: {
  sync: SyncService;
  events: EventRepository;
  queue: Queue<SyncJobData>;
  log: FastifyBaseLogger;
}) {
  return async function processSyncJob(job: Job<SyncJobData>): Promise<SyncEventResult> {
    const eventId = BigInt(job.data.eventId);
    const attempt = job.attemptsMade + 1;
    try {
      const result = await deps.sync.syncEvent(eventId, { attempt });
      deps.log.info({ eventId: job.data.eventId, status: result.status }, result.message);
      return result;
    } catch (error) {
      if (error instanceof WaitForZohoError) {
        await deps.events.setStatus(eventId, 'waiting', error.message, { onlyIfPending: true });
        const waitMs =
          error.kind === 'not_connected' || error.kind === 'needs_reconnect'
            ? Math.min(error.waitMs, MAX_CONNECTION_WAIT_MS)
            : error.waitMs;
        deps.log.warn({ eventId: job.data.eventId, kind: error.kind, waitMs }, `Sync waits: ${error.message}`);
        await deps.queue.rateLimit(waitMs);
        throw new RateLimitError();
      }
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof PermanentSyncError) {
        await deps.events.setStatus(eventId, 'failed', message, { onlyIfPending: true });
        deps.log.warn({ eventId: job.data.eventId }, `Sync failed for good: ${message}`);
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
      throw error;
    }
  };
}
