import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import pg from 'pg';
import { DEFAULT_MIGRATIONS_DIR } from '../../src/db/migrations-folder.ts';
import { applyMigrations, ensureDatabaseExists } from '../../src/db/migrations.ts';
import { createTestDatabase, dropTestDatabase, testDatabaseUrl, uniqueTestDatabaseName } from '../../tools/support/database.ts';

/** The migration folders, read here independently of the code under test. */
async function migrationNames(): Promise<string[]> {
  const entries = await readdir(DEFAULT_MIGRATIONS_DIR, { withFileTypes: true });
  return entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

async function sha256OfMigration(name: string): Promise<string> {
  const bytes = await readFile(join(DEFAULT_MIGRATIONS_DIR, name, 'migration.sql'));
  return createHash('sha256').update(bytes).digest('hex');
}

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
}

async function recordedMigrations(databaseUrl: string): Promise<MigrationRow[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const result = await client.query<MigrationRow>(
      'SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations ORDER BY migration_name',
    );
    return result.rows;
  } finally {
    await client.end();
  }
}

/** An empty database that is dropped when the test ends. */
async function freshDatabase(t: test.TestContext): Promise<string> {
  const name = uniqueTestDatabaseName();
  t.after(() => dropTestDatabase(name));
  const url = testDatabaseUrl(name);
  await ensureDatabaseExists(url);
  return url;
}

describe('ensureDatabaseExists', () => {
  test('creates a missing database, and reports false once it exists', async (t) => {
    const name = uniqueTestDatabaseName();
    t.after(() => dropTestDatabase(name));
    const url = testDatabaseUrl(name);

    assert.equal(await ensureDatabaseExists(url), true);
    assert.equal(await ensureDatabaseExists(url), false);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const { rows } = await client.query<{ name: string }>('SELECT current_database() AS name');
    await client.end();
    assert.equal(rows[0]?.name, name);
  });
});

describe('applyMigrations', () => {
  test('applies every migration once, with the checksums prisma migrate deploy writes', async (t) => {
    const url = await freshDatabase(t);
    const expected = await migrationNames();
    assert.ok(expected.length > 0, 'the repository has at least one migration');

    const logged: string[] = [];
    assert.deepEqual(await applyMigrations(url, { log: (message) => logged.push(message) }), expected);
    assert.equal(logged.length, expected.length);

    const rows = await recordedMigrations(url);
    assert.deepEqual(
      rows.map((row) => row.migration_name),
      expected,
    );
    for (const row of rows) {
      assert.match(row.checksum, /^[0-9a-f]{64}$/);
      assert.equal(row.checksum, await sha256OfMigration(row.migration_name));
      assert.ok(row.finished_at instanceof Date, `${row.migration_name} finished`);
      assert.equal(row.rolled_back_at, null);
    }

    assert.deepEqual(await applyMigrations(url), []);
    assert.equal((await recordedMigrations(url)).length, expected.length);
  });

  test('two concurrent callers on a fresh database apply each migration exactly once', async (t) => {
    const url = await freshDatabase(t);
    const expected = await migrationNames();

    // Each call has its own database sessions, exactly as two processes starting together would.
    const [first, second] = await Promise.all([applyMigrations(url), applyMigrations(url)]);

    // Whichever got the lock first applied everything; the other found nothing left to do.
    assert.deepEqual([...first, ...second].sort(), expected);
    assert.ok(first.length === 0 || second.length === 0, 'one caller applied nothing');
    const rows = await recordedMigrations(url);
    assert.deepEqual(
      rows.map((row) => row.migration_name),
      expected,
    );
    assert.ok(rows.every((row) => row.finished_at !== null));
  });
});

describe('createTestDatabase', () => {
  test('hands out a migrated database that drop() removes', async () => {
    const database = await createTestDatabase();
    try {
      assert.deepEqual(
        (await recordedMigrations(database.url)).map((row) => row.migration_name),
        await migrationNames(),
      );
      const store = await database.prisma.store.create({
        data: { id: 'test-store', name: 'Test store', url: 'https://shop.example' },
      });
      assert.equal(store.id, 'test-store');
    } finally {
      await database.drop();
    }

    const client = new pg.Client({ connectionString: testDatabaseUrl('postgres') });
    await client.connect();
    const remaining = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [new URL(database.url).pathname.slice(1)]);
    await client.end();
    assert.equal(remaining.rowCount, 0);
  });
});
