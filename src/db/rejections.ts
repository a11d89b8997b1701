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
}
