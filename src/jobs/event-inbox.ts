// The hand-off from the receiver to the sync queue. The server appends the ids of freshly
// committed events to a plain Redis list, one RPUSH per batch; the workers move them from there
// into BullMQ. Why not BullMQ straight from the server: adding a job builds a dozen objects per
// job in the adding process (the Job, its msgpack'd options, an ioredis command and promise per
// job), and in the server they outlived the young generation. They were 2 KB of old-generation
// garbage per delivery, a full garbage collection every 3 s at 1,000 deliveries/s, and the
// stalls behind most of the server's slow answers (bench/RESULTS.md, section 5, fix 14).
//
// Nothing durable depends on the list: the event is committed before its id is pushed. Ids lost
// on the way (Redis down or emptied, a worker stopped between taking ids and queueing them) are
// found by the sweeper, which queues every pending event that has no job.
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { EventIdSink } from './enqueue-batcher.ts';

export function inboxKey(redisPrefix: string): string {
  return `${redisPrefix}:sync-inbox`;
}

/** The server's side: appends event ids to the inbox. */
export class EventInbox {
  constructor(
    private readonly redis: Redis,
    private readonly key: string,
  ) {}

  async enqueue(eventIds: bigint[]): Promise<void> {
    if (eventIds.length === 0) return;
    await this.redis.rpush(this.key, ...eventIds.map(String));
  }

  /** Ids waiting for a worker to queue them (the dashboard and `status` show it). */
  length(): Promise<number> {
    return this.redis.llen(this.key);
  }
}

export interface InboxRelayOptions {
  /** Most ids taken and queued at once (one BullMQ addBulk). @defaultValue 500 */
  batch?: number;
  /** How long one wait for ids lasts before it is asked again. @defaultValue 5 */
  blockSeconds?: number;
  /** Pause after a failure (Redis down) before taking ids again. @defaultValue 1_000 */
  retryMs?: number;
}

/**
 * The workers' side: waits on the inbox (a blocking pop, so a batch is queued as soon as it
 * arrives and an idle worker costs nothing) and queues what it takes. Every worker process runs
 * one; Redis hands each batch to exactly one of them. Needs a connection of its own: a blocking
 * command holds its connection for as long as it waits.
 */
export class InboxRelay {
  readonly #batch: number;
  readonly #blockSeconds: number;
  readonly #retryMs: number;
  #stopping = false;
  #running: Promise<void> | undefined;

  constructor(
    private readonly connection: Redis,
    private readonly key: string,
    private readonly enqueuer: EventIdSink,
    private readonly log: FastifyBaseLogger,
    options: InboxRelayOptions = {},
  ) {
    this.#batch = options.batch ?? 500;
    this.#blockSeconds = options.blockSeconds ?? 5;
    this.#retryMs = options.retryMs ?? 1_000;
  }

  start(): void {
    this.#running ??= this.#run();
  }

  /**
   * Stops taking ids and closes the connection. A wait in progress is cut off rather than sat
   * out; a batch already taken is queued first.
   */
  async close(): Promise<void> {
    this.#stopping = true;
    this.connection.disconnect();
    await this.#running;
  }

  async #run(): Promise<void> {
    while (!this.#stopping) {
      let ids: bigint[] = [];
      try {
        const taken = await this.connection.blmpop(this.#blockSeconds, 1, this.key, 'LEFT', 'COUNT', this.#batch);
        if (!taken) continue;
        ids = taken[1].map((id) => BigInt(id));
        await this.enqueuer.enqueue(ids);
      } catch (error) {
        if (this.#stopping && ids.length === 0) return;
        this.log.warn(
          { err: error, eventIds: ids.length },
          ids.length > 0
            ? 'Could not queue events taken from the inbox; the sweeper will queue them'
            : 'Could not read the inbox of stored events (Redis down?); trying again',
        );
        await new Promise((resolve) => setTimeout(resolve, this.#retryMs));
      }
    }
  }
}
