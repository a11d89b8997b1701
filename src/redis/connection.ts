// Redis connections. BullMQ workers need blocking connections that retry forever; the web
// process must never wait on Redis, so its connection fails fast and the sweeper catches up.
// One Redis or a Redis Cluster (ioredis' Cluster client): every key the bridge uses starts with
// its prefix, a hash tag on a cluster (config.ts), so scripts over several keys stay in one slot.
import type { EventEmitter } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import { Cluster, Redis, type RedisOptions } from 'ioredis';

export type RedisRole = 'worker' | 'producer';

/** A connection to one Redis or to a cluster; both answer the same commands. */
export type RedisClient = Redis | Cluster;

export interface RedisTarget {
  url: string;
  /** host:port seeds of a cluster; the url then only gives user, password and TLS. */
  clusterNodes?: readonly string[] | undefined;
}

export function createRedis(target: string | RedisTarget, role: RedisRole, extra: RedisOptions = {}): RedisClient {
  const { url, clusterNodes } = typeof target === 'string' ? { url: target, clusterNodes: undefined } : target;
  const base: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null }
      : // commandTimeout: a Redis that stops answering (a partition, not a refusal) must not hold
        // up anything waiting on it, such as queueing stored events at shutdown.
        { maxRetriesPerRequest: 1, enableOfflineQueue: false, connectTimeout: 2_000, commandTimeout: 5_000 };
  // Reconnect forever with a capped delay: Redis coming back must need no restart.
  const retry = (times: number) => Math.min(times * 200, 2_000);
  if (!clusterNodes) return new Redis(url, { ...base, retryStrategy: retry, lazyConnect: false, ...extra });
  const { enableOfflineQueue, ...perNode } = { ...base, ...extra };
  return new Cluster(
    clusterNodes.map((node) => ({ host: node.slice(0, node.lastIndexOf(':')), port: Number(node.slice(node.lastIndexOf(':') + 1)) })),
    {
      redisOptions: { ...perNode, ...credentialsOf(url) },
      clusterRetryStrategy: retry,
      ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
      lazyConnect: false,
    },
  );
}

/** User, password and TLS of REDIS_URL, for every node of a cluster. */
function credentialsOf(url: string): RedisOptions {
  const parsed = new URL(url);
  return {
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(parsed.protocol === 'rediss:' ? { tls: {} } : {}),
  };
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
