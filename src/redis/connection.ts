// Redis connections. BullMQ workers need blocking connections that retry forever; the web
// process must never wait on Redis, so its connection fails fast and the sweeper catches up.
import type { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import { Redis, type RedisOptions } from 'ioredis';

export type RedisRole = 'worker' | 'producer';

export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const base: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null }
      : // commandTimeout: a Redis that stops answering (a partition, not a refusal) must not hold
        // up anything waiting on it, such as queueing stored events at shutdown.
        { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 5_000 };
  return new Redis(url, {
    ...base,
    // Reconnect forever with a capped delay: Redis coming back must need no restart.
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    lazyConnect: false,
    ...extra,
  });
}

/** During an outage every reconnection attempt fails; one line per this long is enough. */
const ERROR_LOG_EVERY_MS = 60_000;

/**
 * Logs the errors of a Redis connection, or of a BullMQ queue or worker using one, at most once a
 * minute each. Without a listener they would go to stderr as unstructured stack traces, once per
 * reconnection attempt.
 */
export function logRedisErrors(emitter: EventEmitter, log: FastifyBaseLogger, what: string): void {
  let lastLoggedAt = 0;
  emitter.on('error', (error: Error) => {
    const now = Date.now();
    if (now - lastLoggedAt < ERROR_LOG_EVERY_MS) return;
    lastLoggedAt = now;
    log.error({ err: error, redis: what }, `Redis error (${what}): ${error.message}; retrying in the background`);
  });
}
