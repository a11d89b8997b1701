// The start-up shortcut: the schema engine is skipped only when _prisma_migrations shows every
// migration of the folder applied, unchanged, and nothing failed or half-done.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { migrationsUpToDate } from '../../src/db/migrations-status.ts';
import { createTestDatabase, dropTestDatabase, testDatabaseUrl, uniqueTestDatabaseName, type TestDatabase } from '../../tools/support/database.ts';

async function sql(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

describe('migrationsUpToDate', () => {
  const databases: TestDatabase[] = [];
  const fresh = async () => {
    const database = await createTestDatabase();
    databases.push(database);
    return database.url;
  };
  after(() => Promise.all(databases.map((database) => database.drop())));

  it('is true for a fully migrated database', async () => {
    assert.equal(await migrationsUpToDate(await fresh()), true);
  });

  it('is false for a database that was never migrated', async () => {
    const name = uniqueTestDatabaseName();
    await sql(testDatabaseUrl('postgres'), `CREATE DATABASE ${name}`);
    try {
      assert.equal(await migrationsUpToDate(testDatabaseUrl(name)), false);
    } finally {
      await dropTestDatabase(name);
    }
  });

  it('is false when a migration is missing, edited since it was applied, or failed', async () => {
    const missing = await fresh();
    await sql(missing, 'DELETE FROM _prisma_migrations');
    assert.equal(await migrationsUpToDate(missing), false);

    const edited = await fresh();
    await sql(edited, "UPDATE _prisma_migrations SET checksum = 'not-the-file'");
    assert.equal(await migrationsUpToDate(edited), false);

    const failed = await fresh();
    await sql(
      failed,
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count)
       VALUES ('half-done', 'x', '29990101000000_half_done', now(), 0)`,
    );
    assert.equal(await migrationsUpToDate(failed), false);
  });
});
