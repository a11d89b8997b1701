// Makes sure every stored event that still has to sync has a job. Two kinds slip through:
// - events never queued: Redis was down when they arrived, or the process died between
//   committing and queueing;
// - events whose job vanished: Redis restarted without its data, or BullMQ failed the job
//   (a worker killed mid-job too often) before the event could be marked.
// Runs on a BullMQ job scheduler, so one worker somewhere runs each sweep; at worker start; and
// at once whenever a worker's Redis connection comes back (src/jobs/redis-recovery.ts).
import type { FastifyBaseLogger } from 'fastify';
import type { EventRepository } from '../db/events.ts';
import type { EventEnqueuer } from './enqueue-events.ts';

/** Younger events are left to the receiver, which queues them right after answering. */
const GRACE_MS = 5_000;
const BATCH = 500;
/** Events whose job is checked per sweep; the next sweep carries on where this one stopped. */
const JOB_CHECKS_PER_SWEEP = 1_000;

export interface SweepOptions {
  /**
   * Leave events younger than this to the receiver. Queueing one twice is harmless (the job id
   * is the event's), so after an outage, when the receiver could not queue anything, it is 0.
   * @defaultValue 5_000
   */
  graceMs?: number;
}

export class Sweeper {
  /** Where the job check stopped: it walks all queued events a slice at a time, then wraps. */
  #checkedUpTo = 0n;

  constructor(
    private readonly events: EventRepository,
    private readonly enqueuer: EventEnqueuer,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Queues everything overdue; returns how many events were queued. */
  async sweep(options: SweepOptions = {}): Promise<number> {
    const queued = await this.#queueUnqueued(options.graceMs ?? GRACE_MS);
    const requeued = await this.#requeueLost();
    if (queued > 0) this.log.info({ queued }, 'Sweeper queued stored events that were not in the queue');
    if (requeued.length > 0) {
      this.log.warn(
        { requeued: requeued.length, firstEventId: requeued[0]!.toString() },
        'Sweeper re-queued events whose job had vanished from Redis (Redis lost its data, or a job was given up)',
      );
    }
    return queued + requeued.length;
  }

  async #queueUnqueued(graceMs: number): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = await this.events.findUnqueued(new Date(Date.now() - graceMs), BATCH);
      if (ids.length === 0) break;
      await this.enqueuer.enqueue(ids);
      total += ids.length;
      if (ids.length < BATCH) break;
    }
    return total;
  }

  async #requeueLost(): Promise<bigint[]> {
    const ids = await this.events.findMarkedQueued(this.#checkedUpTo, JOB_CHECKS_PER_SWEEP);
    this.#checkedUpTo = ids.length < JOB_CHECKS_PER_SWEEP ? 0n : ids.at(-1)!;
    const requeued: bigint[] = [];
    for (let start = 0; start < ids.length; start += BATCH) {
      requeued.push(...(await this.enqueuer.requeueLost(ids.slice(start, start + BATCH))));
    }
    return requeued;
  }
}
