// Puts stored events into the sync queue and records that they are there. Used right after a
// delivery is committed and by the sweeper for anything that missed the queue.
import type { Queue } from 'bullmq';
import type { EventRepository } from '../db/events.ts';
import { SYNC_JOB, syncJobId, syncJobOptions, type SyncJobData } from './sync-queue.ts';

export class EventEnqueuer {
  constructor(
    private readonly queue: Queue<SyncJobData>,
    private readonly events: EventRepository,
    private readonly attempts: number,
  ) {}

  async enqueue(eventIds: bigint[]): Promise<void> {
    if (eventIds.length === 0) return;
    const options = syncJobOptions(this.attempts);
    await this.queue.addBulk(
      eventIds.map((id) => ({
        name: SYNC_JOB,
        data: { eventId: id.toString() },
        opts: { ...options, jobId: syncJobId(id) },
      })),
    );
    await this.events.markQueued(eventIds);
  }
}
