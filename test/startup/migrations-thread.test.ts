// At start, pending migrations are applied in a worker thread, so the schema engine (WebAssembly
// that cannot be unloaded) never stays in a long-running process.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import pg from 'pg';
import type { Config } from '../../src/config.ts';
import { applyMigrationsInThread } from '../../src/db/migrations-thread.ts';
import { schemaEngineLoaded } from '../../src/db/schema-engine.ts';
import { prepareDatabase } from '../../src/startup.ts';
import { dropTestDatabase, testDatabaseUrl, uniqueTestDatabaseName } from '../../tools/support/database.ts';

const quietLog = { info: () => undefined, debug: () => undefined, warn: () => undefined } as unknown as FastifyBaseLogger;

describe('prepareDatabase', () => {
  test('creates and migrates a new database without loading the schema engine in this thread', async (t) => {
    const name = uniqueTestDatabaseName();
    t.after(() => dropTestDatabase(name));
    const databaseUrl = testDatabaseUrl(name);

    await prepareDatabase({ databaseUrl } as Config, quietLog);

    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ table: string | null }>(`SELECT to_regclass('webhook_events')::text AS table`);
      assert.equal(rows[0]!.table, 'webhook_events', 'the schema is in place');
    } finally {
      await client.end();
    }
    assert.equal(schemaEngineLoaded(), false, 'the engine ran in the thread, not here');
  });
});

describe('applyMigrationsInThread', () => {
  test('rejects with the reason when the thread cannot apply them', async () => {
    // Nothing listens on port 1: the thread's connection is refused.
    await assert.rejects(applyMigrationsInThread('postgresql://postgres@127.0.0.1:1/nowhere'), /ECONNREFUSED/);
    assert.equal(schemaEngineLoaded(), false);
  });
});
