// Queues freshly stored events in batches. The receiver hands over each event id after answering
// WooCommerce; ids gathered over a few milliseconds go out as one batch job (sync-queue.ts).
// Nothing durable depends on this: the event is committed already, and the sweeper queues
// anything a failed batch left behind.
import type { EventEnqueuer } from './enqueue-events.ts';

export interface EnqueueBatcherOptions {
  /**
   * How long ids gather before a batch is sent (the delay a job sees before it can start; the
   * workers are paced by Zoho, so it costs nothing). At 1,000 deliveries/s, 25 ms means 40 jobs
   * a second instead of one per delivery.
   * @defaultValue 25
   */
  delayMs?: number;
  /** @defaultValue 500 */
  maxBatch?: number;
}

interface Pending {
  ids: bigint[];
  settle: Array<{ resolve: () => void; reject: (error: unknown) => void }>;
}

export class EnqueueBatcher {
  readonly #delayMs: number;
  readonly #maxBatch: number;
  #pending: Pending = { ids: [], settle: [] };
  #timer: NodeJS.Timeout | undefined;
  #sending: Promise<void> | undefined;

  constructor(
    private readonly enqueuer: Pick<EventEnqueuer, 'enqueueBatch'>,
    options: EnqueueBatcherOptions = {},
  ) {
    this.#delayMs = options.delayMs ?? 25;
    this.#maxBatch = options.maxBatch ?? 500;
  }

  /** Resolves once the ids are in the queue (with the rest of their batch); rejects if that failed. */
  addToNextBatch(eventIds: bigint[]): Promise<void> {
    if (eventIds.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#pending.ids.push(...eventIds);
      this.#pending.settle.push({ resolve, reject });
      // While a batch is being sent, ids gather; the send re-arms the timer when it is done.
      if (!this.#sending) this.#arm();
    });
  }

  /** Sends everything gathered so far and waits for it (at shutdown). */
  async flush(): Promise<void> {
    while (this.#sending || this.#pending.ids.length > 0) {
      if (this.#sending) {
        await this.#sending;
      } else {
        clearTimeout(this.#timer);
        this.#timer = undefined;
        await this.#send();
      }
    }
  }

  #arm(): void {
    const delay = this.#pending.ids.length >= this.#maxBatch ? 0 : this.#delayMs;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.#send();
    }, delay);
  }

  /** One batch at a time; never rejects (each caller hears about its own batch). */
  async #send(): Promise<void> {
    if (this.#sending || this.#pending.ids.length === 0) return;
    const batch = this.#pending;
    this.#pending = { ids: [], settle: [] };
    this.#sending = this.enqueuer.enqueueBatch(batch.ids).then(
      () => {
        for (const { resolve } of batch.settle) resolve();
      },
      (error: unknown) => {
        for (const { reject } of batch.settle) reject(error);
      },
    );
    await this.#sending;
    this.#sending = undefined;
    if (this.#pending.ids.length > 0) this.#arm();
  }
}
