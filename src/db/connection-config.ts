// Connection settings derived from a database URL.
import type { PoolConfig } from 'pg';
import { parseIntoClientConfig } from 'pg-connection-string';

/** The database every Postgres server has, used to create and drop the others. */
const MAINTENANCE_DATABASE = 'postgres';

/**
 * Turns a postgres:// URL into discrete pg settings, read exactly as pg itself reads it.
 *
 * Discrete settings rather than `{ connectionString }`, because in pg a connection string
 * overrides every other field: a config derived by replacing `database` would silently keep
 * connecting to the original database.
 */
export function poolConfigFromUrl(databaseUrl: string): PoolConfig {
  return parseIntoClientConfig(databaseUrl) as PoolConfig;
}

/** The same server and credentials as `databaseUrl`, on the maintenance database. */
export function maintenanceConfigFor(databaseUrl: string): PoolConfig {
  return { ...poolConfigFromUrl(databaseUrl), database: MAINTENANCE_DATABASE };
}

/** The name of the database a URL points at, resolved as pg does (the user name if omitted). */
export function databaseNameOf(databaseUrl: string): string {
  const config = poolConfigFromUrl(databaseUrl);
  const name = config.database ?? config.user;
  if (!name) throw new Error('The database URL names neither a database nor a user.');
  return name;
}
