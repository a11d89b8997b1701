// Repository for bulk_additions: the addresses a run's bulk phase put on each list, kept only until
// the list is read back (src/backfill/bulk-phase.ts). Rows, not memory, so a 100,000-customer
// import stays small and a paused or restarted one still checks everything it sent.
import type { Db } from './client.ts';

export interface BulkAdditionRow {
  email: string;
  contactKey: string;
}

export class BulkAdditionRepository {
  constructor(private readonly db: Db) {}

  /** Records addresses Zoho's bulk add accepted; one already recorded for the run and list stays as it is. */
  async record(runId: bigint, listKey: string, added: ReadonlyArray<BulkAdditionRow>): Promise<void> {
    if (added.length === 0) return;
    await this.db.bulkAddition.createMany({
      data: added.map((row) => ({ runId, listKey, email: row.email.toLowerCase(), contactKey: row.contactKey })),
      skipDuplicates: true,
    });
  }

  /** The lists the run added anyone to. */
  async listsOf(runId: bigint): Promise<string[]> {
    const rows = await this.db.bulkAddition.findMany({ where: { runId }, distinct: ['listKey'], select: { listKey: true } });
    return rows.map((row) => row.listKey);
  }

  /** Marks these addresses (lower-cased) as seen on the list when it was read back. */
  async markOnList(runId: bigint, listKey: string, emails: readonly string[]): Promise<void> {
    if (emails.length === 0) return;
    await this.db.bulkAddition.updateMany({ where: { runId, listKey, email: { in: [...emails] }, onList: false }, data: { onList: true } });
  }

  /** Up to `take` addresses not seen on the list, after `afterEmail` in address order. */
  async notOnList(runId: bigint, listKey: string, afterEmail: string, take: number): Promise<BulkAdditionRow[]> {
    return this.db.bulkAddition.findMany({
      where: { runId, listKey, onList: false, email: { gt: afterEmail } },
      orderBy: { email: 'asc' },
      select: { email: true, contactKey: true },
      take,
    });
  }

  /** Erasure: the address leaves the checks still to come (src/use-cases/forget-person.ts). */
  async deleteEmail(email: string): Promise<number> {
    const { count } = await this.db.bulkAddition.deleteMany({ where: { email: email.trim().toLowerCase() } });
    return count;
  }

  /** Forgets a run's addresses once its lists were read back. */
  async deleteOfRun(runId: bigint): Promise<void> {
    await this.db.bulkAddition.deleteMany({ where: { runId } });
  }

  /** Forgets the addresses of a store's runs that will not go on (cancelled, replaced, finished). */
  async deleteOfEndedRuns(storeId: string): Promise<void> {
    await this.db.bulkAddition.deleteMany({ where: { run: { storeId, status: { in: ['cancelled', 'abandoned', 'done'] } } } });
  }
}
