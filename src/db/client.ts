// The Prisma client the service queries Postgres through, over node-postgres (@prisma/adapter-pg).
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient, type Prisma } from './generated/client.ts';

export type { PrismaClient };
/** What repositories are given. */
export type Db = PrismaClient;
/** The client inside `db.$transaction(async (tx) => …)`: every model, no $connect or $transaction. */
export type DbTransaction = Prisma.TransactionClient;

export interface PrismaClientOptions {
  /**
   * Most connections this process opens. Every API and worker process has its own pool, so the
   * sum over all processes must stay under the server's max_connections.
   * @defaultValue 10
   */
  poolSize?: number;
  /**
   * How long a query waits for a connection (a free one, or a new one to be opened) before it
   * fails, rather than hanging when the pool is exhausted or the server unreachable.
   * @defaultValue 10_000
   */
  connectionTimeoutMs?: number;
}

export function createPrismaClient(databaseUrl: string, options: PrismaClientOptions = {}): PrismaClient {
  const { poolSize = 10, connectionTimeoutMs = 10_000 } = options;
  const adapter = new PrismaPg({
    connectionString: databaseUrl,
    max: poolSize,
    connectionTimeoutMillis: connectionTimeoutMs,
  });
  return new PrismaClient({ adapter });
}

/** The service's database: Prisma, the pg pool under it, and the connection deliveries are stored on. */
export interface Database {
  db: PrismaClient;
  /** The same connections Prisma uses, for statements Prisma cannot express (advisory locks). */
  pool: pg.Pool;
  /**
   * One connection of its own for the delivery INSERT (src/db/event-batch-writer.ts), which skips
   * Prisma: it runs for every delivery, and Prisma's query interpreter costs 4× the CPU of the
   * statement itself. The writer keeps its statements prepared on
   * this connection, so they are parsed and planned once rather than on every pool connection.
   * Nothing connects until the first delivery, so processes that receive none never open it.
   */
  deliveryPool: pg.Pool;
  close(): Promise<void>;
}

export function createDatabase(databaseUrl: string, options: PrismaClientOptions = {}): Database {
  const { poolSize = 10, connectionTimeoutMs = 10_000 } = options;
  const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize, connectionTimeoutMillis: connectionTimeoutMs });
  const deliveryPool = new pg.Pool({ connectionString: databaseUrl, max: 1, connectionTimeoutMillis: connectionTimeoutMs });
  // An idle connection that breaks (Postgres restarted) is dropped by its pool; without a
  // listener the 'error' event would end the process.
  for (const each of [pool, deliveryPool]) each.on('error', () => undefined);
  const db = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    db,
    pool,
    deliveryPool,
    async close() {
      await db.$disconnect();
      await pool.end(); // PrismaPg leaves a pool it was given open
      await deliveryPool.end();
    },
  };
}
