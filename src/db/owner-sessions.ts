// Repository for owner_sessions: the dashboard's signed-in browsers. Rows are keyed by a SHA-256
// of the session id; the id itself exists only in the owner's (encrypted) cookie.
import type { OwnerSession } from './generated/client.ts';
import type { Db } from './client.ts';
import { clientOf, type Transaction } from './transaction.ts';

export class OwnerSessionRepository {
  constructor(private readonly db: Db) {}

  async create(idHash: string, at: Date, tx?: Transaction): Promise<void> {
    await clientOf(this.db, tx).ownerSession.create({ data: { idHash, createdAt: at, lastSeenAt: at } });
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
  async deleteAll(tx?: Transaction): Promise<number> {
    return (await clientOf(this.db, tx).ownerSession.deleteMany({})).count;
  }

  /** Sessions idle since before `idleSince`, or begun before `begunBefore`. */
  async deleteExpired(idleSince: Date, begunBefore: Date, tx?: Transaction): Promise<number> {
    const { count } = await clientOf(this.db, tx).ownerSession.deleteMany({
      where: { OR: [{ lastSeenAt: { lt: idleSince } }, { createdAt: { lt: begunBefore } }] },
    });
    return count;
  }
}
