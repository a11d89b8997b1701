// Creates the database and brings its schema up to date, as `prisma migrate deploy` would,
// through the WebAssembly schema engine (see schema-engine.ts for why not the CLI).
import pg from 'pg';
import { LockTopic, withAdvisoryLock } from './advisory-lock.ts';
import { databaseNameOf, poolConfigFromUrl } from './connection-config.ts';
import { withMaintenanceConnection } from './maintenance-connection.ts';
import { DEFAULT_MIGRATIONS_DIR, readMigrationsFolder } from './migrations-folder.ts';
import { noExternalEntities, withSchemaEngine } from './schema-engine.ts';

const DUPLICATE_DATABASE = '42P04';

export interface ApplyMigrationsOptions {
  /** @defaultValue the repository's prisma/migrations */
  migrationsDir?: string;
  /** Told about each migration applied. */
  log?: (message: string) => void;
}

/**
 * Creates the database `databaseUrl` names if the server lacks it.
 * @returns true if it was created by this call.
 */
export async function ensureDatabaseExists(databaseUrl: string): Promise<boolean> {
  const name = databaseNameOf(databaseUrl);
  return withMaintenanceConnection(databaseUrl, async (client) => {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (existing.rowCount) return false;
    try {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
      return true;
    } catch (error) {
      // Another process created it between the check and the CREATE: the outcome is the same.
      if ((error as { code?: string }).code === DUPLICATE_DATABASE) return false;
      throw error;
    }
  });
}

/**
 * Applies the migrations the database has not had yet, recording them in _prisma_migrations
 * exactly as `prisma migrate deploy` does, so either can take over from the other.
 * Processes starting together take turns; those after the first find nothing left to apply.
 * @returns the names of the migrations applied by this call, in order.
 */
export async function applyMigrations(databaseUrl: string, options: ApplyMigrationsOptions = {}): Promise<string[]> {
  const { migrationsDir = DEFAULT_MIGRATIONS_DIR, log = () => {} } = options;
  const database = poolConfigFromUrl(databaseUrl);
  const migrationsList = await readMigrationsFolder(migrationsDir);

  // The engine takes Prisma's own migration lock as well, but through its pool, whose sessions it
  // does not control; this lock is held by one dedicated session from first read to last write.
  const lockHolder = new pg.Client(database);
  await lockHolder.connect();
  try {
    return await withAdvisoryLock(lockHolder, LockTopic.migrations, async () => {
      const { appliedMigrationNames } = await withSchemaEngine(database, (engine) => engine.applyMigrations({ migrationsList, filters: noExternalEntities }));
      for (const name of appliedMigrationNames) log(`Applied migration ${name}`);
      return appliedMigrationNames;
    });
  } finally {
    await lockHolder.end();
  }
}
