// What the owner can do with failed events: retry one, retry every failed event matching the sync
// log's filter, or discard one. Only failed events qualify; each is claimed with a conditional
// UPDATE, so two clicks (or two tabs) never queue an event twice.
import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import type { EventEnqueuer } from '../queue/enqueue-events.ts';
import type { Services } from '../services.ts';
import { eventWhere, type EventFilter } from './event-filter.ts';

export type ActionResult = 'done' | 'not_found' | 'not_failed';

export interface EventActionDependencies {
  db: Db;
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
    const claimed = await this.#claim({ id: { in: [id] } });
    if (claimed.length === 0) return this.#whyNot(id);
    await this.#enqueue(claimed);
    return 'done';
  }

  /** How many failed events the filter matches: shown before asking to retry them all. */
  async countFailed(filter: EventFilter): Promise<number> {
    return this.deps.db.webhookEvent.count({ where: { AND: [await eventWhere(this.deps.db, filter), { status: 'failed' }] } });
  }

  /**
   * Retries every failed event the filter matches, a batch at a time; returns how many. The walk
   * goes up by id, so an event that fails again while later batches are queued is not retried twice.
   */
  async retryMatching(filter: EventFilter): Promise<number> {
    const where = await eventWhere(this.deps.db, filter);
    let total = 0;
    let after = -1n;
    for (;;) {
      const batch = await this.deps.db.webhookEvent.findMany({
        where: { AND: [where, { status: 'failed', id: { gt: after } }] },
        orderBy: { id: 'asc' },
        take: this.deps.batchSize ?? 200,
        select: { id: true },
      });
      if (batch.length === 0) return total;
      after = batch.at(-1)!.id;
      const claimed = await this.#claim({ id: { in: batch.map((event) => event.id) } });
      await this.#enqueue(claimed);
      total += claimed.length;
    }
  }

  /** Marks a failed event as dealt with, without contacting Zoho. */
  async discard(id: bigint, at: Date = new Date()): Promise<ActionResult> {
    const { count } = await this.deps.db.webhookEvent.updateMany({
      where: { id, status: 'failed' },
      data: {
        status: 'skipped',
        statusReason: `Discarded by the owner on ${at.toISOString().slice(0, 16).replace('T', ' ')} UTC. Nothing was sent to Zoho.`,
        processedAt: at,
      },
    });
    return count > 0 ? 'done' : this.#whyNot(id);
  }

  /** Failed → received, reason cleared; returns the ids this call took (never one another call took). */
  async #claim(where: Prisma.WebhookEventWhereInput): Promise<bigint[]> {
    const rows = await this.deps.db.webhookEvent.updateManyAndReturn({
      where: { AND: [where, { status: 'failed' }] },
      data: { status: 'received', statusReason: null, processedAt: null },
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }

  /** Should Redis be unreachable, the events stay `received` and the sweeper queues them later. */
  async #enqueue(ids: bigint[]): Promise<void> {
    await this.deps.enqueuer.enqueueAfresh(ids, { retried: true });
  }

  async #whyNot(id: bigint): Promise<ActionResult> {
    const event = await this.deps.db.webhookEvent.findUnique({ where: { id }, select: { id: true } });
    return event ? 'not_failed' : 'not_found';
  }
}

/** The actions wired to the process's services. */
export function eventActionsOf(services: Pick<Services, 'db' | 'enqueuer'>): EventActions {
  return new EventActions({ db: services.db, enqueuer: services.enqueuer });
}
