// Stores incoming deliveries, with group commit: deliveries arriving together share one multi-row INSERT …
// ON CONFLICT, i.e. one round trip, one commit and one WAL flush. Each caller still gets its own
// row back only after that statement has committed, so "answered 200" keeps meaning "durable in
// Postgres".
//
// No timer: a batch is written as soon as the event loop is free (setImmediate), so a lone
// delivery waits for nothing; batches grow only while earlier ones are still in Postgres.
//
// Batches are 1, 2, 4, … rows (what does not fit waits for the next batch, at most one round
// trip), and each of those few statements is prepared once on the writer's connection: parsing
// and planning a multi-row INSERT anew for every batch costs a quarter of Postgres's CPU per
// delivery, and one prepared statement per possible batch size would hold
// megabytes in the Postgres backend for sizes that hardly ever recur.
//
// This is the one statement that goes to pg directly rather than through Prisma (on a connection
// of its own, see src/db/client.ts): it runs for every delivery, and through Prisma's query
// interpreter it costs 4× the CPU for a lone delivery and 2× in a batch.
import type { EventStatus } from './generated/client.ts';
import type { NewEvent, StoredEvent } from './new-event.ts';

/** A statement as pg takes it; with a name, pg prepares it once per connection and reuses it. */
export interface Statement {
  name?: string;
  text: string;
  values: unknown[];
}

/** What the writer needs of a pg.Pool. */
export interface SqlRunner {
  query<R extends object>(statement: Statement): Promise<{ rows: R[] }>;
}

/** Stores a delivery, or counts a redelivery when the same store sent the same bytes for the topic before. */
export interface EventWriter {
  insertOrCountRedelivery(event: NewEvent): Promise<StoredEvent>;
}

export interface EventBatchWriterOptions {
  /**
   * Most deliveries in one INSERT (13 parameters each; Postgres allows 65,535). Batches are
   * powers of two up to this.
   * @defaultValue 256
   */
  maxBatch?: number;
  /**
   * Batches in Postgres at once. One keeps batches biggest and the CPU per delivery lowest
   * in the benchmarks; more would overlap round trips at the price of smaller batches.
   * @defaultValue 1
   */
  maxInFlight?: number;
}

interface Waiting {
  event: NewEvent;
  resolve: (stored: StoredEvent) => void;
  reject: (error: unknown) => void;
}

type Row = { id: string; status: EventStatus; inserted: boolean; store_id: string; topic: string; body_sha256: string };

const COLUMNS = 13;

export class EventBatchWriter implements EventWriter {
  readonly #maxBatch: number;
  readonly #maxInFlight: number;
  #waiting: Waiting[] = [];
  #inFlight = 0;
  #scheduled = false;

  constructor(
    private readonly sql: SqlRunner,
    options: EventBatchWriterOptions = {},
  ) {
    this.#maxBatch = options.maxBatch ?? 256;
    this.#maxInFlight = options.maxInFlight ?? 1;
  }

  /**
   * Stores the event, or counts a redelivery when the same bytes arrived before for this store
   * and topic. One statement, so two identical deliveries racing each other still store one row.
   */
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
        const batch = this.#waiting.splice(0, batchSize(this.#waiting.length, this.#maxBatch));
        this.#inFlight++;
        void this.#write(batch).finally(() => {
          this.#inFlight--;
          if (this.#waiting.length > 0) this.#schedule();
        });
      }
    });
  }

  async #write(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) return this.#writeAlone(batch[0]!);

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
      rows = await this.#insert([...firsts.values()].map((waiting) => waiting.event));
    } catch (error) {
      if (!isRowError(error)) {
        for (const waiting of batch) waiting.reject(error);
        return;
      }
      // One bad row (e.g. its store was just deleted) must not fail the others: one by one.
      await Promise.all(batch.map((waiting) => this.#writeAlone(waiting)));
      return;
    }
    const byKey = new Map(rows.map((row) => [keyOf(row.store_id, row.topic, row.body_sha256), row]));
    for (const [key, waiting] of firsts) {
      const row = byKey.get(key);
      if (row) waiting.resolve(storedOf(row));
      else waiting.reject(new Error('INSERT … RETURNING gave no row for a delivery'));
    }
    await Promise.all(repeats.map((waiting) => this.#writeAlone(waiting)));
  }

  async #writeAlone(waiting: Waiting): Promise<void> {
    try {
      const [row] = await this.#insert([waiting.event]);
      if (row) waiting.resolve(storedOf(row));
      else waiting.reject(new Error('INSERT … RETURNING gave no row'));
    } catch (error) {
      waiting.reject(error);
    }
  }

  async #insert(events: NewEvent[]): Promise<Row[]> {
    const values: unknown[] = [];
    for (const event of events) {
      values.push(
        event.storeId,
        event.topic,
        event.resource,
        event.resourceId ?? null,
        event.contactKey ?? null,
        event.webhookId ?? null,
        event.deliveryId ?? null,
        event.bodySha256,
        event.body,
        JSON.stringify(event.headers),
        // The column is timestamp without time zone holding UTC (Prisma's convention); pg would
        // send a Date in the process's local zone.
        event.modifiedAt?.toISOString() ?? null,
        event.status,
        event.statusReason ?? null,
      );
    }
    const rows = events.length;
    // Repeats taken out of a batch can leave an odd size: sent unnamed, it is not kept prepared.
    const name = isPowerOfTwo(rows) ? `wzb_store_deliveries_${rows}` : undefined;
    return (await this.sql.query<Row>({ name, text: insertStatement(rows), values })).rows;
  }
}

/** The largest power of two that is at most both numbers (and at least 1). */
export function batchSize(waiting: number, maxBatch: number): number {
  let size = 1;
  while (size * 2 <= Math.min(waiting, maxBatch)) size *= 2;
  return size;
}

function isPowerOfTwo(rows: number): boolean {
  return (rows & (rows - 1)) === 0;
}

/** The statement for each batch size, built once. */
const statements = new Map<number, string>();

function insertStatement(rows: number): string {
  let text = statements.get(rows);
  if (text === undefined) {
    text = buildInsertStatement(rows);
    statements.set(rows, text);
  }
  return text;
}

function buildInsertStatement(rows: number): string {
  const tuples = Array.from({ length: rows }, (_, row) => {
    const $ = (column: number) => `$${row * COLUMNS + column}`;
    return `(${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}, ${$(5)}, ${$(6)}, ${$(7)}, ${$(8)}, ${$(9)}, ${$(10)}::jsonb, ${$(11)}, ${$(12)}::event_status, ${$(13)})`;
  });
  return `INSERT INTO webhook_events
      (store_id, topic, resource, resource_id, contact_key, webhook_id, delivery_id,
       body_sha256, body, headers, modified_at, status, status_reason)
    VALUES ${tuples.join(', ')}
    ON CONFLICT (store_id, topic, body_sha256) DO UPDATE
      SET redeliveries = webhook_events.redeliveries + 1, last_redelivery_at = now()
    RETURNING id, status, (xmax = 0) AS inserted, store_id, topic, body_sha256`;
}

function storedOf(row: Row): StoredEvent {
  return { id: BigInt(row.id), status: row.status, inserted: row.inserted };
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
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}
