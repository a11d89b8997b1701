// The import queue: one job per store whose import (src/use-cases/import-store.ts) should be
// running. The job holds only the store id; the run's progress lives in Postgres (backfill_runs),
// so a job that dies with its worker is picked up again and continues after the last page.
import { Queue, type ConnectionOptions } from 'bullmq';

export const IMPORT_QUEUE = 'imports';
export const IMPORT_JOB = 'import-store';

export interface ImportJobData {
  storeId: string;
}

export type ImportQueue = Queue<ImportJobData>;

export function createImportQueue(connection: ConnectionOptions, prefix: string): ImportQueue {
  return new Queue<ImportJobData>(IMPORT_QUEUE, { connection, prefix });
}

/** Queues the store's import unless it is queued or running already (one job id per store). */
export async function queueImport(queue: ImportQueue, storeId: string): Promise<void> {
  await queue.add(IMPORT_JOB, { storeId }, { jobId: `import-${storeId}`, removeOnComplete: true, removeOnFail: true, attempts: 1 });
}
