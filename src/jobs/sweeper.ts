// Makes sure every stored event that still has to sync has a job. Postgres knows which events are
// pending; Redis knows which have a job; the sweeper compares the two. Jobs go missing when:
// - an event was never queued: Redis was down when it arrived, or the process stopped between
//   committing it and queueing it;
// - a job vanished: Redis restarted without its data;
// - BullMQ failed a job (a worker killed mid-job too often) before the event could be marked.
// Runs on a BullMQ job scheduler, so one worker somewhere runs each sweep; at worker start; and
// at once whenever a worker's Redis connection comes back (src/jobs/redis-recovery.ts).
import type { FastifyBaseLogger } from 'fastify';
import type { EventRepository } from '../db/events.ts';
import type { EventEnqueuer } from '../queue/enqueue-events.ts';

/** Younger events are left to the receiver, which queues them right after answering. */
const GRACE_MS = 5_000;
/** Pending events whose job is checked per Redis pipeline (CHECKS_PER_SWEEP is a multiple). */
const BATCH = 500;
/**
 * Pending events checked per scheduled sweep; the next sweep carries on where this one stopped,
 * so during a backlog of 20,000 the whole of it is checked every five minutes, and a sweep costs
 * Redis about 15,000 O(1) lookups (the event's own job, its batch in the hash, and that batch).
 */
const CHECKS_PER_SWEEP = 5_000;

export interface SweepOptions {
  /**
   * Leave events younger than this to the receiver. Queueing one twice is harmless (the job id
   * is the event's), so after an outage, when the receiver could not queue anything, it is 0.
   * @defaultValue 5_000
   */
  graceMs?: number;
  /**
   * Check every pending event, not one slice: at worker start and after a Redis outage, when
   * many events may lack their job at once.
   * @defaultValue false
   */
  whole?: boolean;
}

export class Sweeper {
  /** Where the last slice stopped: the walk goes through all pending events, then wraps. */
  #checkedUpTo = 0n;

  constructor(
    private readonly events: EventRepository,
    private readonly enqueuer: EventEnqueuer,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Queues every checked event that had no live job; returns how many that was. */
  async sweep(options: SweepOptions = {}): Promise<number> {
    const olderThan = new Date(Date.now() - (options.graceMs ?? GRACE_MS));
    const budget = options.whole ? Number.POSITIVE_INFINITY : CHECKS_PER_SWEEP;
    let afterId = options.whole ? 0n : this.#checkedUpTo;
    let checked = 0;
    const queued: bigint[] = [];
    for (;;) {
      const ids = await this.events.findPending(afterId, olderThan, BATCH);
      if (ids.length > 0) queued.push(...(await this.enqueuer.requeueLost(ids)));
      checked += ids.length;
      afterId = ids.at(-1) ?? afterId;
      if (ids.length < BATCH) {
        afterId = 0n; // reached the newest pending event: the next slice starts again from the oldest
        break;
      }
      if (checked >= budget) break;
    }
    if (!options.whole) this.#checkedUpTo = afterId;
    if (queued.length > 0) {
      this.log.warn(
        { queued: queued.length, checked, firstEventId: queued[0]!.toString() },
        'Sweeper queued stored events that had no job in Redis (Redis was down or lost its data, a process stopped before queueing, or a job was given up)',
      );
    }
    return queued.length;
  }
}
