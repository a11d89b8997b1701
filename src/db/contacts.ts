// Repository for contacts: the people the bridge manages in Zoho, their newest WooCommerce
// snapshot, and what the bridge last made true in Zoho for them.
import type { Contact, Prisma } from './generated/client.ts';
import type { Db } from './client.ts';

/** A contact as the sync log names it: its store and its key there. */
export interface ContactRef {
  storeId: string;
  customerKey: string;
}

export class ContactRepository {
  constructor(private readonly db: Db) {}

  find(storeId: string, customerKey: string): Promise<Contact | null> {
    return this.db.contact.findUnique({ where: { storeId_customerKey: { storeId, customerKey } } });
  }

  findMany(refs: ContactRef[]): Promise<Contact[]> {
    if (refs.length === 0) return Promise.resolve([]);
    return this.db.contact.findMany({ where: { OR: refs }, orderBy: { id: 'asc' } });
  }

  /**
   * Contacts with this address now or when last synced, in any capitals. Compared over every
   * contact (no index on lower(email)): one row per customer, ~100 ms for 100,000 of them.
   */
  refsByEmail(email: string, limit: number): Promise<ContactRef[]> {
    return this.db.$queryRaw`
      SELECT store_id AS "storeId", customer_key AS "customerKey" FROM contacts
       WHERE lower(email) = lower(${email}) OR lower(synced_email) = lower(${email})
       LIMIT ${limit}`;
  }

  /** Contacts whose account or billing name contains the text, in any capitals. */
  refsByName(text: string, limit: number): Promise<ContactRef[]> {
    const pattern = `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
    return this.db.$queryRaw`
      SELECT store_id AS "storeId", customer_key AS "customerKey" FROM contacts
       WHERE concat_ws(' ', snapshot->>'first_name', snapshot->>'last_name') ILIKE ${pattern}
          OR concat_ws(' ', snapshot->'billing'->>'first_name', snapshot->'billing'->>'last_name') ILIKE ${pattern}
       LIMIT ${limit}`;
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

  /** Creates a contact from a subscription's billing data (a guest, or no customer snapshot yet). */
  createFromSubscription(input: {
    storeId: string;
    customerKey: string;
    customerId: number | null;
    email: string;
    snapshot: Prisma.InputJsonObject;
  }): Promise<Contact> {
    return this.db.contact.create({ data: input });
  }

  /** Replaces the snapshot (and the address, when given) without touching what was synced. */
  async updateSnapshot(id: bigint, changes: { snapshot: Prisma.InputJsonObject; email?: string; customerId?: number | null }): Promise<void> {
    await this.db.contact.update({ where: { id }, data: changes });
  }

  /** Guest contacts whose subscriptions moved to `customerKey` (their billing email changed). */
  retiredInto(storeId: string, customerKey: string): Promise<Contact[]> {
    return this.db.contact.findMany({ where: { storeId, snapshot: { path: ['_bridge', 'retiredInto'], equals: customerKey } } });
  }

  /**
   * Zoho lists `listKey` as unsubscribed for these addresses. Contacts the bridge believes are on
   * that list under one of them get the list moved from syncedLists to zohoUnsubscribedLists, so
   * routing never adds them back. Contacts the bridge itself took off the list are not touched:
   * their "unsubscribed" in Zoho is the bridge's own doing. Returns the contacts changed.
   */
  async recordZohoUnsubscribed(listKey: string, emails: readonly string[]): Promise<number> {
    const lowered = [...new Set(emails.map((email) => email.trim().toLowerCase()).filter(Boolean))];
    if (lowered.length === 0) return 0;
    // One statement with array operators: atomic against a worker updating the same row.
    return this.db.$executeRaw`
      UPDATE contacts
         SET zoho_unsubscribed_lists = array_append(zoho_unsubscribed_lists, ${listKey}),
             synced_lists = array_remove(synced_lists, ${listKey}),
             updated_at = now()
       WHERE ${listKey} = ANY(synced_lists)
         AND NOT (${listKey} = ANY(zoho_unsubscribed_lists))
         AND lower(synced_email) = ANY(${lowered}::text[])`;
  }

  /** What the bridge made true in Zoho for these contacts (the backfill dry run compares against it). */
  async listStatesByKey(storeId: string, customerKeys: readonly string[]): Promise<Map<string, { syncedLists: string[]; zohoUnsubscribedLists: string[] }>> {
    const rows = await this.db.contact.findMany({
      where: { storeId, customerKey: { in: [...customerKeys] } },
      select: { customerKey: true, syncedLists: true, zohoUnsubscribedLists: true },
    });
    return new Map(rows.map((row) => [row.customerKey, row]));
  }

  /** A store's contacts in id order after `afterId`: "apply settings to everyone" walks them a page at a time. */
  pageOfStore(storeId: string, afterId: bigint, take: number): Promise<Contact[]> {
    return this.db.contact.findMany({ where: { storeId, id: { gt: afterId } }, orderBy: { id: 'asc' }, take });
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

  /**
   * Empties up to `batchSize` snapshots of contacts deleted in WooCommerce before `cutoff`: no sync
   * needs them any more. Returns how many.
   */
  async clearSnapshotsDeletedBefore(cutoff: Date, batchSize: number): Promise<number> {
    return this.db.$executeRaw`
      UPDATE contacts SET snapshot = '{}'::jsonb WHERE id IN (
        SELECT id FROM contacts WHERE deleted_at < ${cutoff} AND snapshot <> '{}'::jsonb LIMIT ${batchSize})`;
  }

  /** The contacts with this address (as WooCommerce sent it, as last synced, or as guest key), in every store. */
  findByEmail(email: string, guestKey: string): Promise<Contact[]> {
    return this.db.contact.findMany({
      where: {
        OR: [{ email: { equals: email, mode: 'insensitive' } }, { syncedEmail: { equals: email, mode: 'insensitive' } }, { customerKey: guestKey }],
      },
    });
  }

  /** Deletes these contacts (erasure); returns how many. */
  async deleteByIds(ids: bigint[]): Promise<number> {
    if (ids.length === 0) return 0;
    return (await this.db.contact.deleteMany({ where: { id: { in: ids } } })).count;
  }
}
