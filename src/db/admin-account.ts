// Repository for admin_account: the store owner's sign-in (one owner per bridge, id is always 1).
import type { AdminAccount } from './generated/client.ts';
import type { Db } from './client.ts';
import { clientOf, type Transaction } from './transaction.ts';

const ID = 1;

export class AdminAccountRepository {
  constructor(private readonly db: Db) {}

  get(): Promise<AdminAccount | null> {
    return this.db.adminAccount.findUnique({ where: { id: ID } });
  }

  /**
   * The stored hash, read with a share lock held until `tx` ends: a password change
   * (which deletes every session) waits for a sign-in that is creating one, or the sign-in sees
   * the new hash.
   */
  async lockedHash(tx: Transaction): Promise<string | undefined> {
    const rows = await clientOf(this.db, tx).$queryRaw<Array<{ password_hash: string }>>`SELECT password_hash FROM admin_account WHERE id = ${ID} FOR SHARE`;
    return rows[0]?.password_hash;
  }

  /**
   * Stores the first password. Returns false when one exists already: two browsers racing through
   * the setup page must not both win, so this never overwrites.
   */
  async createIfAbsent(passwordHash: string, tx?: Transaction): Promise<boolean> {
    const created = await clientOf(this.db, tx).adminAccount.createMany({ data: [{ id: ID, passwordHash }], skipDuplicates: true });
    return created.count === 1;
  }

  /** The owner's time zone; null goes back to UTC. Nothing happens before a password exists. */
  async setTimeZone(timeZone: string | null): Promise<void> {
    await this.db.adminAccount.updateMany({ where: { id: ID }, data: { timeZone } });
  }

  async setPasswordHash(passwordHash: string, tx?: Transaction): Promise<void> {
    await clientOf(this.db, tx).adminAccount.upsert({ where: { id: ID }, create: { id: ID, passwordHash }, update: { passwordHash } });
  }

  /** Replaces the hash of the same password with a stronger one, unless the password changed meanwhile. */
  async upgradeHash(previous: string, stronger: string): Promise<void> {
    await this.db.adminAccount.updateMany({ where: { id: ID, passwordHash: previous }, data: { passwordHash: stronger } });
  }
}
