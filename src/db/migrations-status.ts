// Whether the database already has every migration, read from _prisma_migrations with one query.
// At almost every start the answer is yes, and then the schema engine (a WebAssembly module that
// stays in memory for the life of the process, ~15 MB of RSS) does not need to be loaded at all.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { poolConfigFromUrl } from './connection-config.ts';
import { DEFAULT_MIGRATIONS_DIR, readMigrationsFolder } from './migrations-folder.ts';

const UNDEFINED_TABLE = '42P01';

/**
 * True only when every migration in the folder is recorded as finished with the same checksum
 * (SHA-256 of migration.sql, as Prisma records it) and no migration is failed or in progress.
 * Anything else, including doubt, is false: the caller then runs the engine as before.
 */
export async function migrationsUpToDate(databaseUrl: string, migrationsDir = DEFAULT_MIGRATIONS_DIR): Promise<boolean> {
  const { migrationDirectories } = await readMigrationsFolder(migrationsDir);
  const client = new pg.Client(poolConfigFromUrl(databaseUrl));
  await client.connect();
  try {
    const { rows } = await client.query<{ migration_name: string; checksum: string; finished: boolean; rolled_back: boolean }>(
      `SELECT migration_name, checksum, finished_at IS NOT NULL AS finished, rolled_back_at IS NOT NULL AS rolled_back
         FROM _prisma_migrations`,
    );
    if (rows.some((row) => !row.finished && !row.rolled_back)) return false;
    const applied = new Map(rows.filter((row) => row.finished && !row.rolled_back).map((row) => [row.migration_name, row.checksum]));
    return migrationDirectories.every(({ path, migrationFile }) => {
      if (migrationFile.content.tag !== 'ok') return false;
      return applied.get(path) === createHash('sha256').update(migrationFile.content.value).digest('hex');
    });
  } catch (error) {
    if ((error as { code?: string }).code === UNDEFINED_TABLE) return false;
    throw error;
  } finally {
    await client.end();
  }
}
