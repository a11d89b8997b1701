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

  /** The subscriptions of several contacts of a store, in one query. */
  forContacts(storeId: string, customerKeys: readonly string[]): Promise<Subscription[]> {
    if (customerKeys.length === 0) return Promise.resolve([]);
    return this.db.subscription.findMany({ where: { storeId, customerKey: { in: [...customerKeys] } } });
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

  /** Deletes the subscriptions of these contacts (erasure); returns how many. */
  async deleteForContacts(contacts: Array<{ storeId: string; customerKey: string }>): Promise<number> {
    if (contacts.length === 0) return 0;
    const deleted = await this.db.subscription.deleteMany({
      where: { OR: contacts.map((contact) => ({ storeId: contact.storeId, customerKey: contact.customerKey })) },
    });
    return deleted.count;
  }
}
