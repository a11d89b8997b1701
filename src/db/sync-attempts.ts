// Repository for sync_attempts, the sync log: one row per call made to Zoho, with what was sent
// and what Zoho answered. Written outside any transaction so a failing job still leaves its trace.
import type { Prisma, SyncAttempt } from './generated/client.ts';
import type { Db } from './client.ts';

export interface NewSyncAttempt {
  storeId: string;
  eventId: bigint | null;
  contactId: bigint | null;
  email: string;
  action: 'subscribe' | 'unsubscribe';
  listKey: string;
  contactInfo: Prisma.InputJsonObject;
  attempt: number;
  httpStatus: number | undefined;
  zohoCode: string | undefined;
  zohoMessage: string;
  outcome: string;
  durationMs: number;
}

export class SyncAttemptRepository {
  constructor(private readonly db: Db) {}

  async record(attempt: NewSyncAttempt): Promise<void> {
    await this.db.syncAttempt.create({
      data: {
        ...attempt,
        httpStatus: attempt.httpStatus ?? null,
        zohoCode: attempt.zohoCode ?? null,
      },
    });
  }

  forEvent(eventId: bigint): Promise<SyncAttempt[]> {
    return this.db.syncAttempt.findMany({ where: { eventId }, orderBy: { id: 'asc' } });
  }

  /** Deletes up to `batchSize` log entries made before `cutoff`; returns how many. */
  async deleteMadeBefore(cutoff: Date, batchSize: number): Promise<number> {
    return this.db.$executeRaw`
      DELETE FROM sync_attempts WHERE id IN (
        SELECT id FROM sync_attempts WHERE created_at < ${cutoff} ORDER BY created_at LIMIT ${batchSize})`;
  }

  /**
   * Erasure: the entries about this address or these contacts keep their count and outcome, but
   * the address becomes `replacement` (a hash) and what was sent to Zoho is dropped. Returns how many.
   */
  async anonymise(email: string, contactIds: bigint[], replacement: string): Promise<number> {
    return this.db.$executeRaw`
      UPDATE sync_attempts SET email = ${replacement}, contact_info = '{}'::jsonb, contact_id = NULL
       WHERE lower(email) = lower(${email}) OR contact_id = ANY(${contactIds})`;
  }

  forEvents(eventIds: bigint[]): Promise<SyncAttempt[]> {
    return this.db.syncAttempt.findMany({ where: { eventId: { in: eventIds } }, orderBy: { id: 'asc' } });
  }

  /** Events whose Zoho calls used one of these spellings of an address, newest first (served by the email index). */
  async eventIdsByEmail(spellings: string[], take: number): Promise<bigint[]> {
    const rows = await this.db.syncAttempt.findMany({
      where: { email: { in: spellings }, eventId: { not: null } },
      select: { eventId: true },
      distinct: ['eventId'],
      orderBy: { eventId: 'desc' },
      take,
    });
    return rows.map((row) => row.eventId!);
  }
}
