// Repository for subscriptions: the newest known status of each WooCommerce subscription.
import type { Subscription } from './generated/client.ts';
import type { Db } from './client.ts';

export class SubscriptionRepository {
  constructor(private readonly db: Db) {}

  find(storeId: string, subscriptionId: number): Promise<Subscription | null> {
    return this.db.subscription.findUnique({ where: { storeId_subscriptionId: { storeId, subscriptionId } } });
  }

  forContact(storeId: string, customerKey: string): Promise<Subscription[]> {
    return this.db.subscription.findMany({ where: { storeId, customerKey } });
  }

  async applySnapshot(input: { storeId: string; subscriptionId: number; customerKey: string; status: string; snapshotModifiedAt: Date | null }): Promise<void> {
    const data = { customerKey: input.customerKey, status: input.status, snapshotModifiedAt: input.snapshotModifiedAt, deletedAt: null };
    await this.db.subscription.upsert({
      where: { storeId_subscriptionId: { storeId: input.storeId, subscriptionId: input.subscriptionId } },
      create: { storeId: input.storeId, subscriptionId: input.subscriptionId, ...data },
      update: data,
    });
  }

  async markDeleted(id: bigint, at: Date): Promise<void> {
    await this.db.subscription.update({ where: { id }, data: { deletedAt: at } });
  }
}
