// Retention (docs/security.md, "Retention"), on real Postgres with backdated rows: settled events
// past their time go, unsettled and failed ones stay whatever their age; the sync log and refusals
// go after their own times; a deleted customer's snapshot is emptied. Run by the daily scheduler.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { pruneExpiredData } from '../../src/use-cases/retention.ts';
import type { EventStatus } from '../../src/db/generated/client.ts';
import { createMaintenanceQueue, RETENTION_EVERY_MS, RETENTION_JOB } from '../../src/queue/maintenance-queue.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { textOf } from '../support/browser.ts';
import { signedInBrowser } from '../support/owner.ts';

const DAY = 24 * 3600_000;
const daysAgo = (days: number) => new Date(Date.now() - days * DAY);

describe('retention', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false, env: { RETAIN_DELIVERIES_DAYS: '60', RETAIN_SYNC_LOG_DAYS: '400', RETAIN_REFUSALS_DAYS: '14' } });
  });
  after(() => bridge.close());

  async function event(name: string, status: EventStatus, receivedDaysAgo: number, processedDaysAgo?: number) {
    return bridge.services.db.webhookEvent.create({
      data: {
        storeId: 'default',
        topic: 'customer.updated',
        resource: 'customer',
        resourceId: name,
        contactKey: name,
        bodySha256: name,
        body: new Uint8Array(Buffer.from(`{"email":"${name}@example.com"}`)),
        headers: {},
        status,
        receivedAt: daysAgo(receivedDaysAgo),
        processedAt: processedDaysAgo === undefined ? null : daysAgo(processedDaysAgo),
      },
    });
  }

  it('deletes what is past its time, in batches, and never an unsettled or failed event', async () => {
    const db = bridge.services.db;
    const expired = [
      await event('synced-old', 'synced', 100, 99),
      await event('skipped-old', 'skipped', 95),
      await event('coalesced-old', 'coalesced', 120, 119),
    ];
    const kept = [
      await event('failed-old', 'failed', 200, 199),
      await event('received-old', 'received', 200),
      await event('queued-old', 'queued', 200),
      await event('waiting-old', 'waiting', 200),
      await event('synced-recent', 'synced', 10, 10),
      await event('settled-late', 'synced', 100, 20),
    ];
    const attempt = (email: string, eventId: bigint | null, madeDaysAgo: number) =>
      db.syncAttempt.create({
        data: {
          storeId: 'default',
          eventId,
          email,
          action: 'subscribe',
          listKey: 'l',
          contactInfo: {},
          attempt: 1,
          outcome: 'done',
          durationMs: 5,
          createdAt: daysAgo(madeDaysAgo),
        },
      });
    const oldAttempt = await attempt('a@example.com', null, 400);
    const keptAttempt = await attempt('b@example.com', expired[0]!.id, 99);
    const refusal = (daysOld: number) =>
      db.rejectedDelivery.create({ data: { reason: 'bad_signature', detail: 'x', httpStatus: 401, bodySize: 1, receivedAt: daysAgo(daysOld) } });
    const oldRefusal = await refusal(31);
    const newRefusal = await refusal(29);
    const contact = (key: string, deletedDaysAgo: number | null) =>
      db.contact.create({
        data: {
          storeId: 'default',
          customerKey: key,
          email: `${key}@example.com`,
          snapshot: { first_name: 'Ana' },
          deletedAt: deletedDaysAgo === null ? null : daysAgo(deletedDaysAgo),
        },
      });
    const goneLongAgo = await contact('gone-long-ago', 100);
    const goneRecently = await contact('gone-recently', 10);
    const active = await contact('active', null);
    await db.contact.update({ where: { id: active.id }, data: { updatedAt: daysAgo(300) } });

    const report = await pruneExpiredData({
      ...bridge.services.repositories,
      policy: { deliveriesDays: 90, syncLogDays: 365, refusalsDays: 30 },
      log: pino({ level: 'silent' }) as unknown as FastifyBaseLogger,
      batchSize: 2,
      pauseMs: 0,
    });

    assert.deepEqual(report, { events: 3, snapshots: 1, syncLogEntries: 1, refusals: 1 });
    const left = await db.webhookEvent.findMany({ select: { id: true } });
    assert.deepEqual(left.map((row) => row.id).sort(), kept.map((row) => row.id).sort());
    assert.equal(await db.syncAttempt.findUnique({ where: { id: oldAttempt.id } }), null);
    const stillLogged = await db.syncAttempt.findUniqueOrThrow({ where: { id: keptAttempt.id } });
    assert.equal(stillLogged.eventId, null, 'the log entry outlives its event');
    assert.equal(await db.rejectedDelivery.findUnique({ where: { id: oldRefusal.id } }), null);
    assert.ok(await db.rejectedDelivery.findUnique({ where: { id: newRefusal.id } }));
    assert.deepEqual((await db.contact.findUniqueOrThrow({ where: { id: goneLongAgo.id } })).snapshot, {});
    assert.deepEqual((await db.contact.findUniqueOrThrow({ where: { id: goneRecently.id } })).snapshot, { first_name: 'Ana' });
    assert.deepEqual((await db.contact.findUniqueOrThrow({ where: { id: active.id } })).snapshot, { first_name: 'Ana' });
  });

  it('is scheduled daily on the maintenance queue', async () => {
    await bridge.startWorkers();
    const queue = createMaintenanceQueue(bridge.services.redis, bridge.config.redisPrefix);
    try {
      const schedulers = await queue.getJobSchedulers();
      const retention = schedulers.find((scheduler) => scheduler.key === RETENTION_JOB);
      assert.equal(Number(retention?.every), RETENTION_EVERY_MS);
      assert.equal(RETENTION_EVERY_MS, DAY);
    } finally {
      await queue.close();
    }
  });

  it('shows the retention times on the Settings page', async () => {
    const browser = await signedInBrowser(bridge);
    const text = textOf((await browser.get('/admin/settings')).body);
    assert.match(text, /How long the bridge keeps personal data/);
    assert.match(text, /Deliveries from WooCommerce, with names and addresses 60 days after they were sent to Zoho/);
    assert.match(text, /The sync log \(every change sent to Zoho\) 400 days/);
    assert.match(text, /Refused deliveries 14 days/);
  });
});
