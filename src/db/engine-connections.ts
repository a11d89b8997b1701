// The database connections handed to the WebAssembly schema engine.
import { randomUUID } from 'node:crypto';
import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import pg from 'pg';
import { CharAsTextClient } from './char-as-text-client.ts';

export interface EngineConnections {
  /** What the engine connects through (before bindMigrationAwareSqlAdapterFactory). */
  readonly factory: SqlMigrationAwareDriverAdapterFactory;
  /** Drops the shadow databases made on the way and closes every pool. */
  close(): Promise<void>;
}

/**
 * Connections for one engine: the target database, plus throwaway shadow databases on the same
 * server for commands that replay the migrations folder (a diff from it, for instance).
 *
 * PrismaPg's own connectToShadowDb is not used: it drops the shadow database while its pool still
 * holds a connection, so the drop fails and the database is left behind.
 */
export function openEngineConnections(database: pg.PoolConfig): EngineConnections {
  // Idle sessions are never closed by the pool: the engine takes Prisma's migration lock on one
  // of them, and closing it mid-run would release the lock. close() ends them all anyway.
  const config: pg.PoolConfig = { ...database, Client: CharAsTextClient, idleTimeoutMillis: 0 };
  // The engine runs one statement at a time; the second connection serves CREATE/DROP DATABASE.
  const targetPool = new pg.Pool({ ...config, max: 2 });
  const target = new PrismaPg(targetPool);
  const shadows: { name: string; pool: pg.Pool }[] = [];

  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: target.provider,
    adapterName: target.adapterName,
    connect: () => target.connect(),
    async connectToShadowDb() {
      const name = `prisma_shadow_${randomUUID().replaceAll('-', '')}`;
      await targetPool.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      const pool = new pg.Pool({ ...config, database: name, max: 2 });
      shadows.push({ name, pool });
      return new PrismaPg(pool).connect();
    },
  };

  async function close(): Promise<void> {
    try {
      for (const shadow of shadows.splice(0)) {
        await shadow.pool.end();
        await targetPool.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(shadow.name)} WITH (FORCE)`);
      }
    } finally {
      // PrismaPg leaves a pool it was given open, so closing it is up to its owner.
      await targetPool.end();
    }
  }

  return { factory, close };
}
