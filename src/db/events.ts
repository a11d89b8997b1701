// Repository for webhook_events: every accepted WooCommerce delivery, byte for byte.
import { Prisma, type EventStatus, type WebhookEvent } from './generated/client.ts';
import type { Db } from './client.ts';
import { optionalPostgresText, postgresText } from './text.ts';

export interface NewEvent {
  storeId: string;
  topic: string;
  resource: string;
  resourceId: string | undefined;
  contactKey: string | undefined;
  webhookId: string | undefined;
  deliveryId: string | undefined;
  bodySha256: string;
  body: Buffer;
  headers: Record<string, string>;
  modifiedAt: Date | undefined;
  status: 'received' | 'skipped';
  statusReason: string | undefined;
}

/** The event with every text taken from the request made storable (src/db/text.ts); the body is bytes. */
export function storableEvent(event: NewEvent): NewEvent {
  return {
    ...event,
    topic: postgresText(event.topic),
    resource: postgresText(event.resource),
    resourceId: optionalPostgresText(event.resourceId),
    contactKey: optionalPostgresText(event.contactKey),
    webhookId: optionalPostgresText(event.webhookId),
    deliveryId: optionalPostgresText(event.deliveryId),
    statusReason: optionalPostgresText(event.statusReason),
    headers: Object.fromEntries(Object.entries(event.headers).map(([name, value]) => [name, postgresText(value)])),
  };
}

export type EventWithoutBody = Omit<WebhookEvent, 'body'>;

export interface StoredEvent {
  id: bigint;
  status: EventStatus;
  /** False when the same store already sent these exact bytes for this topic. */
  inserted: boolean;
}

/** Statuses of events that still have to be applied to Zoho. */
export const PENDING_STATUSES: EventStatus[] = ['received', 'queued', 'waiting'];

export class EventRepository {
  constructor(private readonly db: Db) {}

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

  async setStatus(
    ids: bigint | bigint[],
    status: EventStatus,
    statusReason: string | null,
    options: { onlyIfPending?: boolean } = {},
  ): Promise<void> {
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

  countByStatus(): Promise<Array<{ status: EventStatus; _count: { _all: number } }>> {
    return this.db.webhookEvent.groupBy({ by: ['status'], _count: { _all: true } }) as never;
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

export { Prisma };

/** Changes that failed for good since a time: how many, the newest, and the commonest reasons. */
export interface FailedSummary {
  count: number;
  latestAt: Date | undefined;
  reasons: Array<{ reason: string; count: number }>;
}
