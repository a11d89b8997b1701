// Repository for admin_account: the store owner's sign-in (one owner per bridge, id is always 1).
import type { AdminAccount } from './generated/client.ts';
import type { Db } from './client.ts';

const ID = 1;

export class AdminAccountRepository {
  constructor(private readonly db: Db) {}

  get(): Promise<AdminAccount | null> {
    return this.db.adminAccount.findUnique({ where: { id: ID } });
  }

  /**
   * Stores the first password. Returns false when one exists already: two browsers racing through
   * the "choose your password" page must not both win, so this never overwrites.
   */
  async createIfAbsent(passwordHash: string): Promise<boolean> {
    const created = await this.db.adminAccount.createMany({ data: [{ id: ID, passwordHash }], skipDuplicates: true });
    return created.count === 1;
  }

  async setPasswordHash(passwordHash: string): Promise<void> {
    await this.db.adminAccount.upsert({ where: { id: ID }, create: { id: ID, passwordHash }, update: { passwordHash } });
  }
}
