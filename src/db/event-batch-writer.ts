// Group commit for incoming deliveries. Under load, every delivery used to be its own INSERT and
// its own commit; here deliveries arriving together share one multi-row INSERT … ON CONFLICT,
// i.e. one round trip, one commit and one WAL flush. Each caller still gets its own row back only
// after that statement has committed, so "answered 200" keeps meaning "durable in Postgres".
//
// No timer: a batch is written as soon as the event loop is free (setImmediate), so a lone
// delivery waits for nothing; batches grow only while earlier ones are still in Postgres.
import { Prisma, type EventStatus } from './generated/client.ts';
import type { Db } from './client.ts';
import type { EventRepository, NewEvent, StoredEvent } from './events.ts';

export interface EventBatchWriterOptions {
  /**
   * Most deliveries in one INSERT (13 parameters each; Postgres allows 65,535).
   * @defaultValue 256
   */
  maxBatch?: number;
  /**
   * Batches in Postgres at once. One keeps batches biggest and the CPU per delivery lowest
   * (bench/RESULTS.md); more would overlap round trips at the price of smaller batches.
   * @defaultValue 1
   */
  maxInFlight?: number;
}

interface Waiting {
  event: NewEvent;
  resolve: (stored: StoredEvent) => void;
  reject: (error: unknown) => void;
}

type Row = { id: bigint; status: EventStatus; inserted: boolean; store_id: string; topic: string; body_sha256: string };

export class EventBatchWriter {
  readonly #maxBatch: number;
  readonly #maxInFlight: number;
  #waiting: Waiting[] = [];
  #inFlight = 0;
  #scheduled = false;

  /** `single` writes one event the one-statement way: in-batch duplicates and isolating a bad row. */
  constructor(
    private readonly db: Db,
    private readonly single: Pick<EventRepository, 'insertOrCountRedelivery'>,
    options: EventBatchWriterOptions = {},
  ) {
    this.#maxBatch = options.maxBatch ?? 256;
    this.#maxInFlight = options.maxInFlight ?? 1;
  }

  /** Same contract as EventRepository.insertOrCountRedelivery, batched with concurrent calls. */
  insertOrCountRedelivery(event: NewEvent): Promise<StoredEvent> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ event, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#scheduled || this.#inFlight >= this.#maxInFlight) return;
    this.#scheduled = true;
    setImmediate(() => {
      this.#scheduled = false;
      while (this.#waiting.length > 0 && this.#inFlight < this.#maxInFlight) {
        const batch = this.#waiting.splice(0, this.#maxBatch);
        this.#inFlight++;
        void this.#write(batch).finally(() => {
          this.#inFlight--;
          if (this.#waiting.length > 0) this.#schedule();
        });
      }
    });
  }

  async #write(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) return settle(batch[0]!, () => this.single.insertOrCountRedelivery(batch[0]!.event));

    // The same bytes twice in one statement would make ON CONFLICT touch a row twice (an error),
    // so repeats wait for the first copy and then count as redeliveries, one statement each.
    const firsts = new Map<string, Waiting>();
    const repeats: Waiting[] = [];
    for (const waiting of batch) {
      const key = keyOf(waiting.event.storeId, waiting.event.topic, waiting.event.bodySha256);
      if (firsts.has(key)) repeats.push(waiting);
      else firsts.set(key, waiting);
    }

    let rows: Row[];
    try {
      rows = await this.#insertMany([...firsts.values()].map((waiting) => waiting.event));
    } catch (error) {
      if (!isRowError(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      // One bad row (e.g. its store was just deleted) must not fail the others: one by one.
      await Promise.all(batch.map((waiting) => settle(waiting, () => this.single.insertOrCountRedelivery(waiting.event))));
      return;
    }
    const byKey = new Map(rows.map((row) => [keyOf(row.store_id, row.topic, row.body_sha256), row]));
    for (const [key, waiting] of firsts) {
      const row = byKey.get(key);
      if (row) waiting.resolve({ id: row.id, status: row.status, inserted: row.inserted });
      else waiting.reject(new Error('INSERT … RETURNING gave no row for a delivery'));
    }
    await Promise.all(repeats.map((waiting) => settle(waiting, () => this.single.insertOrCountRedelivery(waiting.event))));
  }

  #insertMany(events: NewEvent[]): Promise<Row[]> {
    const values = events.map(
      (event) => Prisma.sql`(${event.storeId}, ${event.topic}, ${event.resource}, ${event.resourceId ?? null},
         ${event.contactKey ?? null}, ${event.webhookId ?? null}, ${event.deliveryId ?? null},
         ${event.bodySha256}, ${event.body}, ${JSON.stringify(event.headers)}::jsonb,
         ${event.modifiedAt ?? null}, ${event.status}::event_status, ${event.statusReason ?? null})`,
    );
    return this.db.$queryRaw<Row[]>`
      INSERT INTO webhook_events
        (store_id, topic, resource, resource_id, contact_key, webhook_id, delivery_id,
         body_sha256, body, headers, modified_at, status, status_reason)
      VALUES ${Prisma.join(values)}
      ON CONFLICT (store_id, topic, body_sha256) DO UPDATE
        SET redeliveries = webhook_events.redeliveries + 1, last_redelivery_at = now()
      RETURNING id, status, (xmax = 0) AS inserted, store_id, topic, body_sha256`;
  }
}

async function settle(waiting: Waiting, write: () => Promise<StoredEvent>): Promise<void> {
  try {
    waiting.resolve(await write());
  } catch (error) {
    waiting.reject(error);
  }
}

function keyOf(storeId: string, topic: string, bodySha256: string): string {
  return `${storeId}\u0000${topic}\u0000${bodySha256}`;
}

/**
 * Postgres refused the data of some row (SQLSTATE class 22 data exception, 23 constraint
 * violation), as opposed to the database being unreachable, where retrying row by row would only
 * make every delivery wait twice before its 503.
 */
function isRowError(error: unknown): boolean {
  const meta = (error as { meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } }).meta;
  const code = meta?.driverAdapterError?.cause?.originalCode ?? '';
  return code.startsWith('22') || code.startsWith('23');
}
