// BullMQ can fail a job without the processor seeing it: a job whose worker died mid-run too
// often (maxStalledCount). Its events must not stay in line for ever, so they are marked failed,
// with the reason, and the owner can retry them.
import type { Job } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { EventRepository } from '../db/events.ts';
import type { EventEnqueuer } from '../queue/enqueue-events.ts';
import { isBatchData, type SyncQueueData } from '../queue/sync-queue.ts';

/** The sync worker's 'failed' listener. */
export function markGivenUpEvents(deps: {
  events: Pick<EventRepository, 'setStatus'>;
  enqueuer: Pick<EventEnqueuer, 'forgetBatched'>;
  log: FastifyBaseLogger;
}) {
  return (job: Job<SyncQueueData> | undefined, error: Error): Promise<void> | undefined => {
    if (!job?.finishedOn) return undefined; // not final: BullMQ retries it with backoff
    const eventIds = isBatchData(job.data) ? job.data.eventIds : [job.data.eventId];
    const reason = `The sync job was given up: ${error.message}`;
    return (
      Promise.all(eventIds.map((eventId) => deps.events.setStatus(BigInt(eventId), 'failed', reason, { onlyIfPending: true })))
        // An event job's id is not in the hash; deleting it there is a no-op.
        .then(() => deps.enqueuer.forgetBatched(eventIds))
        .catch((markError: unknown) => deps.log.error({ err: markError, eventIds }, 'Could not mark given-up events failed; the sweeper will queue them again'))
    );
  };
}
