// Puts stored events into the sync queue. Used right after deliveries are committed (a batch job
// for all of them), by the sweeper for anything that missed the queue, and for an event of a
// batch that continues in a job of its own.
//
// Nothing is written back to Postgres: Redis is the record of which events have a job. Marking
// each event "queued" would be a second full write of every delivery (a new row version and an
// entry in each of its indexes); the sweeper asks Redis instead, a few O(1) lookups per pending event. For events in a batch job, Redis also
// keeps a hash from event id to batch job id ("batched"), so that the sweeper can find their job.
import type { InstallationIdentity } from './installation.ts';
import type { RedisClient } from '../redis/connection.ts';
import { SYNC_BATCH_JOB, SYNC_JOB, syncBatchJobId, syncJobId, syncJobOptions, type SyncQueue } from './sync-queue.ts';

export interface OwnJobOptions {
  /** The owner pressed Retry (sync-queue.ts, SyncJobData.retried). @defaultValue false */
  retried?: boolean;
  /** Attempts the event already had in its batch. @defaultValue 0 */
  attemptsBefore?: number;
  /** Wait this long before the job may start. @defaultValue 0 */
  delayMs?: number;
}

interface JobCheck {
  /** A job exists for the event (its own or its batch), in any state. */
  exists: boolean;
  /** Every job the event has is in the failed set. */
  failed: boolean;
}

export class EventEnqueuer {
  constructor(
    private readonly queue: SyncQueue,
    private readonly attempts: number,
    /** The queue's own connection: the "batched" hash and the job checks in requeueLost. */
    private readonly redis: RedisClient,
    private readonly installation: Pick<InstallationIdentity, 'id'>,
  ) {}

  /** The installation every job names (src/queue/installation.ts). */
  get installationId(): string {
    return this.installation.id;
  }

  /** The hash from event id to the id of the batch job that carries it. */
  get batchedKey(): string {
    return this.queue.toKey('batched');
  }

  /** Queues the events as one batch job (the receiver's events of the same few milliseconds). */
  async enqueueBatch(eventIds: bigint[]): Promise<void> {
    if (eventIds.length === 0) return;
    const ids = eventIds.map(String);
    const jobId = syncBatchJobId(ids[0]!);
    // The hash first: should the job not follow, the sweeper finds no job behind the entry and
    // queues the events; the other way round, a batch could exist that the sweeper cannot see.
    await this.redis.hset(this.batchedKey, Object.fromEntries(ids.map((id) => [id, jobId])));
    await this.queue.add(SYNC_BATCH_JOB, { eventIds: ids, installation: this.installation.id }, { ...syncJobOptions(this.attempts), jobId });
  }

  /** Queues each event in a job of its own. */
  async enqueueEach(eventIds: bigint[], options: OwnJobOptions = {}): Promise<void> {
    if (eventIds.length === 0) return;
    const attemptsBefore = options.attemptsBefore ?? 0;
    const jobOptions = { ...syncJobOptions(this.attempts, attemptsBefore), ...(options.delayMs ? { delay: options.delayMs } : {}) };
    await this.queue.addBulk(
      eventIds.map((id) => ({
        name: SYNC_JOB,
        data: {
          eventId: id.toString(),
          installation: this.installation.id,
          ...(options.retried ? { retried: true } : {}),
          ...(attemptsBefore > 0 ? { attemptsBefore } : {}),
        },
        opts: { ...jobOptions, jobId: syncJobId(id) },
      })),
    );
  }

  /**
   * Queues each event in a new job of its own, replacing whatever job it had: BullMQ ignores a job
   * whose id exists, so a failed event job must go first, and a batch no longer counts for it.
   */
  async enqueueAfresh(eventIds: bigint[], options: Pick<OwnJobOptions, 'retried'> = {}): Promise<void> {
    if (eventIds.length === 0) return;
    await Promise.all(eventIds.map((id) => this.queue.remove(syncJobId(id))));
    await this.enqueueEach(eventIds, options);
    await this.forgetBatched(eventIds);
  }

  /** The events no longer belong to a batch (synced, given up, or moved to jobs of their own). */
  async forgetBatched(eventIds: Array<bigint | string>): Promise<void> {
    if (eventIds.length > 0) await this.redis.hdel(this.batchedKey, ...eventIds.map(String));
  }

  /**
   * Queues the events that are still to sync but have no live job: never queued (Redis was down
   * when they arrived, or the process stopped between committing and queueing), gone (Redis
   * restarted without its data), or failed in BullMQ before the event could be marked (a worker
   * killed mid-job too often). A job in any other state is left alone. Returns the ids queued.
   */
  async requeueLost(eventIds: bigint[]): Promise<bigint[]> {
    const jobs = await this.#jobChecks(eventIds);
    const lost = eventIds.filter((_, index) => !jobs[index]!.exists || jobs[index]!.failed);
    await this.enqueueAfresh(lost);
    return lost;
  }

  /** The events that have no job at all (neither waiting, running, delayed, done nor failed). */
  async withoutJob(eventIds: bigint[]): Promise<bigint[]> {
    const jobs = await this.#jobChecks(eventIds);
    return eventIds.filter((_, index) => !jobs[index]!.exists);
  }

  /**
   * Whether each event has a job (its own, or a batch listed in the "batched" hash) and whether
   * that job is failed. Asked of Redis directly, a few O(1) lookups per event, rather than with
   * BullMQ's getJobState: that walks the whole wait list (LPOS) for a waiting job, which holds
   * Redis for long during a backlog.
   */
  async #jobChecks(eventIds: bigint[]): Promise<JobCheck[]> {
    const own = await this.#states(eventIds.map((id) => syncJobId(id)));
    const batchIds = eventIds.length === 0 ? [] : await this.redis.hmget(this.batchedKey, ...eventIds.map(String));
    const listed = [...new Set(batchIds.filter((id): id is string => id !== null))];
    const batches = new Map(listed.map((id, index) => [id, index]));
    const batchStates = await this.#states(listed);
    return eventIds.map((_, index) => {
      const batchId = batchIds[index];
      const jobs = [own[index]!, ...(batchId ? [batchStates[batches.get(batchId)!]!] : [])].filter((job) => job.exists);
      return { exists: jobs.length > 0, failed: jobs.length > 0 && jobs.every((job) => job.failed) };
    });
  }

  /** Existence and failure of each job, two O(1) lookups each. */
  async #states(jobIds: string[]): Promise<JobCheck[]> {
    if (jobIds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const jobId of jobIds) {
      pipeline.exists(this.queue.toKey(jobId));
      pipeline.zscore(this.queue.keys.failed!, jobId);
    }
    const answers = (await pipeline.exec()) ?? [];
    const failure = answers.find(([error]) => error);
    if (failure) throw failure[0];
    return jobIds.map((_, index) => ({ exists: answers[2 * index]?.[1] !== 0, failed: answers[2 * index + 1]?.[1] !== null }));
  }
}
