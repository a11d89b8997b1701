// Alerting runs in the worker, on its own queue so a slow mail server never holds up the
// sweeper: a BullMQ job scheduler runs one evaluation a minute across all worker machines,
// then sends what is due from the outbox. Nothing on the receiving or syncing path waits for it.
import { Queue, Worker, type ConnectionOptions } from 'bullmq';

export const ALERTS_QUEUE = 'alerts';
export const EVALUATE_ALERTS_JOB = 'evaluate-alerts';
export const EVALUATE_ALERTS_EVERY_MS = 60_000;

export interface AlertUseCases {
  evaluate: { run(): Promise<unknown> };
  send: { run(): Promise<unknown> };
}

export interface AlertsJobLog {
  error(object: object, message: string): void;
  warn(object: object, message: string): void;
}

/** Evaluates, then sends; a failed evaluation still lets earlier messages go out. */
export async function runAlertRound(useCases: AlertUseCases, log: AlertsJobLog): Promise<void> {
  try {
    await useCases.evaluate.run();
  } catch (error) {
    log.error({ err: error }, 'Evaluating alerts failed; the next round tries again');
  }
  await useCases.send.run();
}

export interface RunningAlerts {
  /** Creates the scheduler again (after Redis came back empty from an outage). */
  schedule(): Promise<void>;
  close(): Promise<void>;
}

export async function startAlertsWorker(connection: ConnectionOptions, prefix: string, useCases: AlertUseCases, log: AlertsJobLog): Promise<RunningAlerts> {
  const queue = new Queue(ALERTS_QUEUE, { connection, prefix });
  const worker = new Worker(ALERTS_QUEUE, () => runAlertRound(useCases, log), { connection, prefix, concurrency: 1 });
  worker.on('error', (error) => log.error({ err: error, queue: ALERTS_QUEUE }, 'Queue worker error'));
  const schedule = async () => {
    await queue.upsertJobScheduler(
      EVALUATE_ALERTS_JOB,
      { every: EVALUATE_ALERTS_EVERY_MS },
      { name: EVALUATE_ALERTS_JOB, opts: { removeOnComplete: 20, removeOnFail: 20 } },
    );
  };
  await schedule().catch((error: unknown) => log.warn({ err: error }, 'Could not schedule alert checks yet (Redis down?); they are scheduled when it is back'));
  return {
    schedule,
    async close() {
      await worker.close();
      await queue.close().catch(() => undefined);
    },
  };
}
