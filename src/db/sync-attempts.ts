// Repository for sync_attempts, the sync log: one row per call made to Zoho, with what was sent
// and what Zoho answered. Written outside any transaction so a failing job still leaves its trace.
import type { Prisma } from './generated/client.ts';
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

  forEvent(eventId: bigint) {
    return this.db.syncAttempt.findMany({ where: { eventId }, orderBy: { id: 'asc' } });
  }
}
