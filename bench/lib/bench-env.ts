// An isolated bridge installation for one benchmark scenario: a fresh migrated database of its
// own (cloned from the test template, dropped afterwards), a unique Redis key prefix (its keys
// deleted afterwards; never FLUSHALL, the Redis is shared), and the environment for the bridge's
// processes. Nothing here touches another database or another prefix.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import pg from 'pg';
import { LockTopic, withAdvisoryLock } from '../../src/db/advisory-lock.ts';
import { withMaintenanceConnection } from '../../src/db/maintenance-connection.ts';
import { createSyncQueue, isBatchData } from '../../src/queue/sync-queue.ts';
import { prepareTestTemplate, testDatabaseUrl } from '../../tools/support/database.ts';

export const BENCH_SECRET = 'bench-webhook-secret-0123456789abcdef';
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';

export interface BenchEnvironment {
  readonly id: string;
  readonly databaseUrl: string;
  readonly redisPrefix: string;
  readonly redis: Redis;
  /** A small pg pool on the bench database, for counting rows. */
  readonly pool: pg.Pool;
  /** Environment for the bridge's processes (add PORT, ZOHO_* and overrides per role). */
  bridgeEnv(extra?: Record<string, string>): Record<string, string>;
  countEvents(where?: string): Promise<number>;
  /** Events waiting in the sync queue or being synced: one per event job, each event of a batch job. */
  countQueuedEvents(): Promise<number>;
  /** How many of these event ids are committed in webhook_events. */
  countCommitted(eventIds: string[]): Promise<number>;
  /** Process ids of the Postgres backends connected to the bench database (for CPU accounting). */
  postgresBackends(): Promise<number[]>;
  close(): Promise<void>;
}

/** Every bench database is named wzb_bench_<hex>, so leftovers of a killed run are recognisable. */
const DATABASE_PREFIX = 'wzb_bench_';
const SERVER_URL = testDatabaseUrl('postgres');

/**
 * A migrated database of the bench's own, cloned from the test template (the same shared lock as
 * tools/support/database.ts, so a template rebuild never races the clone).
 */
async function createBenchDatabase(hex: string): Promise<{ name: string; url: string }> {
  const template = await prepareTestTemplate();
  const name = `${DATABASE_PREFIX}${hex}`;
  await withMaintenanceConnection(SERVER_URL, (client) =>
    withAdvisoryLock(
      client,
      LockTopic.testTemplate,
      () => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`),
      'shared',
    ),
  );
  return { name, url: testDatabaseUrl(name) };
}

async function dropDatabase(name: string): Promise<void> {
  await withMaintenanceConnection(SERVER_URL, (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
}

/**
 * Drops what a killed earlier run left behind: bench databases nobody is connected to, and Redis
 * keys of bench prefixes whose database is gone. A bench running meanwhile keeps both.
 */
export async function removeLeftovers(redis: Redis): Promise<{ databases: number; keys: number }> {
  const { idle, all } = await withMaintenanceConnection(SERVER_URL, async (client) => {
    const result = await client.query<{ datname: string; connected: boolean }>(
      `SELECT datname, EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = d.datname) AS connected
         FROM pg_database d WHERE datname LIKE '${DATABASE_PREFIX}%'`,
    );
    return { idle: result.rows.filter((row) => !row.connected).map((row) => row.datname), all: result.rows.map((row) => row.datname) };
  });
  for (const name of idle) await dropDatabase(name);
  const live = new Set(all.filter((name) => !idle.includes(name)).map((name) => name.slice(DATABASE_PREFIX.length)));
  let keys = 0;
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', 'wzb-bench-*', 'COUNT', 2000);
    const orphaned = found.filter((key) => !live.has(/^wzb-bench-.*-([0-9a-f]+):/.exec(key)?.[1] ?? ''));
    if (orphaned.length > 0) keys += await redis.unlink(...orphaned);
    cursor = next;
  } while (cursor !== '0');
  return { databases: idle.length, keys };
}

export async function createBenchEnvironment(label: string): Promise<BenchEnvironment> {
  // One id names both the database and the Redis prefix, so leftovers can be matched up.
  const hex = randomBytes(6).toString('hex');
  const id = `${label}-${hex}`;
  const database = await createBenchDatabase(hex);
  const redisPrefix = `wzb-bench-${id}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 3 });
  /** The bridge's sync queue under this prefix, to count its jobs. */
  const syncQueue = createSyncQueue(redis, redisPrefix);
  // Kept connected for the whole run: a bench database with a connection is never taken for a leftover.
  const pool = new pg.Pool({ connectionString: database.url, max: 2, idleTimeoutMillis: 0 });
  await pool.query('SELECT 1');
  const encryptionKey = randomBytes(32).toString('base64');

  return {
    id,
    databaseUrl: database.url,
    redisPrefix,
    redis,
    pool,
    bridgeEnv(extra = {}) {
      return {
        NODE_ENV: 'production',
        LOG_LEVEL: 'info',
        DATABASE_URL: database.url,
        REDIS_URL,
        REDIS_PREFIX: redisPrefix,
        HOST: '127.0.0.1',
        ENCRYPTION_KEY: encryptionKey,
        WC_WEBHOOK_SECRET: BENCH_SECRET,
        WC_STORE_URL: 'https://shop.example.com',
        ...extra,
      };
    },
    async countEvents(where = 'true') {
      const result = await pool.query<{ n: string }>(`SELECT count(*) AS n FROM webhook_events WHERE ${where}`);
      return Number(result.rows[0]!.n);
    },
    async countQueuedEvents() {
      let events = 0;
      const pageSize = 1_000;
      for (let start = 0; ; start += pageSize) {
        const jobs = await syncQueue.getJobs(['wait', 'prioritized', 'delayed', 'active'], start, start + pageSize - 1, true);
        for (const job of jobs) events += isBatchData(job.data) ? job.data.eventIds.length : 1;
        if (jobs.length < pageSize) return events;
      }
    },
    async countCommitted(eventIds) {
      let found = 0;
      for (let start = 0; start < eventIds.length; start += 50_000) {
        const chunk = eventIds.slice(start, start + 50_000);
        const result = await pool.query<{ n: string }>('SELECT count(*) AS n FROM webhook_events WHERE id = ANY($1::bigint[])', [chunk]);
        found += Number(result.rows[0]!.n);
      }
      return found;
    },
    async postgresBackends() {
      const result = await pool.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
      return result.rows.map((row) => row.pid);
    },
    async close() {
      await syncQueue.close();
      await deleteKeys(redis, redisPrefix);
      redis.disconnect();
      await pool.end();
      await dropDatabase(database.name);
    },
  };
}

/** Deletes this prefix's keys only, in batches (SCAN, never KEYS or FLUSHALL). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 2000);
    if (keys.length > 0) deleted += await redis.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}
