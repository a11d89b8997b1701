// Group commit of incoming deliveries, on a real Postgres: concurrent deliveries share one
// INSERT, yet each caller gets exactly what the one-row statement would have given it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { EventBatchWriter } from '../../src/db/event-batch-writer.ts';
import type { NewEvent } from '../../src/db/new-event.ts';
import { createTestDatabase, type TestDatabase } from '../../tools/support/database.ts';

function event(body: string, storeId = 'default'): NewEvent {
  return {
    storeId,
    topic: 'customer.updated',
    resource: 'customer',
    resourceId: '42',
    contactKey: '42',
    webhookId: '7',
    deliveryId: undefined,
    bodySha256: createHash('sha256').update(body).digest('hex'),
    body: Buffer.from(body),
    headers: { 'x-wc-webhook-topic': 'customer.updated' },
    modifiedAt: new Date('2025-03-14T09:21:08Z'),
    status: 'received',
    statusReason: undefined,
  };
}

describe('EventBatchWriter', () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  /** Rows per statement the writer sent, in order. */
  let statements: number[];
  /** The names it sent them under (pg prepares a named statement once per connection). */
  let names: Array<string | undefined>;
  let writer: EventBatchWriter;

  before(async () => {
    database = await createTestDatabase();
    await database.prisma.store.create({ data: { id: 'default', name: 'Shop', url: 'https://shop.example.com' } });
    pool = new pg.Pool({ connectionString: database.url, max: 2 });
    statements = [];
    names = [];
    writer = new EventBatchWriter({
      query: (statement) => {
        statements.push(statement.values.length / 13);
        names.push(statement.name);
        return pool.query(statement);
      },
    });
  });
  after(async () => {
    await pool.end();
    await database.drop();
  });

  const stored = () => database.prisma.webhookEvent.findMany({ orderBy: { id: 'asc' } });

  it('stores concurrent deliveries in a few prepared statements, each with its own id', async () => {
    statements = [];
    names = [];
    const bodies = Array.from({ length: 50 }, (_, index) => `{"id":${index},"batch":"a"}`);
    const results = await Promise.all(bodies.map((body) => writer.insertOrCountRedelivery(event(body))));
    assert.deepEqual(statements, [32, 16, 2], 'fifty in batches of powers of two, one after another');
    assert.deepEqual(names, ['wzb_store_deliveries_32', 'wzb_store_deliveries_16', 'wzb_store_deliveries_2']);
    assert.equal(new Set(results.map((result) => result.id)).size, 50);
    assert.ok(results.every((result) => result.inserted && result.status === 'received'));
    const rows = await stored();
    for (const [index, result] of results.entries()) {
      const row = rows.find((candidate) => candidate.id === result.id);
      assert.deepEqual(Buffer.from(row!.body), Buffer.from(bodies[index]!), 'each caller got the id of its own bytes');
      assert.deepEqual(row!.headers, { 'x-wc-webhook-topic': 'customer.updated' });
      // Stored as UTC, as Prisma stores and reads it, whatever the process's time zone.
      assert.equal(row!.modifiedAt?.toISOString(), '2025-03-14T09:21:08.000Z');
    }
  });

  it('counts identical bytes in one batch, and later, as redeliveries of one row', async () => {
    const body = '{"id":7,"batch":"b"}';
    const [first, second, third] = await Promise.all([0, 1, 2].map(() => writer.insertOrCountRedelivery(event(body))));
    assert.equal(first!.inserted, true);
    assert.deepEqual([second!.inserted, third!.inserted], [false, false]);
    assert.equal(second!.id, first!.id);
    assert.equal(third!.id, first!.id);
    const later = await writer.insertOrCountRedelivery(event(body));
    assert.deepEqual(later, { id: first!.id, status: 'received', inserted: false });
    const row = await database.prisma.webhookEvent.findUniqueOrThrow({ where: { id: first!.id } });
    assert.equal(row.redeliveries, 3);
  });

  it('fails only the delivery Postgres refuses, not the rest of its batch', async () => {
    const good = ['{"id":1,"batch":"c"}', '{"id":2,"batch":"c"}'];
    const outcomes = await Promise.allSettled([
      writer.insertOrCountRedelivery(event(good[0]!)),
      writer.insertOrCountRedelivery(event('{"id":3,"batch":"c"}', 'no-such-store')),
      writer.insertOrCountRedelivery(event(good[1]!)),
    ]);
    assert.equal(outcomes[0]!.status, 'fulfilled');
    assert.equal(outcomes[1]!.status, 'rejected');
    assert.equal(outcomes[2]!.status, 'fulfilled');
    const bodies = (await stored()).map((row) => Buffer.from(row.body).toString());
    assert.ok(good.every((body) => bodies.includes(body)));
  });

  it('sends a batch that repeats left at an odd size unnamed, so it is not kept prepared', async () => {
    statements = [];
    names = [];
    const bodies = ['{"id":1,"batch":"e"}', '{"id":1,"batch":"e"}', '{"id":2,"batch":"e"}', '{"id":3,"batch":"e"}'];
    const results = await Promise.all(bodies.map((body) => writer.insertOrCountRedelivery(event(body))));
    assert.deepEqual(statements, [3, 1], 'three distinct bodies, then the repeat on its own');
    assert.deepEqual(names, [undefined, 'wzb_store_deliveries_1']);
    assert.deepEqual(
      results.map((result) => result.inserted),
      [true, false, true, true],
    );
  });

  it('compresses large bodies with lz4, and reads them back byte for byte', async () => {
    const body = JSON.stringify({ id: 11, batch: 'f', meta_data: Array.from({ length: 100 }, (_, key) => ({ key: `field_${key}`, value: 'Ünïcode value' })) });
    assert.ok(body.length > 3_000, 'large enough for Postgres to compress');
    const result = await writer.insertOrCountRedelivery(event(body));
    const [row] = await database.prisma.$queryRaw<Array<{ compression: string | null; body: Uint8Array }>>`
      SELECT pg_column_compression(body) AS compression, body FROM webhook_events WHERE id = ${result.id}`;
    assert.equal(row!.compression, 'lz4');
    assert.equal(Buffer.from(row!.body).toString(), body);
  });

  it('writes a lone delivery at once, with the one-row statement', async () => {
    statements = [];
    const result = await writer.insertOrCountRedelivery(event('{"id":9,"batch":"d"}'));
    assert.equal(result.inserted, true);
    assert.equal(typeof result.id, 'bigint');
    assert.deepEqual(statements, [1]);
  });
});
