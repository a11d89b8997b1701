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

  /**
   * Puts back the jobs of events that are still to sync but whose job is gone: Redis restarted
   * without its data, or BullMQ gave up on the job (a worker killed mid-job too often) before the
   * event could be marked. A job that exists in any other state is left alone, and so is a
   * completed one (re-running it would change nothing). Returns the ids put back.
   */
  async requeueLost(eventIds: bigint[]): Promise<bigint[]> {
    const states = await Promise.all(eventIds.map((id) => this.queue.getJobState(syncJobId(id))));
    const lost = eventIds.filter((_, index) => states[index] === 'unknown' || states[index] === 'failed');
    if (lost.length === 0) return [];
    // The job id is the event's, so a failed job must go before the event can be queued again.
    await Promise.all(lost.map((id) => this.queue.remove(syncJobId(id))));
    await this.enqueue(lost);
    return lost;
  }
}
