// Puts stored events into the sync queue. Used right after a delivery is committed and by the
// sweeper for anything that missed the queue.
//
// Nothing is written back to Postgres: Redis is the record of which events have a job. Marking
// each event "queued" was a second full write of every delivery (a new row version and an entry
// in each of its indexes), the largest Postgres cost of ingest (bench/RESULTS.md); the sweeper
// asks Redis instead, two O(1) lookups per pending event.
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { SYNC_JOB, syncJobId, syncJobOptions, type SyncJobData } from './sync-queue.ts';

export class EventEnqueuer {
  constructor(
    private readonly queue: Queue<SyncJobData>,
    private readonly attempts: number,
    /** The queue's own connection, for the job checks in requeueLost. */
    private readonly redis: Redis,
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
  }

  /**
   * Queues the events that are still to sync but have no live job: never queued (Redis was down
   * when they arrived, or the process stopped between committing and queueing), gone (Redis
   * restarted without its data), or failed in BullMQ before the event could be marked (a worker
   * killed mid-job too often). A job in any other state is left alone. Returns the ids queued.
   */
  async requeueLost(eventIds: bigint[]): Promise<bigint[]> {
    const lost = await this.#withoutLiveJob(eventIds);
    if (lost.length === 0) return [];
    // The job id is the event's, so a failed job must go before the event can be queued again.
    await Promise.all(lost.map((id) => this.queue.remove(syncJobId(id))));
    await this.enqueue(lost);
    return lost;
  }

  /** The events that have no job at all (neither waiting, running, delayed, done nor failed). */
  async withoutJob(eventIds: bigint[]): Promise<bigint[]> {
    const jobs = await this.#jobChecks(eventIds);
    return eventIds.filter((_, index) => !jobs[index]!.exists);
  }

  /** The events whose job is missing or failed. */
  async #withoutLiveJob(eventIds: bigint[]): Promise<bigint[]> {
    const jobs = await this.#jobChecks(eventIds);
    return eventIds.filter((_, index) => !jobs[index]!.exists || jobs[index]!.failed);
  }

  /**
   * Whether each event's job exists, and whether it is in the failed set. Asked of Redis directly,
   * two O(1) lookups per job, rather than with BullMQ's getJobState: that walks the whole wait
   * list (LPOS) for a waiting job, so during a backlog of 20,000 jobs each sweep of 1,000 events
   * held Redis for about half a second (bench/RESULTS.md, "Drain").
   */
  async #jobChecks(eventIds: bigint[]): Promise<Array<{ exists: boolean; failed: boolean }>> {
    const pipeline = this.redis.pipeline();
    for (const id of eventIds) {
      const jobId = syncJobId(id);
      pipeline.exists(this.queue.toKey(jobId));
      pipeline.zscore(this.queue.keys.failed!, jobId);
    }
    const answers = (await pipeline.exec()) ?? [];
    const failure = answers.find(([error]) => error);
    if (failure) throw failure[0];
    return eventIds.map((_, index) => ({ exists: answers[2 * index]?.[1] !== 0, failed: answers[2 * index + 1]?.[1] !== null }));
  }
}
