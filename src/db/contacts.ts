// Repository for contacts: the people the bridge manages in Zoho, their newest WooCommerce
// snapshot, and what the bridge last made true in Zoho for them.
import type { Contact, Prisma } from './generated/client.ts';
import type { Db } from './client.ts';

export class ContactRepository {
  constructor(private readonly db: Db) {}

  find(storeId: string, customerKey: string): Promise<Contact | null> {
    return this.db.contact.findUnique({ where: { storeId_customerKey: { storeId, customerKey } } });
  }

  /** Applies a customer snapshot: creates the contact or replaces its snapshot and email. */
  applySnapshot(input: {
    storeId: string;
    customerKey: string;
    customerId: number | null;
    email: string;
    role: string | null;
    snapshot: Prisma.InputJsonObject;
    snapshotModifiedAt: Date | null;
  }): Promise<Contact> {
    const data = {
      email: input.email,
      role: input.role,
      customerId: input.customerId,
      snapshot: input.snapshot,
      snapshotModifiedAt: input.snapshotModifiedAt,
    };
    return this.db.contact.upsert({
      where: { storeId_customerKey: { storeId: input.storeId, customerKey: input.customerKey } },
      create: { storeId: input.storeId, customerKey: input.customerKey, ...data },
      update: data,
    });
  }

  /** Creates a contact from a subscription's billing data when no customer snapshot exists yet. */
  async ensureFromBilling(input: {
    storeId: string;
    customerKey: string;
    customerId: number | null;
    email: string;
    snapshot: Prisma.InputJsonObject;
  }): Promise<Contact> {
    return this.db.contact.upsert({
      where: { storeId_customerKey: { storeId: input.storeId, customerKey: input.customerKey } },
      create: { ...input },
      update: {},
    });
  }

  async markDeleted(id: bigint, at: Date): Promise<void> {
    await this.db.contact.update({ where: { id }, data: { deletedAt: at } });
  }

  async recordSubscribed(id: bigint, email: string, listKey: string, fieldsHash: string): Promise<void> {
    const contact = await this.db.contact.findUniqueOrThrow({ where: { id }, select: { syncedLists: true, syncedEmail: true } });
    // Lists recorded for a previous address no longer apply once the address changes.
    const lists = contact.syncedEmail?.toLowerCase() === email.toLowerCase() ? contact.syncedLists : [];
    await this.db.contact.update({
      where: { id },
      data: {
        syncedEmail: email,
        syncedLists: [...new Set([...lists, listKey])],
        syncedFieldsHash: fieldsHash,
        lastSyncedAt: new Date(),
      },
    });
  }

  async recordUnsubscribed(id: bigint, listKey: string): Promise<void> {
    const contact = await this.db.contact.findUniqueOrThrow({ where: { id }, select: { syncedLists: true } });
    await this.db.contact.update({
      where: { id },
      data: { syncedLists: contact.syncedLists.filter((list) => list !== listKey), lastSyncedAt: new Date() },
    });
  }
}
