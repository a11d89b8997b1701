// Repository for rejected_deliveries: requests refused at a webhook URL, kept so the owner sees
// them (and, for signature failures, can replay them once the secret is fixed).
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
  constructor(private readonly db: Db) {}

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
