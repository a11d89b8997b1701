// Postgres advisory locks that serialise work across processes (several API or worker processes
// starting at once, parallel test files).
import type pg from 'pg';

/**
 * First half of every key this project locks on. The two-integer key space is separate from the
 * single-bigint one in which Prisma's native engine takes its own migration lock, so the two can
 * never wait on each other.
 */
const PROJECT_LOCK_SPACE = 0x577a62; // "Wzb"

/** What a lock protects (second half of the key). */
export const LockTopic = {
  /** Applying migrations to one database. */
  migrations: 1,
  /** Building or cloning the test template database (held in the maintenance database). */
  testTemplate: 2,
  /** Making the database match configuration at start (the first store, Zoho seed, password). */
  configuration: 3,
} as const;

export type LockTopic = (typeof LockTopic)[keyof typeof LockTopic];

/**
 * Runs `work` while `client`'s session holds the lock, waiting for other holders first.
 * Advisory locks are scoped to the database the client is connected to. Shared holders exclude
 * only exclusive ones. The lock also ends with the session, so a crashed holder never leaves it
 * taken.
 */
export async function withAdvisoryLock<T>(
  client: pg.ClientBase,
  topic: LockTopic,
  work: () => Promise<T>,
  mode: 'exclusive' | 'shared' = 'exclusive',
): Promise<T> {
  const suffix = mode === 'shared' ? '_shared' : '';
  await client.query(`SELECT pg_advisory_lock${suffix}($1, $2)`, [PROJECT_LOCK_SPACE, topic]);
  try {
    return await work();
  } finally {
    await client.query(`SELECT pg_advisory_unlock${suffix}($1, $2)`, [PROJECT_LOCK_SPACE, topic]);
  }
}
