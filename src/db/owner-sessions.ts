// Repository for owner_sessions: the dashboard's signed-in browsers. Rows are keyed by a SHA-256
// of the session id; the id itself exists only in the owner's (encrypted) cookie.
import type { OwnerSession } from './generated/client.ts';
import type { Db, DbTransaction } from './client.ts';

export class OwnerSessionRepository {
  constructor(private readonly db: Db) {}

  async create(idHash: string, at: Date, transaction: DbTransaction = this.db): Promise<void> {
    await transaction.ownerSession.create({ data: { idHash, createdAt: at, lastSeenAt: at } });
  }

  find(idHash: string): Promise<OwnerSession | null> {
    return this.db.ownerSession.findUnique({ where: { idHash } });
  }

  async touch(idHash: string, at: Date): Promise<void> {
    await this.db.ownerSession.updateMany({ where: { idHash }, data: { lastSeenAt: at } });
  }

  async delete(idHash: string): Promise<void> {
    await this.db.ownerSession.deleteMany({ where: { idHash } });
  }

  /** Every session: the password changed. */
  async deleteAll(transaction: DbTransaction = this.db): Promise<number> {
    return (await transaction.ownerSession.deleteMany({})).count;
  }

  /** Sessions idle since before `idleSince`, or begun before `begunBefore`. */
  async deleteExpired(idleSince: Date, begunBefore: Date, transaction: DbTransaction = this.db): Promise<number> {
    const { count } = await transaction.ownerSession.deleteMany({
      where: { OR: [{ lastSeenAt: { lt: idleSince } }, { createdAt: { lt: begunBefore } }] },
    });
    return count;
  }
}
