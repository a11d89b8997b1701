// What the owner can do with failed events: retry one, retry every failed event matching the sync
// log's filter, or discard one. Only failed events qualify; each is claimed with a conditional
// UPDATE, so two clicks (or two tabs) never queue an event twice.
import type { EventRepository } from '../db/events.ts';
import type { EventEnqueuer } from '../queue/enqueue-events.ts';
import { eventCriteria, type EventFilter, type FilterLookups } from '../sync-log/event-filter.ts';

export type ActionResult = 'done' | 'not_found' | 'not_failed';

export interface EventActionDependencies extends FilterLookups {
  events: EventRepository;
  /** Each retried event gets a new job of its own, with the full number of tries again. */
  enqueuer: Pick<EventEnqueuer, 'enqueueAfresh'>;
  /**
   * Events claimed and queued per round of a retry-all.
   * @defaultValue 200
   */
  batchSize?: number;
}

export class EventActions {
  constructor(private readonly deps: EventActionDependencies) {}

  /** Queues a failed event again; the worker then sends the contact's newest state. */
  async retry(id: bigint): Promise<ActionResult> {
    const claimed = await this.deps.events.claimFailed([id]);
    if (claimed.length === 0) return this.#whyNot(id);
    await this.#enqueue(claimed);
    return 'done';
  }

  /** How many failed events the filter matches: shown before asking to retry them all. */
  async countFailed(filter: EventFilter): Promise<number> {
    return this.deps.events.countFailed(await eventCriteria(this.deps, filter));
  }

  /**
   * Retries every failed event the filter matches, a batch at a time; returns how many. The walk
   * goes up by id, so an event that fails again while later batches are queued is not retried twice.
   */
  async retryMatching(filter: EventFilter): Promise<number> {
    const criteria = await eventCriteria(this.deps, filter);
    let total = 0;
    let after = -1n;
    for (;;) {
      const batch = await this.deps.events.findFailedIds(criteria, after, this.deps.batchSize ?? 200);
      if (batch.length === 0) return total;
      after = batch.at(-1)!;
      const claimed = await this.deps.events.claimFailed(batch);
      await this.#enqueue(claimed);
      total += claimed.length;
    }
  }

  /** Marks a failed event as dealt with, without contacting Zoho. */
  async discard(id: bigint, at: Date = new Date()): Promise<ActionResult> {
    const reason = `Discarded by the owner on ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC. Nothing was sent to Zoho.`;
    return (await this.deps.events.discardFailed(id, reason, at)) ? 'done' : this.#whyNot(id);
  }

  /** Should Redis be unreachable, the events stay `received` and the sweeper queues them later. */
  async #enqueue(ids: bigint[]): Promise<void> {
    await this.deps.enqueuer.enqueueAfresh(ids, { retried: true });
  }

  async #whyNot(id: bigint): Promise<ActionResult> {
    return (await this.deps.events.exists(id)) ? 'not_failed' : 'not_found';
  }
}
