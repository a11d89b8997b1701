// Repository for owner_setup_codes: the one-time codes that claim the dashboard before a password
// exists. Only a SHA-256 of each code is stored; one row per server process (its `holder`).
import type { Db } from './client.ts';
import { clientOf, type Transaction } from './transaction.ts';

export class OwnerSetupCodeRepository {
  constructor(private readonly db: Db) {}

  /** Replaces `holder`'s code: a restarted process's old code stops working. */
  async replace(holder: string, codeHash: string): Promise<void> {
    await this.db.ownerSetupCode.upsert({ where: { holder }, create: { holder, codeHash }, update: { codeHash, createdAt: new Date() } });
  }

  /** Deletes the code with this hash; false when there is none (wrong, or used already). */
  async take(codeHash: string, tx?: Transaction): Promise<boolean> {
    return (await clientOf(this.db, tx).ownerSetupCode.deleteMany({ where: { codeHash } })).count > 0;
  }

  /** Every code: a password exists now. */
  async deleteAll(tx?: Transaction): Promise<void> {
    await clientOf(this.db, tx).ownerSetupCode.deleteMany({});
  }
}
