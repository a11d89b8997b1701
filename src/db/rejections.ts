// Repository for rejected_deliveries: requests refused at a webhook URL, kept so the owner sees
// them (and, for signature failures, can replay them once the secret is fixed).
import type { Db } from './client.ts';

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
    await this.db.rejectedDelivery.create({
      data: {
        storeId: rejection.storeId ?? null,
        reason: rejection.reason,
        detail: rejection.detail,
        httpStatus: rejection.httpStatus,
        topic: rejection.topic ?? null,
        webhookId: rejection.webhookId ?? null,
        deliveryId: rejection.deliveryId ?? null,
        contentType: rejection.contentType ?? null,
        bodySize: rejection.bodySize,
        bodySha256: rejection.bodySha256 ?? null,
        body: rejection.body ? new Uint8Array(rejection.body) : null,
        remoteAddress: rejection.remoteAddress ?? null,
      },
    });
  }
}
