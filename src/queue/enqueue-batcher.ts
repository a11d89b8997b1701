// Queues freshly stored events in batches. The receiver hands over each event id after answering
// WooCommerce; ids gathered over a few milliseconds go out as one batch job (sync-queue.ts).
// Nothing durable depends on this: the event is committed already, and the sweeper queues
// anything a failed batch left behind. So a delivery hands its id over and waits for nothing: a
// promise per delivery would live as long as its batch, and be copied by every young-generation
// collection meanwhile.
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

/** Told once about each batch that could not be queued. */
export type BatchFailure = (eventIds: bigint[], error: unknown) => void;

export class EnqueueBatcher {
  readonly #delayMs: number;
  readonly #maxBatch: number;
  #pending: bigint[] = [];
  #timer: NodeJS.Timeout | undefined;
  #sending: Promise<void> | undefined;

  constructor(
    private readonly enqueuer: Pick<EventEnqueuer, 'enqueueBatch'>,
    private readonly onFailure: BatchFailure,
    options: EnqueueBatcherOptions = {},
  ) {
    this.#delayMs = options.delayMs ?? 25;
    this.#maxBatch = options.maxBatch ?? 500;
  }

  /** Adds the event to the next batch. */
  add(eventId: bigint): void {
    this.#pending.push(eventId);
    // While a batch is being sent, ids gather; the send re-arms the timer when it is done.
    if (!this.#sending) this.#arm();
  }

  /** Sends everything gathered so far and waits for it (at shutdown). */
  async flush(): Promise<void> {
    while (this.#sending || this.#pending.length > 0) {
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
    const delay = this.#pending.length >= this.#maxBatch ? 0 : this.#delayMs;
    this.#timer ??= setTimeout(() => {
      this.#timer = undefined;
      void this.#send();
    }, delay);
  }

  /** One batch at a time; never rejects (a failure goes to onFailure). */
  async #send(): Promise<void> {
    if (this.#sending || this.#pending.length === 0) return;
    const batch = this.#pending;
    this.#pending = [];
    this.#sending = this.enqueuer.enqueueBatch(batch).catch((error: unknown) => this.onFailure(batch, error));
    await this.#sending;
    this.#sending = undefined;
    if (this.#pending.length > 0) this.#arm();
  }
}
