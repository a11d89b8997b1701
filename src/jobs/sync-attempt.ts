// One attempt at syncing one event, and what came of it: synced, wait for Zoho (the whole queue,
// or this event alone), failed for good, or try again. The event's status, the log line and the
// metric are written here; what the queue does about it is the processor's (sync-processor.ts).
import type { FastifyBaseLogger } from 'fastify';
import type { EventRepository } from '../db/events.ts';
import { startSyncJobTimer } from '../metrics.ts';
import type { SyncEventResult, SyncService } from '../sync/sync-event.ts';
import { PermanentSyncError, WaitForZohoError } from '../zoho/errors.ts';

/**
 * While Zoho is disconnected the queue is re-checked this often, so jobs resume within this long
 * of a reconnection even if nobody clears the wait.
 */
const MAX_CONNECTION_WAIT_MS = 15_000;

/**
 * Quota waits up to this long hold the whole queue (cheap: nobody polls); longer ones (an hourly
 * or daily window used up) and lock-outs put only the event aside, so other endpoints keep working.
 */
const MAX_QUEUE_HOLD_MS = 60_000;

export type SyncOutcome =
  | { kind: 'done'; result: SyncEventResult }
  | { kind: 'wait'; waitMs: number; alone: boolean }
  | { kind: 'permanent'; message: string }
  | { kind: 'retry'; error: unknown; lastAttempt: boolean };

function waitsAlone(error: WaitForZohoError): boolean {
  return error.kind === 'locked_out' || (error.kind === 'quota' && error.waitMs > MAX_QUEUE_HOLD_MS);
}

export function createSyncAttempt(deps: { sync: SyncService; events: EventRepository; log: FastifyBaseLogger }) {
  /** One attempt at one event: its status, log line and metric are written here. */
  return async function attempt(eventId: bigint, attemptNumber: number, attempts: number, retried: boolean): Promise<SyncOutcome> {
    const id = eventId.toString();
    const finished = startSyncJobTimer();
    try {
      const result = await deps.sync.syncEvent(eventId, { attempt: attemptNumber, retried });
      deps.log.info({ eventId: id, status: result.status, contactId: result.contactId }, result.logMessage ?? `Event ${result.status}`);
      finished(result.status === 'already-done' ? 'already_done' : result.status);
      return { kind: 'done', result };
    } catch (error) {
      if (error instanceof WaitForZohoError) {
        await deps.events.setStatus(eventId, 'waiting', error.message, { onlyIfPending: true });
        const waitMs = error.kind === 'not_connected' || error.kind === 'needs_reconnect' ? Math.min(error.waitMs, MAX_CONNECTION_WAIT_MS) : error.waitMs;
        // Waiting for the bridge's own share of Zoho's allowance is how a backlog drains (during a
        // long one, a line a second); everything else (not connected, locked out) needs a look.
        const level = error.kind === 'quota' ? 'info' : 'warn';
        deps.log[level]({ eventId: id, kind: error.kind, waitMs }, `Sync waits: ${error.message}`);
        finished('waiting');
        return { kind: 'wait', waitMs, alone: waitsAlone(error) };
      }
      const message = error instanceof Error ? error.message : String(error);
      if (error instanceof PermanentSyncError) {
        await deps.events.setStatus(eventId, 'failed', message, { onlyIfPending: true });
        deps.log.warn({ eventId: id }, `Sync failed for good: ${message}`);
        finished('failed');
        return { kind: 'permanent', message };
      }
      const lastAttempt = attemptNumber >= attempts;
      await deps.events.setStatus(
        eventId,
        lastAttempt ? 'failed' : 'queued',
        lastAttempt ? `Gave up after ${attempts} attempts. Last error: ${message}` : `Attempt ${attemptNumber} of ${attempts} failed, will retry: ${message}`,
        { onlyIfPending: true },
      );
      deps.log.warn({ eventId: id, attempt: attemptNumber, attempts, err: error }, 'Sync attempt failed');
      finished(lastAttempt ? 'failed' : 'retry');
      return { kind: 'retry', error, lastAttempt };
    }
  };
}
