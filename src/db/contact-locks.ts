// Serialises work on one contact across all workers and machines: a Postgres advisory lock held
// by a transaction for as long as the contact is being synced. A crashed worker's connection
// drops and so does its lock, so nothing stays locked after a SIGKILL.
import type { Db } from './client.ts';

const LOCK_HELD_MAX_MS = 5 * 60_000;

export class ContactLocks {
  constructor(private readonly db: Db) {}

  hold<T>(storeId: string, contactKey: string, work: () => Promise<T>): Promise<T> {
    return this.db.$transaction(
      async (transaction) => {
        await transaction.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`contact:${storeId}:${contactKey}`}, 0))`;
        // The work writes through the main client so its progress is committed as it goes, even if
        // a later Zoho call fails: the transaction here only holds the lock.
        return work();
      },
      { maxWait: 30_000, timeout: LOCK_HELD_MAX_MS },
    );
  }
}
