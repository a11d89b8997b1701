// The retention use case: deletes what the bridge no longer needs once its time is up
// (docs/security.md, "Retention"). Run daily by the maintenance queue. It works in small batches
// with a pause between them, each a short statement of its own, so receiving never waits on it;
// events that are still to sync, or failed, are never deleted, whatever their age.
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyBaseLogger } from 'fastify';
import type { ContactRepository } from '../db/contacts.ts';
import type { EventRepository } from '../db/events.ts';
import type { RejectionRepository } from '../db/rejections.ts';
import type { SyncAttemptRepository } from '../db/sync-attempts.ts';

const DAY_MS = 24 * 3600_000;

export interface RetentionPolicy {
  /** Delivery bodies (the events), counted from when the event settled; also the snapshots of deleted customers. */
  deliveriesDays: number;
  syncLogDays: number;
  refusalsDays: number;
}

export interface PruneReport {
  events: number;
  snapshots: number;
  syncLogEntries: number;
  refusals: number;
}

export interface RetentionDependencies {
  events: Pick<EventRepository, 'deleteSettledBefore'>;
  contacts: Pick<ContactRepository, 'clearSnapshotsDeletedBefore'>;
  attempts: Pick<SyncAttemptRepository, 'deleteMadeBefore'>;
  rejections: Pick<RejectionRepository, 'deleteReceivedBefore'>;
  policy: RetentionPolicy;
  log: FastifyBaseLogger;
  /** Rows per statement. @defaultValue 500 */
  batchSize?: number;
  /** Pause between statements. @defaultValue 50 */
  pauseMs?: number;
  now?: () => number;
}

export async function pruneExpiredData(deps: RetentionDependencies): Promise<PruneReport> {
  const now = (deps.now ?? Date.now)();
  const before = (days: number) => new Date(now - days * DAY_MS);
  const batchSize = deps.batchSize ?? 500;
  const inBatches = async (step: (cutoff: Date, batchSize: number) => Promise<number>, cutoff: Date) => {
    let total = 0;
    for (;;) {
      const done = await step(cutoff, batchSize);
      total += done;
      if (done < batchSize) return total;
      await sleep(deps.pauseMs ?? 50);
    }
  };
  const { policy } = deps;
  const report: PruneReport = {
    events: await inBatches((cutoff, size) => deps.events.deleteSettledBefore(cutoff, size), before(policy.deliveriesDays)),
    snapshots: await inBatches((cutoff, size) => deps.contacts.clearSnapshotsDeletedBefore(cutoff, size), before(policy.deliveriesDays)),
    syncLogEntries: await inBatches((cutoff, size) => deps.attempts.deleteMadeBefore(cutoff, size), before(policy.syncLogDays)),
    refusals: await inBatches((cutoff, size) => deps.rejections.deleteReceivedBefore(cutoff, size), before(policy.refusalsDays)),
  };
  deps.log.info({ ...report, policy }, 'Deleted data past its retention time');
  return report;
}
