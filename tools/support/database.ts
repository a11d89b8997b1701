// Real Postgres databases for tests. Each test gets a database of its own, cloned from a template
// that has every migration applied: cloning takes milliseconds, migrating takes far longer.
import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { LockTopic, withAdvisoryLock } from '../../src/db/advisory-lock.ts';
import { createPrismaClient, type PrismaClient } from '../../src/db/client.ts';
import { withMaintenanceConnection } from '../../src/db/maintenance-connection.ts';
import { applyMigrations } from '../../src/db/migrations.ts';
import { DEFAULT_MIGRATIONS_DIR, readMigrationsFolder } from '../../src/db/migrations-folder.ts';

// One template per set of migrations, named after its fingerprint: two checkouts with different
// migrations (two branches, side by side) test against the same server without rebuilding each
// other's template halfway through a run.
const TEMPLATE_PREFIX = 'wzb_test_template_';

// The server to test against. Only its host, port and credentials are used: every test database
// is named here, so pointing this at a development database never touches that database.
const serverUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  url: string;
  prisma: PrismaClient;
  /** Disconnects and drops the database (safe to call twice). */
  drop(): Promise<void>;
}

/** A URL for `databaseName` on the test server. */
export function testDatabaseUrl(databaseName: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${databaseName}`;
  return url.toString();
}

/** A database name no other test uses (the database itself is not created). */
export function uniqueTestDatabaseName(): string {
  return `wzb_test_${randomBytes(6).toString('hex')}`;
}

export async function dropTestDatabase(databaseName: string): Promise<void> {
  await withMaintenanceConnection(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(databaseName)} WITH (FORCE)`));
}

/** A fresh database with every migration applied, and a client for it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const template = await prepareTestTemplate();
  const name = uniqueTestDatabaseName();
  await withMaintenanceConnection(serverUrl, (client) =>
    // Shared: clones run side by side, but never while the template is being rebuilt.
    withAdvisoryLock(
      client,
      LockTopic.testTemplate,
      () => client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE ${pg.escapeIdentifier(template)}`),
      'shared',
    ),
  );

  const url = testDatabaseUrl(name);
  const prisma = createPrismaClient(url, { poolSize: 4 });
  let dropped: Promise<void> | undefined;
  return {
    url,
    prisma,
    drop: () => (dropped ??= prisma.$disconnect().then(() => dropTestDatabase(name))),
  };
}

let templateReady: Promise<string> | undefined;

/**
 * Makes sure a template database for the migrations folder as it is now exists, building it if
 * not, and names it. Cheap when it is there, safe to call from parallel test processes, and done
 * once per process however often it is called.
 */
export function prepareTestTemplate(): Promise<string> {
  templateReady ??= refreshTemplate().catch((error: unknown) => {
    templateReady = undefined;
    throw error;
  });
  return templateReady;
}

async function refreshTemplate(): Promise<string> {
  const fingerprint = await migrationsFingerprint();
  const name = `${TEMPLATE_PREFIX}${fingerprint.slice(0, 16)}`;
  const marker = `migrations sha256:${fingerprint}`;
  const template = pg.escapeIdentifier(name);
  await withMaintenanceConnection(serverUrl, (client) =>
    withAdvisoryLock(client, LockTopic.testTemplate, async () => {
      const built = await client.query<{ comment: string | null }>(
        "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = $1",
        [name],
      );
      if (built.rows[0]?.comment === marker) return;

      await client.query(`DROP DATABASE IF EXISTS ${template} WITH (FORCE)`);
      await client.query(`CREATE DATABASE ${template}`);
      await applyMigrations(testDatabaseUrl(name));
      // Written last: a build that stopped halfway carries no marker and is rebuilt next time.
      await client.query(`COMMENT ON DATABASE ${template} IS ${pg.escapeLiteral(marker)}`);
    }),
  );
  return name;
}

/** Changes whenever a migration folder is added, renamed or edited. */
async function migrationsFingerprint(): Promise<string> {
  const { migrationDirectories } = await readMigrationsFolder(DEFAULT_MIGRATIONS_DIR);
  const hash = createHash('sha256');
  for (const { path, migrationFile } of migrationDirectories) {
    hash.update(`${path}\0${migrationFile.content.value}\0`);
  }
  return hash.digest('hex');
}
