// Repository for backfill_runs: one import of a store's existing customers or subscriptions,
// advanced page by page so an interrupted run resumes where it stopped.
import type { BackfillRun } from './generated/client.ts';
import type { Db } from './client.ts';

export type BackfillKind = 'customers' | 'subscriptions';

/**
 * running: in progress (or its process died); paused: by the owner; interrupted: stopped by an
 * error; done; cancelled: by the owner; abandoned: a restart from the first page replaced it.
 */
export type BackfillStatus = 'running' | 'paused' | 'interrupted' | 'done' | 'cancelled' | 'abandoned';

const UNFINISHED = ['running', 'paused', 'interrupted'];

export class BackfillRunRepository {
  constructor(private readonly db: Db) {}

  /** The run to continue for this store and kind: the newest one that did not finish. */
  findUnfinished(storeId: string, kind: BackfillKind): Promise<BackfillRun | null> {
    return this.db.backfillRun.findFirst({
      where: { storeId, kind, status: { in: UNFINISHED } },
      orderBy: { id: 'desc' },
    });
  }

  /** bulkFirst: the run first puts people on their lists with Zoho's bulk add (src/backfill/bulk-phase.ts). */
  start(storeId: string, kind: BackfillKind, options: { bulkFirst?: boolean } = {}): Promise<BackfillRun> {
    return this.db.backfillRun.create({ data: { storeId, kind, status: 'running', bulkFirst: options.bulkFirst ?? false } });
  }

  /** A run resumed with the bulk add asked for: it goes on with it. */
  async setBulkFirst(id: bigint): Promise<void> {
    await this.db.backfillRun.update({ where: { id }, data: { bulkFirst: true } });
  }

  async setBulkPhase(id: bigint, phase: 'adding' | 'checking' | 'done' | 'stopped', note: string | null): Promise<void> {
    await this.db.backfillRun.update({ where: { id }, data: { bulkPhase: phase, bulkNote: note } });
  }

  /** Adds to the bulk phase's counts (each page's, as its calls are answered). */
  async addBulkProgress(id: bigint, counts: { added?: number; leftOut?: number; ignored?: number }): Promise<void> {
    await this.db.backfillRun.update({
      where: { id },
      data: {
        bulkAdded: { increment: counts.added ?? 0 },
        bulkLeftOut: { increment: counts.leftOut ?? 0 },
        bulkIgnored: { increment: counts.ignored ?? 0 },
      },
    });
  }

  async markRunning(id: bigint): Promise<void> {
    await this.db.backfillRun.update({ where: { id }, data: { status: 'running', lastError: null } });
  }

  /** Records a page as fully handed to the pipeline: a resumed run starts after it. */
  async completePage(id: bigint, progress: { pagesDone: number; totalPages: number; itemsQueued: number; totalItems?: number }): Promise<void> {
    await this.db.backfillRun.update({ where: { id }, data: progress });
  }

  /** A run the owner paused or cancelled while its last page was in hand keeps that status. */
  async finish(id: bigint): Promise<void> {
    await this.db.backfillRun.updateMany({ where: { id, status: 'running' }, data: { status: 'done', finishedAt: new Date(), lastError: null } });
  }

  /** Records why a running run stopped; a run the owner paused or cancelled keeps that status. */
  async interrupt(id: bigint, error: string): Promise<void> {
    await this.db.backfillRun.updateMany({ where: { id, status: 'running' }, data: { status: 'interrupted', lastError: error } });
  }

  /** The owner pauses, resumes or cancels a store's import: every unfinished run of it. */
  async setUnfinishedStatus(storeId: string, status: 'running' | 'paused' | 'cancelled'): Promise<number> {
    const { count } = await this.db.backfillRun.updateMany({
      where: { storeId, status: { in: UNFINISHED } },
      data: { status, ...(status === 'cancelled' ? { finishedAt: new Date() } : { lastError: null }) },
    });
    return count;
  }

  /** An import whose reading is done but whose events are still on their way: cancelled as a whole. */
  async cancelRuns(ids: bigint[]): Promise<number> {
    const { count } = await this.db.backfillRun.updateMany({
      where: { id: { in: ids }, status: { notIn: ['cancelled', 'abandoned'] } },
      data: { status: 'cancelled', finishedAt: new Date() },
    });
    return count;
  }

  /** Statuses of the store's unfinished runs (for a running import to notice a pause or a cancel). */
  async unfinishedStatuses(storeId: string): Promise<string[]> {
    const runs = await this.db.backfillRun.findMany({ where: { storeId, status: { in: UNFINISHED } }, select: { status: true } });
    return runs.map((run) => run.status);
  }

  /** After a worker stopped mid-import: its runs go on at the next start (not those paused or cancelled meanwhile). */
  async reopenInterrupted(storeId: string): Promise<void> {
    await this.db.backfillRun.updateMany({ where: { storeId, status: 'interrupted' }, data: { status: 'running', lastError: null } });
  }

  /** Stores with a run that should be going: after a restart their imports continue. */
  async storesWithRunningRuns(): Promise<string[]> {
    const runs = await this.db.backfillRun.findMany({ where: { status: 'running' }, distinct: ['storeId'], select: { storeId: true } });
    return runs.map((run) => run.storeId);
  }

  /** Abandons unfinished runs so the next backfill starts from the first page. */
  async abandonUnfinished(storeId: string): Promise<number> {
    const { count } = await this.db.backfillRun.updateMany({
      where: { storeId, status: { in: UNFINISHED } },
      data: { status: 'abandoned', finishedAt: new Date() },
    });
    return count;
  }

  recent(storeId: string, take = 5): Promise<BackfillRun[]> {
    return this.db.backfillRun.findMany({ where: { storeId }, orderBy: { id: 'desc' }, take });
  }

  /** Runs that finished, or stopped with an error, recently: what the owner is told about. */
  endedRecently(since: Date): Promise<BackfillRun[]> {
    return this.db.backfillRun.findMany({
      where: {
        OR: [
          { status: 'done', finishedAt: { gte: since } },
          { status: 'interrupted', startedAt: { gte: since } },
        ],
      },
      orderBy: { id: 'asc' },
    });
  }

  /** Runs stopped with an error that are still stopped (started any time). */
  stillInterrupted(ids: bigint[]): Promise<BackfillRun[]> {
    return this.db.backfillRun.findMany({ where: { id: { in: ids }, status: 'interrupted' } });
  }
}
