// Each kind of incident end to end, against a real SMTP server and a real webhook receiver, with
// a clock the test moves: opened and told once, reminded at most once a day, resolved with a
// message; changes that fail in a burst make one digest; a restarted worker sends nothing again.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEFAULT_STORE_ID } from '../../src/db/stores.ts';
import { startAlertHarness, type AlertHarness } from '../support/alerts.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('alert incidents', () => {
  let h: AlertHarness;
  before(async () => {
    h = await startAlertHarness();
  });
  after(() => h.close());
  beforeEach(async () => {
    const { db } = h.bridge.services;
    await h.reset();
    await db.webhookEvent.deleteMany();
    await db.backfillRun.deleteMany();
    await db.webhookCheck.deleteMany();
    await db.zohoConnection.update({ where: { id: 1 }, data: { state: 'connected', stateReason: null } });
    const { redis } = h.bridge.services;
    for (const pattern of ['zoho', 'alerts']) {
      const keys = await redis.keys(`${h.bridge.config.redisPrefix}:${pattern}:*`);
      if (keys.length > 0) await redis.del(...keys);
    }
  });

  /** Events as the sync leaves them, at a time on the test's clock. */
  async function storeEvents(count: number, options: { status: string; at: Date; reason?: string }): Promise<void> {
    await h.bridge.services.pool.query(
      `INSERT INTO webhook_events (store_id, topic, resource, body_sha256, body, headers, status, status_reason, received_at, processed_at)
       SELECT $1, 'customer.updated', 'customer', md5(random()::text || n), '\\x7b7d', '{}', $2::event_status, $3,
              $4::timestamptz AT TIME ZONE 'utc', CASE WHEN $2 = 'failed' THEN $4::timestamptz AT TIME ZONE 'utc' END
         FROM generate_series(1, $5) AS n`,
      [DEFAULT_STORE_ID, options.status, options.reason ?? null, options.at.toISOString(), count],
    );
  }

  /** Rounds as the worker runs them each minute, over `ms` of the test's clock. */
  async function roundsOver(ms: number, every = 30 * MINUTE): Promise<void> {
    for (let elapsed = 0; elapsed < ms; elapsed += every) {
      h.clock.advance(Math.min(every, ms - elapsed));
      await h.round();
    }
  }

  it('Zoho needs reconnecting: opened with the waiting changes, told once, reminded daily, resolved', async () => {
    const { db } = h.bridge.services;
    await storeEvents(3, { status: 'waiting', at: h.clock.now });
    await db.zohoConnection.update({ where: { id: 1 }, data: { state: 'needs_reconnect', stateReason: 'Zoho refused the refresh token.' } });

    await h.round();
    assert.deepEqual(h.sent(), ['Zoho Campaigns needs reconnecting']);
    const mail = h.smtp.mails.at(-1)!;
    assert.deepEqual(mail.to, ['owner@example.com', 'helper@example.com']);
    assert.match(mail.text, /3 changes are waiting/);
    assert.match(mail.text, /What to do: Open the dashboard and choose "Reconnect Zoho Campaigns"/);
    assert.ok(mail.text.includes(`${h.bridge.config.publicUrl}/admin#zoho`), 'links to the reconnect button');

    await roundsOver(23 * HOUR);
    assert.deepEqual(h.sent(), [], 'told once, no reminder within the day');
    await roundsOver(2 * HOUR);
    assert.deepEqual(h.sent(), ['Still open: Zoho Campaigns needs reconnecting'], 'one reminder after a day');
    await roundsOver(3 * HOUR);
    assert.deepEqual(h.sent(), []);

    await db.zohoConnection.update({ where: { id: 1 }, data: { state: 'connected', stateReason: null } });
    await h.round();
    assert.deepEqual(h.sent(), ['Resolved: Zoho Campaigns is connected again']);
    await roundsOver(26 * HOUR, 6 * HOUR);
    assert.deepEqual(h.sent(), []);
  });

  it('a WooCommerce webhook disabled: names the store and topic, reminded, resolved when active again', async () => {
    const { webhookChecks } = h.bridge.services.repositories;
    await webhookChecks.record({
      storeId: DEFAULT_STORE_ID,
      ok: false,
      message: 'WooCommerce disabled the Customer updated webhook after failed deliveries.',
      webhooks: [{ topic: 'customer.updated', state: 'disabled', webhookId: 12, deliveryUrl: 'x', duplicateIds: [] }],
    });
    await h.round();
    await h.round();
    assert.deepEqual(h.sent(), ['WooCommerce webhooks of shop.example.com need attention']);
    assert.match(h.receiver.hooks.at(-1)!.body.text, /Topics concerned: customer\.updated \(disabled\)/);
    await roundsOver(25 * HOUR, 5 * HOUR);
    assert.deepEqual(h.sent(), ['Still open: WooCommerce webhooks of shop.example.com need attention']);
    await webhookChecks.record({ storeId: DEFAULT_STORE_ID, ok: true, message: 'All webhooks are active.', webhooks: [] });
    await h.round();
    assert.deepEqual(h.sent(), ['Resolved: WooCommerce webhooks of shop.example.com are active again']);
  });

  it('a store gone quiet: judged from its own week, reminded, resolved by the next delivery', async () => {
    const start = h.clock.now.getTime();
    // Deliveries every 3 hours for a week, the last one 20 hours ago.
    for (let at = start - 8 * 24 * HOUR; at <= start - 20 * HOUR; at += 3 * HOUR) await storeEvents(1, { status: 'synced', at: new Date(at) });
    await h.round();
    assert.deepEqual(h.sent(), [], '20 hours of silence is not yet unusual');
    await roundsOver(5 * HOUR, HOUR);
    assert.deepEqual(h.sent(), ['shop.example.com has gone quiet'], 'more than 24 hours is, for a store busy every day');
    assert.match(
      h.smtp.mails.at(-1)!.text,
      /No delivery has arrived from shop.example.com for 2[45] hours, although it sent changes on [67] of the 7 days before, and its longest pause then was 3 hours\./,
    );
    await roundsOver(25 * HOUR, 5 * HOUR);
    assert.deepEqual(h.sent(), ['Still open: shop.example.com has gone quiet']);
    await storeEvents(1, { status: 'synced', at: h.clock.now });
    await h.round();
    assert.deepEqual(h.sent(), ['Resolved: shop.example.com is sending deliveries again']);
  });

  it('50 changes failing in a burst make one message, then at most one digest an hour, resolved a day later', async () => {
    await storeEvents(30, { status: 'failed', at: h.clock.now, reason: 'Zoho says zoe@example is not valid (2004).' });
    await storeEvents(20, { status: 'failed', at: h.clock.now, reason: 'The list key is wrong (2501).' });
    await h.round();
    await h.round();
    assert.deepEqual(h.sent(), ['50 changes failed to reach Zoho'], 'one message for the burst');
    const text = h.receiver.hooks.at(-1)!.body.text;
    assert.match(text, /Most common reasons: Zoho says an address is not valid \(2004\)\. \(30\); The list key is wrong \(2501\)\. \(20\)/);
    assert.doesNotMatch(text, /zoe@example/, 'no customer address in an alert');
    assert.ok(text.includes(`${h.bridge.config.publicUrl}/admin/events?status=failed`), 'links to the failed changes in the sync log');

    h.clock.advance(10 * MINUTE);
    await storeEvents(10, { status: 'failed', at: h.clock.now, reason: 'Zoho says zoe@example is not valid (2004).' });
    await roundsOver(40 * MINUTE, MINUTE * 10);
    assert.deepEqual(h.sent(), [], 'no second message within the hour');
    await roundsOver(15 * MINUTE, 5 * MINUTE);
    assert.deepEqual(h.sent(), ['Update: 60 changes failed to reach Zoho'], 'one digest of what came since');
    await roundsOver(3 * HOUR);
    assert.deepEqual(h.sent(), [], 'no digest without new failures');
    await roundsOver(22 * HOUR, 2 * HOUR);
    assert.deepEqual(h.sent(), ['Resolved: No more changes failed in the last 24 hours']);
  });

  it('a Zoho endpoint locked out, or its daily allowance used up: says when it resumes, reminded, resolved', async () => {
    const { quota } = h.bridge.services.zoho;
    const { redis } = h.bridge.services;
    const prefix = h.bridge.config.redisPrefix;
    await quota.lockOut('listunsubscribe', 48 * HOUR);
    await h.round();
    assert.deepEqual(h.sent(), ["Zoho paused the bridge's listunsubscribe calls"]);
    assert.match(h.smtp.mails.at(-1)!.text, /sent automatically when it resumes, around .* UTC/);
    await roundsOver(25 * HOUR, 5 * HOUR);
    assert.deepEqual(h.sent(), ["Still open: Zoho paused the bridge's listunsubscribe calls"]);
    await redis.del(`${prefix}:zoho:locked-out:listunsubscribe`);
    await h.round();
    assert.deepEqual(h.sent(), ["Resolved: The bridge's listunsubscribe calls to Zoho resumed"]);

    // The daily allowance of listsubscribe (75,000 a day) used up.
    const day = `${prefix}:zoho:quota:listsubscribe:${24 * HOUR}`;
    const now = Date.now();
    for (let first = 0; first < 75_000; first += 5_000) {
      const members = Array.from({ length: 5_000 }, (_, index) => [String(now - 60_000 + ((first + index) % 1000)), `call-${first + index}`]).flat();
      await redis.zadd(day, ...members);
    }
    await h.round();
    assert.deepEqual(h.sent(), ["Zoho paused the bridge's listsubscribe calls"]);
    assert.match(h.smtp.mails.at(-1)!.text, /The daily allowance of listsubscribe calls \(75,000 a day\) is used up/);
    await redis.del(day);
    await h.round();
    assert.deepEqual(h.sent(), ["Resolved: The bridge's listsubscribe calls to Zoho resumed"]);
  });

  it('the receiver refusing deliveries (503): opened while refusals continue, reminded, resolved after 10 quiet minutes', async () => {
    const refused = async () => {
      h.alerts.refusals.record();
      await waitUntil(async () => (await h.alerts.refusals.read())?.lastAt.getTime() === h.clock.now.getTime());
    };
    await refused();
    await h.round();
    assert.deepEqual(h.sent(), ['The bridge cannot store deliveries']);
    assert.match(h.smtp.mails.at(-1)!.text, /answered 1 delivery with an error/);
    for (let hour = 0; hour < 25; hour += 1) {
      h.clock.advance(HOUR);
      await refused();
      await h.round();
    }
    assert.deepEqual(h.sent(), ['Still open: The bridge cannot store deliveries']);
    await roundsOver(11 * MINUTE, MINUTE);
    assert.deepEqual(h.sent(), ['Resolved: The bridge can store deliveries again']);
  });

  it('a backfill stopped with an error, then finished: opened, reminded, resolved, and the finish told once', async () => {
    const { backfillRuns } = h.bridge.services.repositories;
    const run = await backfillRuns.start(DEFAULT_STORE_ID, 'customers');
    await backfillRuns.completePage(run.id, { pagesDone: 3, totalPages: 9, itemsQueued: 300 });
    await backfillRuns.interrupt(run.id, 'WooCommerce answered 401: the REST API key was revoked');
    await h.round();
    await h.round();
    assert.deepEqual(h.sent(), ['The customers import of shop.example.com stopped with an error']);
    assert.match(h.smtp.mails.at(-1)!.text, /stopped after 3 pages: WooCommerce answered 401/);
    await roundsOver(25 * HOUR, 5 * HOUR);
    assert.deepEqual(h.sent(), ['Still open: The customers import of shop.example.com stopped with an error']);

    await backfillRuns.markRunning(run.id);
    await backfillRuns.completePage(run.id, { pagesDone: 9, totalPages: 9, itemsQueued: 900 });
    await backfillRuns.finish(run.id);
    await h.round();
    assert.deepEqual(h.sent().sort(), [
      'Resolved: The customers import of shop.example.com is no longer stopped',
      'The customers import of shop.example.com finished',
    ]);
    await roundsOver(2 * HOUR);
    assert.deepEqual(h.sent(), [], 'a finished backfill is told once');
  });

  it('a restarted worker, or two workers at once, send nothing again; a failed send is retried later on that channel only', async () => {
    const { db } = h.bridge.services;
    await db.zohoConnection.update({ where: { id: 1 }, data: { state: 'needs_reconnect', stateReason: 'revoked' } });
    h.receiver.failWith(500, 'internal error');
    const mailsBefore = h.smtp.mails.length;
    const hooksBefore = h.receiver.hooks.length;
    const first = h.alerts;
    h.restart();
    await Promise.all([first.evaluate.run(), h.alerts.evaluate.run()]);
    await Promise.all([first.send.run(), h.alerts.send.run()]);
    assert.equal(
      h.smtp.mails.slice(mailsBefore).filter((mail) => mail.subject === 'Zoho Campaigns needs reconnecting').length,
      1,
      'two workers at once: one email',
    );
    const message = await db.alertMessage.findFirstOrThrow();
    assert.deepEqual(message.deliveredTo, ['email']);
    assert.equal(message.lastError, 'webhook: The webhook address answered HTTP 500: "internal error".');

    h.restart();
    h.receiver.failWith(undefined);
    await h.round();
    assert.equal(h.receiver.hooks.length, hooksBefore, 'not retried before its backoff');
    h.clock.advance(MINUTE + 1);
    h.restart();
    await h.round();
    assert.deepEqual(
      h.receiver.hooks.slice(hooksBefore).map((hook) => hook.body.alert.title),
      ['Zoho Campaigns needs reconnecting'],
      'the webhook got it on the retry',
    );
    assert.equal(h.smtp.mails.length, mailsBefore + 1, 'and the email was not sent twice');
    h.sent();
    h.restart();
    await roundsOver(2 * HOUR);
    assert.deepEqual(h.sent(), []);
    assert.equal(await db.alertIncident.count(), 1);
  });
});

async function waitUntil(probe: () => Promise<boolean>): Promise<void> {
  for (let tries = 0; tries < 200 && !(await probe()); tries++) await new Promise((resolve) => setTimeout(resolve, 10));
}
