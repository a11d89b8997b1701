// The queue of "apply settings to everyone" runs (src/use-cases/apply-settings.ts): one job per
// run that should be going. The job holds only ids; the run's progress lives in Postgres
// (settings_applies), so a job that dies with its worker is queued again and continues after the
// last contact it handed over.
import { Queue, type ConnectionOptions } from 'bullmq';

export const SETTINGS_APPLY_QUEUE = 'settings-applies';
export const SETTINGS_APPLY_JOB = 'apply-settings';

export interface SettingsApplyJobData {
  storeId: string;
  /** settings_applies.id: a job only ever works on its own run. */
  runId: string;
}

export type SettingsApplyQueue = Queue<SettingsApplyJobData>;

export function createSettingsApplyQueue(connection: ConnectionOptions, prefix: string): SettingsApplyQueue {
  return new Queue<SettingsApplyJobData>(SETTINGS_APPLY_QUEUE, { connection, prefix });
}

/** Queues a run unless its job is queued or running already (one job id per run). */
export async function queueSettingsApply(queue: SettingsApplyQueue, storeId: string, runId: bigint): Promise<void> {
  await queue.add(
    SETTINGS_APPLY_JOB,
    { storeId, runId: runId.toString() },
    { jobId: `apply-${storeId}-${runId}`, removeOnComplete: true, removeOnFail: true, attempts: 1 },
  );
}
