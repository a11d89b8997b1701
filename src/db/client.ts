// The Prisma client the service queries Postgres through, over node-postgres (@prisma/adapter-pg).
import { PrismaPg } from '@prisma/adapter-pg';
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
