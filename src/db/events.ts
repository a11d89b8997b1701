// Repository for webhook_events: every accepted WooCommerce delivery, byte for byte. The only code
// that writes the table; deliveries go in through its group commit (src/db/event-batch-writer.ts).
import { Prisma, type EventStatus, type WebhookEvent } from './generated/client.ts';
import type { Db } from './client.ts';
import { EventBatchWriter, type SqlRunner } from './event-batch-writer.ts';
import { whereOf, type EventCriteria } from './event-criteria.ts';
import type { NewEvent, StoredEvent } from './new-event.ts';

export type EventWithoutBody = Omit<WebhookEvent, 'body'>;

/** The columns a sync log row shows. */
const LOG_COLUMNS = {
  id: true,
  storeId: true,
  topic: true,
  status: true,
  statusReason: true,
  contactKey: true,
  body: true,
  receivedAt: true,
  redeliveries: true,
} as const;
export type LogEvent = Pick<WebhookEvent, keyof typeof LOG_COLUMNS>;

/** Statuses of events that still have to be applied to Zoho. */
export const PENDING_STATUSES: EventStatus[] = ['received', 'queued', 'waiting'];

export class EventRepository {
  readonly #deliveries: EventBatchWriter | undefined;

  /** `deliveries`: the connection deliveries are stored on (src/db/client.ts), for processes that receive them. */
  constructor(
    private readonly db: Db,
    deliveries?: SqlRunner,
  ) {
    this.#deliveries = deliveries && new EventBatchWriter(deliveries);
  }

  /**
   * Stores a delivery, or counts a redelivery when the same store sent the same bytes for the
   * topic before; deliveries arriving together share one INSERT and one commit.
   */
  insertOrCountRedelivery(event: NewEvent): Promise<StoredEvent> {
    if (!this.#deliveries) throw new Error('This EventRepository was made without a connection for deliveries');
    return this.#deliveries.insertOrCountRedelivery(event);
  }

  /**
   * Stores the event unless the same store already has these exact bytes for this topic; then
   * returns the stored one untouched (a re-run backfill is not a redelivery).
   */
  async insertUnlessStored(event: NewEvent): Promise<StoredEvent> {
    const inserted = await this.db.$queryRaw<Array<{ id: bigint; status: EventStatus }>>`
      INSERT INTO webhook_events
        (store_id, topic, resource, resource_id, contact_key, webhook_id, delivery_id,
         body_sha256, body, headers, modified_at, status, status_reason)
      VALUES
        (${event.storeId}, ${event.topic}, ${event.resource}, ${event.resourceId ?? null},
         ${event.contactKey ?? null}, ${event.webhookId ?? null}, ${event.deliveryId ?? null},
         ${event.bodySha256}, ${event.body}, ${JSON.stringify(event.headers)}::jsonb,
         ${event.modifiedAt ?? null}, ${event.status}::event_status, ${event.statusReason ?? null})
      ON CONFLICT (store_id, topic, body_sha256) DO NOTHING
      RETURNING id, status`;
    if (inserted[0]) return { ...inserted[0], inserted: true };
    const existing = await this.db.webhookEvent.findUniqueOrThrow({
      where: { storeId_topic_bodySha256: { storeId: event.storeId, topic: event.topic, bodySha256: event.bodySha256 } },
      select: { id: true, status: true },
    });
    return { ...existing, inserted: false };
  }

  /**
   * insertUnlessStored for a page of events at once (a backfill's page): one INSERT and at most
   * one SELECT instead of a round trip per event. Returns them in the order given.
   */
  async insertManyUnlessStored(events: readonly NewEvent[]): Promise<StoredEvent[]> {
    if (events.length === 0) return [];
    const rows = events.map(
      (event) => Prisma.sql`(${event.storeId}, ${event.topic}, ${event.resource}, ${event.resourceId ?? null},
        ${event.contactKey ?? null}, ${event.webhookId ?? null}, ${event.deliveryId ?? null},
        ${event.bodySha256}, ${event.body}, ${JSON.stringify(event.headers)}::jsonb,
        ${event.modifiedAt ?? null}, ${event.status}::event_status, ${event.statusReason ?? null})`,
    );
    const inserted = await this.db.$queryRaw<Array<{ id: bigint; status: EventStatus; store_id: string; topic: string; body_sha256: string }>>`
      INSERT INTO webhook_events
        (store_id, topic, resource, resource_id, contact_key, webhook_id, delivery_id,
         body_sha256, body, headers, modified_at, status, status_reason)
      VALUES ${Prisma.join(rows)}
      ON CONFLICT (store_id, topic, body_sha256) DO NOTHING
      RETURNING id, status, store_id, topic, body_sha256`;
    const keyOf = (storeId: string, topic: string, sha: string) => `${storeId} ${topic} ${sha}`;
    const found = new Map(inserted.map((row) => [keyOf(row.store_id, row.topic, row.body_sha256), { id: row.id, status: row.status, inserted: true }]));
    const missing = events.filter((event) => !found.has(keyOf(event.storeId, event.topic, event.bodySha256)));
    if (missing.length > 0) {
      const existing = await this.db.webhookEvent.findMany({
        where: { OR: missing.map((event) => ({ storeId: event.storeId, topic: event.topic, bodySha256: event.bodySha256 })) },
        select: { id: true, status: true, storeId: true, topic: true, bodySha256: true },
      });
      for (const row of existing) found.set(keyOf(row.storeId, row.topic, row.bodySha256), { id: row.id, status: row.status, inserted: false });
    }
    // The same bytes twice on one page: the first copy is the inserted one.
    const seen = new Set<string>();
    return events.map((event) => {
      const key = keyOf(event.storeId, event.topic, event.bodySha256);
      const stored = found.get(key);
      if (!stored) throw new Error('A backfilled event was neither inserted nor found');
      const repeat = seen.has(key);
      seen.add(key);
      return repeat ? { ...stored, inserted: false } : stored;
    });
  }

  findById(id: bigint): Promise<WebhookEvent | null> {
    return this.db.webhookEvent.findUnique({ where: { id } });
  }

  /**
   * An event without its body: what a sync job needs to find the contact and log its calls. The
   * body (1–3 KB) is read once per job, with the contact's other waiting events.
   */
  findWithoutBody(id: bigint): Promise<EventWithoutBody | null> {
    return this.db.webhookEvent.findUnique({ where: { id }, omit: { body: true } });
  }

  /** An event's stored body alone. */
  async findBody(id: bigint): Promise<Uint8Array | undefined> {
    const row = await this.db.webhookEvent.findUnique({ where: { id }, select: { body: true } });
    return row?.body;
  }

  /** An event's status alone, for re-checking it under the contact lock. */
  findStatus(id: bigint): Promise<Pick<WebhookEvent, 'status' | 'statusReason'> | null> {
    return this.db.webhookEvent.findUnique({ where: { id }, select: { status: true, statusReason: true } });
  }

  /**
   * Events still to be applied (received, queued or waiting) that arrived before `olderThan`, in
   * id order after `afterId`: the sweeper checks that each has its job, a slice at a time.
   */
  async findPending(afterId: bigint, olderThan: Date, limit: number): Promise<bigint[]> {
    const rows = await this.db.webhookEvent.findMany({
      where: { status: { in: PENDING_STATUSES }, id: { gt: afterId }, receivedAt: { lt: olderThan } },
      select: { id: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
    return rows.map((row) => row.id);
  }

  /** Events about one contact still waiting to be applied, oldest snapshot first. */
  findPendingForContact(storeId: string, contactKey: string): Promise<WebhookEvent[]> {
    return this.db.webhookEvent.findMany({
      where: { storeId, contactKey, status: { in: PENDING_STATUSES } },
      orderBy: [{ modifiedAt: { sort: 'asc', nulls: 'last' } }, { id: 'asc' }],
    });
  }

  async setContactKey(id: bigint, contactKey: string): Promise<void> {
    await this.db.webhookEvent.update({ where: { id }, data: { contactKey } });
  }

  async setStatus(ids: bigint | bigint[], status: EventStatus, statusReason: string | null, options: { onlyIfPending?: boolean } = {}): Promise<void> {
    const idList = Array.isArray(ids) ? ids : [ids];
    if (idList.length === 0) return;
    const finished = status === 'synced' || status === 'coalesced' || status === 'skipped' || status === 'failed';
    await this.db.webhookEvent.updateMany({
      where: {
        id: { in: idList },
        ...(options.onlyIfPending ? { status: { in: PENDING_STATUSES } } : {}),
      },
      data: { status, statusReason, ...(finished ? { processedAt: new Date() } : {}) },
    });
  }

  async countAttempt(id: bigint): Promise<void> {
    await this.db.webhookEvent.update({ where: { id }, data: { attempts: { increment: 1 } } });
  }

  /** Events still to sync, and failed ones, by status (cheap: served by the status index). */
  async countPending(): Promise<Record<'received' | 'queued' | 'waiting' | 'failed', number>> {
    const rows = await this.db.webhookEvent.groupBy({
      by: ['status'],
      where: { status: { in: ['received', 'queued', 'waiting', 'failed'] } },
      _count: { _all: true },
    });
    const counts = { received: 0, queued: 0, waiting: 0, failed: 0 };
    for (const row of rows) counts[row.status as keyof typeof counts] = row._count._all;
    return counts;
  }

  /**
   * The bodies of the store's newest deliveries, at most `take` of them, among the newest
   * `lookBack` events of every store: a store that rarely sends costs no more than a busy one.
   */
  async recentBodies(storeId: string, take: number, lookBack: number): Promise<Uint8Array[]> {
    const newest = await this.db.webhookEvent.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
    if (!newest) return [];
    const rows = await this.db.webhookEvent.findMany({
      where: { storeId, id: { gt: newest.id - BigInt(lookBack) } },
      orderBy: { id: 'desc' },
      take,
      select: { body: true },
    });
    return rows.map((row) => row.body);
  }

  /** The current status of each of these events (a backfill following its own events). */
  findStatuses(ids: bigint[]): Promise<Array<{ id: bigint; status: EventStatus }>> {
    return this.db.webhookEvent.findMany({ where: { id: { in: ids } }, select: { id: true, status: true } });
  }

  /** Events a backfill stored for this store that are not synced yet (marked by their headers). */
  countPendingFromBackfill(storeId: string): Promise<number> {
    return this.db.webhookEvent.count({
      where: { storeId, status: { in: PENDING_STATUSES }, headers: { path: ['x-bridge-source'], equals: 'backfill' } },
    });
  }

  /** The newest delivery WooCommerce sent this store (imports carry no webhook id), for the first-run checklist. */
  latestDelivery(storeId: string): Promise<{ topic: string; receivedAt: Date; status: EventStatus } | null> {
    return this.db.webhookEvent.findFirst({
      where: { storeId, webhookId: { not: null } },
      orderBy: { id: 'desc' },
      select: { topic: true, receivedAt: true, status: true },
    });
  }

  /** The events one backfill run stored, by status (its import's "sent to Zoho" progress). */
  async countOfBackfillRun(storeId: string, runId: bigint): Promise<Partial<Record<EventStatus, number>>> {
    const rows = await this.db.webhookEvent.groupBy({
      by: ['status'],
      where: { storeId, headers: { path: ['x-bridge-backfill-run'], equals: runId.toString() } },
      _count: { _all: true },
    });
    return Object.fromEntries(rows.map((row) => [row.status, row._count._all]));
  }

  /** A cancelled import: its events still waiting for their slot are not sent; returns their ids. */
  async skipUnsentOfBackfillRun(storeId: string, runId: bigint, reason: string): Promise<bigint[]> {
    const where = { storeId, status: 'received' as const, headers: { path: ['x-bridge-backfill-run'], equals: runId.toString() } };
    const rows = await this.db.webhookEvent.findMany({ where, select: { id: true } });
    if (rows.length === 0) return [];
    await this.db.webhookEvent.updateMany({
      where: { ...where, id: { in: rows.map((row) => row.id) } },
      data: { status: 'skipped', statusReason: reason, processedAt: new Date() },
    });
    return rows.map((row) => row.id);
  }

  /**
   * The events stored since `since` with this header value (an "apply settings to everyone"
   * run's), by status. `since` (the run's start) keeps it to the events received after it.
   */
  async countWithHeader(storeId: string, header: string, value: string, since: Date): Promise<Partial<Record<EventStatus, number>>> {
    const rows = await this.db.webhookEvent.groupBy({
      by: ['status'],
      where: { storeId, receivedAt: { gte: since }, headers: { path: [header], equals: value } },
      _count: { _all: true },
    });
    return Object.fromEntries(rows.map((row) => [row.status, row._count._all]));
  }

  /** Whether any of those events is still to be sent (cheap: served by the status index). */
  async hasPendingWithHeader(storeId: string, header: string, value: string, since: Date): Promise<boolean> {
    const found = await this.db.webhookEvent.findFirst({
      where: { status: { in: PENDING_STATUSES }, receivedAt: { gte: since }, storeId, headers: { path: [header], equals: value } },
      select: { id: true },
    });
    return found !== null;
  }

  /** Events with this header value still waiting for their first try are not sent; returns their ids. */
  async skipUnsentWithHeader(storeId: string, header: string, value: string, reason: string): Promise<bigint[]> {
    const where = { storeId, status: 'received' as const, attempts: 0, headers: { path: [header], equals: value } };
    const rows = await this.db.webhookEvent.findMany({ where, select: { id: true } });
    if (rows.length === 0) return [];
    await this.db.webhookEvent.updateMany({
      where: { ...where, id: { in: rows.map((row) => row.id) } },
      data: { status: 'skipped', statusReason: reason, processedAt: new Date() },
    });
    return rows.map((row) => row.id);
  }

  countByStatus(): Promise<Array<{ status: EventStatus; _count: { _all: number } }>> {
    return this.db.webhookEvent.groupBy({ by: ['status'], _count: { _all: true } }) as never;
  }

  /**
   * Deletes up to `batchSize` events that settled (synced, coalesced, skipped) before `cutoff`;
   * returns how many. Unsettled and failed events are never touched. The sync log keeps its rows
   * (their event_id becomes null).
   */
  async deleteSettledBefore(cutoff: Date, batchSize: number): Promise<number> {
    return this.db.$executeRaw`
      DELETE FROM webhook_events WHERE id IN (
        SELECT id FROM webhook_events
         WHERE status IN ('synced', 'coalesced', 'skipped') AND received_at < ${cutoff}
           AND COALESCE(processed_at, received_at) < ${cutoff}
         LIMIT ${batchSize})`;
  }

  /** Deletes the events about these contacts (erasure); returns how many. */
  async deleteAboutContacts(contacts: Array<{ storeId: string; customerKey: string; customerId: number | null }>): Promise<number> {
    if (contacts.length === 0) return 0;
    const deleted = await this.db.webhookEvent.deleteMany({
      where: {
        OR: contacts.flatMap((contact) => [
          { storeId: contact.storeId, contactKey: contact.customerKey },
          ...(contact.customerId !== null ? [{ storeId: contact.storeId, resource: 'customer', resourceId: String(contact.customerId) }] : []),
        ]),
      },
    });
    return deleted.count;
  }

  /** A page of the sync log: older than `before` (newest first) or newer than `after` (oldest first). */
  findForLog(criteria: EventCriteria, cursor: { before?: bigint | undefined; after?: bigint | undefined }, take: number): Promise<LogEvent[]> {
    const goingBack = cursor.after !== undefined;
    const page = goingBack ? { id: { gt: cursor.after } } : cursor.before !== undefined ? { id: { lt: cursor.before } } : {};
    return this.db.webhookEvent.findMany({ where: { AND: [whereOf(criteria), page] }, orderBy: { id: goingBack ? 'asc' : 'desc' }, take, select: LOG_COLUMNS });
  }

  /** How many events match, counted up to `cap` + 1 so a huge log costs what a small one does. */
  countUpTo(criteria: EventCriteria, cap: number): Promise<number> {
    return this.db.webhookEvent.count({ where: whereOf(criteria), take: cap + 1 });
  }

  findLogEvent(id: bigint): Promise<LogEvent | null> {
    return this.db.webhookEvent.findUnique({ where: { id }, select: LOG_COLUMNS });
  }

  /** These events (those that exist) as the sync log shows them, newest first. */
  findLogEvents(ids: bigint[]): Promise<LogEvent[]> {
    return this.db.webhookEvent.findMany({ where: { id: { in: ids } }, orderBy: { id: 'desc' }, select: LOG_COLUMNS });
  }

  /** Newer events about the same contact, newest first. */
  findLaterForContact(storeId: string, contactKey: string, afterId: bigint, take: number): Promise<WebhookEvent[]> {
    return this.db.webhookEvent.findMany({ where: { storeId, contactKey, id: { gt: afterId } }, orderBy: { id: 'desc' }, take });
  }

  countFailed(criteria: EventCriteria): Promise<number> {
    return this.db.webhookEvent.count({ where: { AND: [whereOf(criteria), { status: 'failed' }] } });
  }

  /** Ids of failed events matching `criteria` above `afterId`, in id order. */
  async findFailedIds(criteria: EventCriteria, afterId: bigint, take: number): Promise<bigint[]> {
    const rows = await this.db.webhookEvent.findMany({
      where: { AND: [whereOf(criteria), { status: 'failed', id: { gt: afterId } }] },
      orderBy: { id: 'asc' },
      take,
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }

  /**
   * Failed → received, reason cleared; returns the ids this call took. A conditional UPDATE, so
   * two clicks (or two tabs) never take the same event.
   */
  async claimFailed(ids: bigint[]): Promise<bigint[]> {
    const rows = await this.db.webhookEvent.updateManyAndReturn({
      where: { id: { in: ids }, status: 'failed' },
      data: { status: 'received', statusReason: null, processedAt: null },
      select: { id: true },
    });
    return rows.map((row) => row.id);
  }

  /** Failed → skipped with `reason`; false when the event has not failed (or does not exist). */
  async discardFailed(id: bigint, reason: string, at: Date): Promise<boolean> {
    const { count } = await this.db.webhookEvent.updateMany({
      where: { id, status: 'failed' },
      data: { status: 'skipped', statusReason: reason, processedAt: at },
    });
    return count > 0;
  }

  async exists(id: bigint): Promise<boolean> {
    return (await this.db.webhookEvent.findUnique({ where: { id }, select: { id: true } })) !== null;
  }

  /** Events still open (failed, waiting or in line), per store and status. */
  async countOpenByStore(): Promise<Array<{ storeId: string; status: EventStatus; count: number }>> {
    const rows = await this.db.webhookEvent.groupBy({
      by: ['storeId', 'status'],
      where: { status: { in: ['failed', 'waiting', 'received', 'queued'] } },
      _count: { _all: true },
    });
    return rows.map((row) => ({ storeId: row.storeId, status: row.status, count: row._count._all }));
  }

  /** Events sent to Zoho (synced or coalesced) per store, of those received since `since`. */
  async countSentByStore(since: Date): Promise<Array<{ storeId: string; count: number }>> {
    const rows = await this.db.webhookEvent.groupBy({
      by: ['storeId'],
      where: { status: { in: ['synced', 'coalesced'] }, receivedAt: { gte: since } },
      _count: { _all: true },
    });
    return rows.map((row) => ({ storeId: row.storeId, count: row._count._all }));
  }

  /**
   * Per store and day, the changes received that day by what became of them: sent (Zoho accepted
   * a call for it, or it went with a newer change for the same person), failed, or not sent yet.
   * `dayStarts` are the days' first instants in order, then the last day's end; days are numbered
   * from 1. It reads every change of those days (the received_at index finds them), so callers
   * keep the days few or the answer cached.
   */
  async countPerDay(dayStarts: Date[]): Promise<Array<{ storeId: string; day: number; sent: number; failed: number; waiting: number }>> {
    const [from, until] = [dayStarts[0], dayStarts.at(-1)];
    if (!from || !until || dayStarts.length < 2) return [];
    // received_at holds UTC without a zone; epoch seconds read it as UTC whatever the process's TZ.
    const edges = dayStarts.map((start) => start.getTime() / 1000);
    // A change's calls are made after it arrived, so only the days' calls are looked at. The
    // planner's estimate for the hashed sub-plan makes Postgres JIT-compile the query, which costs
    // more than the query itself: it is turned off for this one.
    const [, rows] = await this.db.$transaction([
      this.db.$executeRaw`SET LOCAL jit = off`,
      this.db.$queryRaw<Array<{ storeId: string; day: number; sent: number; failed: number; waiting: number }>>`
        SELECT store_id AS "storeId", width_bucket(extract(epoch FROM received_at)::float8, ${edges}::float8[]) AS day,
               count(*) FILTER (WHERE status = 'coalesced' OR (status = 'synced' AND id IN (
                 SELECT event_id FROM sync_attempts WHERE created_at >= ${from} AND outcome = 'done')))::int AS sent,
               count(*) FILTER (WHERE status = 'failed')::int AS failed,
               count(*) FILTER (WHERE status IN ('received', 'queued', 'waiting'))::int AS waiting
          FROM webhook_events
         WHERE received_at >= ${from} AND received_at < ${until}
         GROUP BY 1, 2`,
    ]);
    return rows;
  }

  /**
   * The last delivery per topic for a store, looking at most `rows` deliveries back to `since`, so
   * it stays cheap. Only what WooCommerce delivered counts: events an import stored carry
   * `importMark` (header name and value) and are left out.
   */
  lastDeliveryByTopic(
    storeId: string,
    since: Date,
    rows: number,
    importMark: { header: string; value: string },
  ): Promise<Array<{ topic: string; lastAt: Date }>> {
    return this.db.$queryRaw<Array<{ topic: string; lastAt: Date }>>`
      SELECT topic, max(received_at) AS "lastAt" FROM (
        SELECT topic, received_at FROM webhook_events
         WHERE store_id = ${storeId} AND received_at >= ${since}
           AND headers->>${importMark.header} IS DISTINCT FROM ${importMark.value}
         ORDER BY received_at DESC LIMIT ${rows}
      ) recent GROUP BY topic`;
  }

  async failedSince(since: Date, topReasons = 3): Promise<FailedSummary> {
    const where = { status: 'failed' as const, processedAt: { gte: since } };
    const [totals, reasons] = await Promise.all([
      this.db.webhookEvent.aggregate({ where, _count: { _all: true }, _max: { processedAt: true } }),
      this.db.webhookEvent.groupBy({ by: ['statusReason'], where, _count: { _all: true }, orderBy: { _count: { statusReason: 'desc' } }, take: topReasons }),
    ]);
    return {
      count: totals._count._all,
      latestAt: totals._max.processedAt ?? undefined,
      reasons: reasons.map((group) => ({ reason: group.statusReason ?? 'no reason recorded', count: group._count._all })),
    };
  }

  /** When the store's latest delivery arrived (undefined: none yet). */
  async lastDeliveryAt(storeId: string): Promise<Date | undefined> {
    const latest = await this.db.webhookEvent.aggregate({ where: { storeId }, _max: { receivedAt: true } });
    return latest._max.receivedAt ?? undefined;
  }

  /** The hours with at least one delivery from the store in the `days` up to `until` (src/alerts/quiet-store.ts). */
  async activeHours(storeId: string, until: Date, days: number): Promise<Date[]> {
    const from = new Date(until.getTime() - days * 24 * 60 * 60_000);
    // At most 24 × days rows, whatever the volume.
    // received_at holds UTC without a zone; epoch seconds read it as UTC whatever the process's TZ.
    const rows = await this.db.$queryRaw<Array<{ hour: number }>>`
      SELECT DISTINCT extract(epoch FROM date_trunc('hour', received_at))::float8 AS hour FROM webhook_events
       WHERE store_id = ${storeId} AND received_at >= ${from} AND received_at <= ${until}`;
    return rows.map((row) => new Date(Number(row.hour) * 1000));
  }
}

/** Changes that failed for good since a time: how many, the newest, and the commonest reasons. */
export interface FailedSummary {
  count: number;
  latestAt: Date | undefined;
  reasons: Array<{ reason: string; count: number }>;
}
