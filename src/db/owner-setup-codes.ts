// Repository for owner_setup_codes: the one-time codes that claim the dashboard before a password
// exists. Only a SHA-256 of each code is stored; one row per server process (its `holder`).
import type { Db, DbTransaction } from './client.ts';

export class OwnerSetupCodeRepository {
  constructor(private readonly db: Db) {}

  /** Replaces `holder`'s code: a restarted process's old code stops working. */
  async replace(holder: string, codeHash: string): Promise<void> {
    await this.db.ownerSetupCode.upsert({ where: { holder }, create: { holder, codeHash }, update: { codeHash, createdAt: new Date() } });
  }

  /** Deletes the code with this hash; false when there is none (wrong, or used already). */
  async take(codeHash: string, transaction: DbTransaction = this.db): Promise<boolean> {
    return (await transaction.ownerSetupCode.deleteMany({ where: { codeHash } })).count > 0;
  }

  /** Every code: a password exists now. */
  async deleteAll(transaction: DbTransaction = this.db): Promise<void> {
    await transaction.ownerSetupCode.deleteMany({});
  }
}
