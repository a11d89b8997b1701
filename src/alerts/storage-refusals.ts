// The receiver's one fact for alerting: "a delivery was answered 503 because Postgres could not be
// reached", kept in Redis (Postgres is the thing that failed). Recording is one pipelined Redis
// call, not awaited by the request; the worker reads it when it evaluates alerts.
import type { RedisClient } from '../redis/connection.ts';

/** Refusals older than this are forgotten. */
const KEEP_MS = 60 * 60_000;

export interface RefusalSummary {
  count: number;
  firstAt: Date;
  lastAt: Date;
}

export class StorageRefusals {
  readonly #key: string;

  constructor(
    private readonly redis: RedisClient,
    prefix: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.#key = `${prefix}:alerts:storage-refusals`;
  }

  /** Fire and forget: never delays or fails the answer to WooCommerce. */
  record(): void {
    const at = String(this.now().getTime());
    this.redis
      .multi()
      .hincrby(this.#key, 'count', 1)
      .hsetnx(this.#key, 'first', at)
      .hset(this.#key, 'last', at)
      .pexpire(this.#key, KEEP_MS)
      .exec()
      .catch(() => undefined);
  }

  async read(): Promise<RefusalSummary | undefined> {
    const fields = await this.redis.hgetall(this.#key);
    if (!fields.last) return undefined;
    return { count: Number(fields.count ?? 0), firstAt: new Date(Number(fields.first ?? fields.last)), lastAt: new Date(Number(fields.last)) };
  }
}
