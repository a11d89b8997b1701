// Queues backfilled events behind live ones: every backfill job carries a BullMQ priority, and
// jobs without one (every live delivery) are always taken first; and each job is delayed to its
// slot in the backfill schedule (pacing.ts), so a large backfill trickles in within Zoho's daily
// limit instead of using it up. Same job id as any other event, so queueing stays idempotent.
import { SYNC_JOB, syncJobId, syncJobOptions, type SyncQueue } from '../queue/sync-queue.ts';
import type { BackfillPacer } from './pacing.ts';

/** Any priority puts a job after every job without one; 100 leaves room below for other work. */
export const BACKFILL_PRIORITY = 100;

export async function enqueueBackfillJobs(
  deps: { queue: SyncQueue; pacer: BackfillPacer; attempts: number; installation: string; now?: () => number },
  eventIds: bigint[],
): Promise<{ firstAt: number; lastAt: number } | undefined> {
  if (eventIds.length === 0) return undefined;
  const slots = await deps.pacer.reserve(eventIds.length);
  const now = (deps.now ?? Date.now)();
  const options = syncJobOptions(deps.attempts);
  await deps.queue.addBulk(
    eventIds.map((id, index) => ({
      name: SYNC_JOB,
      data: { eventId: id.toString(), installation: deps.installation },
      opts: { ...options, jobId: syncJobId(id), priority: BACKFILL_PRIORITY, delay: Math.max(0, (slots[index] ?? now) - now) },
    })),
  );
  return { firstAt: slots[0] ?? now, lastAt: slots.at(-1) ?? now };
}
