// Queues every stored event that never made it into the queue: Redis was down when it arrived,
// or the process died between committing and queueing. Runs on a BullMQ job scheduler, so one
// worker somewhere runs each sweep, and once at worker start.
import type { FastifyBaseLogger } from 'fastify';
import type { EventRepository } from '../db/events.ts';
import type { EventEnqueuer } from './enqueue-events.ts';

/** Younger events are left to the receiver, which queues them right after answering. */
const GRACE_MS = 5_000;
const BATCH = 500;

export class Sweeper {
  constructor(
    private readonly events: EventRepository,
    private readonly enqueuer: EventEnqueuer,
    private readonly log: FastifyBaseLogger,
  ) {}

  /** Queues everything overdue; returns how many events were queued. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = await this.events.findUnqueued(new Date(Date.now() - GRACE_MS), BATCH);
      if (ids.length === 0) break;
      await this.enqueuer.enqueue(ids);
      total += ids.length;
      if (ids.length < BATCH) break;
    }
    if (total > 0) this.log.info({ queued: total }, 'Sweeper queued stored events that were not in the queue');
    return total;
  }
}
