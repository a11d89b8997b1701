// A server and a worker started together on a new database (docker compose up) both make the
// configuration true at once: the first store, the Zoho seed, the owner password. Neither may fail.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { createServices, type Services } from '../../src/services.ts';
import { applyConfiguration } from '../../src/startup.ts';
import { createTestDatabase, type TestDatabase } from '../../tools/support/database.ts';
import { TEST_SECRET } from '../support/woocommerce.ts';

describe('configuration applied by processes starting together', () => {
  let database: TestDatabase;
  const processes: Services[] = [];
  before(async () => {
    database = await createTestDatabase();
    const config = loadConfig({
      DATABASE_URL: database.url,
      ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      WC_WEBHOOK_SECRET: TEST_SECRET,
      WC_STORE_URL: 'https://shop.example.com',
      ADMIN_PASSWORD: 'correct horse battery',
      LOG_LEVEL: 'silent',
    });
    const log = pino({ level: 'silent' }) as unknown as FastifyBaseLogger;
    for (let n = 0; n < 4; n++) processes.push(createServices(config, config.encryptionKey!, log));
  });
  after(async () => {
    await Promise.all(processes.map((services) => services.close()));
    await database.drop();
  });

  it('lets every one of them start, with one first store', async () => {
    // Connected already, so that all of them look for the first store at the same moment.
    await Promise.all(processes.map((services) => services.db.$queryRaw`SELECT 1`));
    const outcomes = await Promise.allSettled(processes.map((services) => applyConfiguration(services)));
    assert.deepEqual(
      outcomes.map((outcome) => (outcome.status === 'rejected' ? String(outcome.reason) : 'started')),
      ['started', 'started', 'started', 'started'],
    );
    const stores = await database.prisma.store.findMany();
    assert.equal(stores.length, 1);
    assert.equal(stores[0]!.url, 'https://shop.example.com');
  });
});
