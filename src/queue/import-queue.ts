// The import queue: one job per store whose import (src/use-cases/import-store.ts) should be
// running. The job holds only the store id; the run's progress lives in Postgres (backfill_runs),
// so a job that dies with its worker is picked up again and continues after the last page.
import { Queue, type ConnectionOptions } from 'bullmq';

export const IMPORT_QUEUE = 'imports';
export const IMPORT_JOB = 'import-store';

export interface ImportJobData {
  storeId: string;
  /** The import's first run (backfill_runs.id): a job only ever works on its own import. */
  importId: string;
}

export type ImportQueue = Queue<ImportJobData>;

export function createImportQueue(connection: ConnectionOptions, prefix: string): ImportQueue {
  return new Queue<ImportJobData>(IMPORT_QUEUE, { connection, prefix });
}

/** Queues an import unless its job is queued or running already (one job id per import). */
export async function queueImport(queue: ImportQueue, storeId: string, importId: bigint): Promise<void> {
  await queue.add(
    IMPORT_JOB,
    { storeId, importId: importId.toString() },
    { jobId: `import-${storeId}-${importId}`, removeOnComplete: true, removeOnFail: true, attempts: 1 },
  );
}
