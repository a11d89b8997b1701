// Repository for rejected_deliveries: requests refused at a webhook URL, kept so the owner sees
// them. Anyone can cause one, so each store keeps only its newest (docs/security.md, "Refused deliveries").
import type { Db } from './client.ts';
import { postgresText } from './text.ts';

export interface NewRejection {
  storeId: string | undefined;
  reason: string;
  detail: string;
  httpStatus: number;
  topic: string | undefined;
  webhookId: string | undefined;
  deliveryId: string | undefined;
  contentType: string | undefined;
  bodySize: number;
  bodySha256: string | undefined;
  body: Buffer | undefined;
  remoteAddress: string | undefined;
}

export interface RejectionLimits {
  /** Rows kept per store; the oldest go first. */
  keptPerStore: number;
  /** Rows kept for refusals filed under no store, all together. */
  keptWithoutStore: number;
}

/** A refusal as the owner's list shows it (without the stored body). */
export interface RejectionEntry {
  id: bigint;
  storeId: string | null;
  reason: string;
  detail: string;
  httpStatus: number;
  topic: string | null;
  webhookId: string | null;
  bodySize: number;
  receivedAt: Date;
  remoteAddress: string | null;
}

export class RejectionRepository {
  constructor(
    private readonly db: Db,
    private readonly limits: RejectionLimits,
  ) {}

  async record(rejection: NewRejection): Promise<void> {
    // Everything here came from the refused request, so any of it may hold a NUL (src/db/text.ts).
    const text = (value: string | undefined) => (value === undefined ? null : postgresText(value));
    await this.db.rejectedDelivery.create({
      data: {
        storeId: text(rejection.storeId),
        reason: rejection.reason,
        detail: postgresText(rejection.detail),
        httpStatus: rejection.httpStatus,
        topic: text(rejection.topic),
        webhookId: text(rejection.webhookId),
        deliveryId: text(rejection.deliveryId),
        contentType: text(rejection.contentType),
        bodySize: rejection.bodySize,
        bodySha256: rejection.bodySha256 ?? null,
        body: rejection.body ? new Uint8Array(rejection.body) : null,
        remoteAddress: rejection.remoteAddress ?? null,
      },
    });
    await this.dropBeyondLimit(rejection.storeId === undefined ? null : postgresText(rejection.storeId));
  }

  /** Keeps the newest rows of the store (or of no store) up to its limit. */
  private async dropBeyondLimit(storeId: string | null): Promise<void> {
    if (storeId === null) {
      await this.db.$executeRaw`
        DELETE FROM rejected_deliveries WHERE id IN (
          SELECT id FROM rejected_deliveries WHERE store_id IS NULL
          ORDER BY received_at DESC, id DESC OFFSET ${this.limits.keptWithoutStore})`;
    } else {
      await this.db.$executeRaw`
        DELETE FROM rejected_deliveries WHERE id IN (
          SELECT id FROM rejected_deliveries WHERE store_id = ${storeId}
          ORDER BY received_at DESC, id DESC OFFSET ${this.limits.keptPerStore})`;
    }
  }

  /** Deletes the refusals whose kept body mentions this address, as sent or in lower case (erasure); returns how many. */
  async deleteMentioning(email: string): Promise<number> {
    return this.db.$executeRaw`
      DELETE FROM rejected_deliveries
       WHERE position(convert_to(${email}, 'UTF8') in body) > 0 OR position(convert_to(${email.toLowerCase()}, 'UTF8') in body) > 0`;
  }

  /** Deletes up to `batchSize` refusals received before `cutoff`; returns how many. */
  async deleteReceivedBefore(cutoff: Date, batchSize: number): Promise<number> {
    return this.db.$executeRaw`
      DELETE FROM rejected_deliveries WHERE id IN (
        SELECT id FROM rejected_deliveries WHERE received_at < ${cutoff} ORDER BY received_at LIMIT ${batchSize})`;
  }

  /** Refusals newest first, of one store or all, older than `before`. */
  findPage(filter: { storeId?: string | undefined; before?: bigint | undefined }, take: number): Promise<RejectionEntry[]> {
    return this.db.rejectedDelivery.findMany({
      where: { ...(filter.storeId ? { storeId: filter.storeId } : {}), ...(filter.before ? { id: { lt: filter.before } } : {}) },
      orderBy: { id: 'desc' },
      take,
      select: {
        id: true,
        storeId: true,
        reason: true,
        detail: true,
        httpStatus: true,
        topic: true,
        webhookId: true,
        bodySize: true,
        receivedAt: true,
        remoteAddress: true,
      },
    });
  }

  /** Refusals since `since`, of every store (unknown store URLs included) or one, for any or some reasons. */
  count(filter: { since: Date; storeId?: string; reasons?: string[] }): Promise<number> {
    return this.db.rejectedDelivery.count({
      where: {
        receivedAt: { gte: filter.since },
        ...(filter.storeId ? { storeId: filter.storeId } : {}),
        ...(filter.reasons ? { reason: { in: filter.reasons } } : {}),
      },
    });
  }

  /** When the store's last refusal for one of these reasons arrived. */
  async lastAt(storeId: string, reasons: string[]): Promise<Date | undefined> {
    const row = await this.db.rejectedDelivery.findFirst({
      where: { storeId, reason: { in: reasons } },
      orderBy: { receivedAt: 'desc' },
      select: { receivedAt: true },
    });
    return row?.receivedAt;
  }
}
