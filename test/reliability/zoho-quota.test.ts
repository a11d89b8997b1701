// Drill 6: Zoho's call limits, kept across all workers on all machines. Zoho's real limits are per
// minute, hour and day; the drill runs the same code on small ones (the simulator's `limits` and
// the bridge's ZOHO_QUOTA_LIMITS), with two worker processes sharing the quota through Redis:
// Zoho never sees a call over the limit, and work over quota waits (no attempt spent), then
// completes. A suspected lock-out pauses only that endpoint, for its lock period, and says so.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '../../src/config.ts';
import { createRedis } from '../../src/redis/connection.ts';
import { ARRIVAL_MARGIN_MS, quotasWith, ZohoQuota, ZOHO_QUOTAS } from '../../src/zoho/quota.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { spawnBridge, type BridgeProcess } from '../support/bridge-process.ts';
import { busiestWindow, customer, CUSTOMERS_LIST, sendAll, waitUntilInZoho, waitUntilSettled } from '../support/drills.ts';
import { sendDelivery } from '../support/woocommerce.ts';

const MINUTE = 60_000;

const deletion = (id: number) => ({ topic: 'customer.deleted', body: JSON.stringify({ id }) });

// The parts are independent (each its own bridge and simulator) and mostly wait for windows and
// lock periods to pass, so they run side by side.
describe('drill: Zoho quotas', { concurrency: true }, () => {
  it("keeps Zoho's documented limits: listsubscribe 500/min, 12,500/h, 75,000/day; listunsubscribe 500/5 min; 30 min locks", () => {
    assert.deepEqual(ZOHO_QUOTAS.listsubscribe.windows, [
      { limit: 500, windowMs: MINUTE },
      { limit: 12_500, windowMs: 60 * MINUTE },
      { limit: 75_000, windowMs: 24 * 60 * MINUTE },
    ]);
    assert.deepEqual(ZOHO_QUOTAS.listunsubscribe.windows, [{ limit: 500, windowMs: 5 * MINUTE }]);
    assert.equal(ZOHO_QUOTAS.listsubscribe.lockMs, 30 * MINUTE);
    assert.equal(ZOHO_QUOTAS.listunsubscribe.lockMs, 30 * MINUTE);
  });

  it('reads the limits a test or an operator sets in ZOHO_QUOTA_LIMITS, and refuses a wrong value with a reason', () => {
    const config = loadConfig({ ZOHO_QUOTA_LIMITS: '{"listsubscribe":{"windows":[{"limit":250,"windowMs":60000}]}}' });
    const quotas = quotasWith(config.zoho.quotaLimits);
    assert.deepEqual(quotas.listsubscribe, { windows: [{ limit: 250, windowMs: 60_000 }], lockMs: 30 * MINUTE });
    assert.deepEqual(quotas.listunsubscribe, ZOHO_QUOTAS.listunsubscribe, "endpoints not named keep Zoho's limits");
    assert.throws(
      () => loadConfig({ ZOHO_QUOTA_LIMITS: 'listsubscribe=250' }),
      (error: Error) => error instanceof ConfigError && /must be JSON/.test(error.message),
    );
    assert.throws(() => loadConfig({ ZOHO_QUOTA_LIMITS: '{"listsubscrib":{"windows":[{"limit":1,"windowMs":1000}]}}' }), ConfigError);
    assert.throws(() => loadConfig({ ZOHO_QUOTA_LIMITS: '{"listsubscribe":{"windows":[]}}' }), ConfigError);
  });

  describe('every window at once, exact at the edges (a clock the test moves)', () => {
    // A connection that queues commands until it is up ('worker'), unlike the web process's.
    const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
    const prefix = `wzb-test-${randomBytes(6).toString('hex')}`;
    after(async () => {
      try {
        const keys = await redis.keys(`${prefix}:*`);
        if (keys.length > 0) await redis.del(...keys);
      } finally {
        redis.disconnect();
      }
    });

    it('grants up to each limit, then says how long to wait, for the shortest and the longest window', async () => {
      let now = 1_000_000;
      const windows = [
        { limit: 3, windowMs: 1_000 }, // "per minute"
        { limit: 5, windowMs: 60_000 }, // "per day"
      ];
      const quota = new ZohoQuota(redis, prefix, { ...ZOHO_QUOTAS, listsubscribe: { windows, lockMs: 5_000 } }, () => now);
      for (let n = 0; n < 3; n++) assert.deepEqual(await quota.take('listsubscribe'), { granted: true });
      const full = await quota.take('listsubscribe');
      assert.equal(full.granted, false);
      assert.equal(!full.granted && full.waitMs, 1_000 + ARRIVAL_MARGIN_MS, 'the short window frees up one window (and the margin) after the first call');
      now += 1_000 + ARRIVAL_MARGIN_MS;
      for (let n = 0; n < 2; n++) assert.deepEqual(await quota.take('listsubscribe'), { granted: true });
      const daily = await quota.take('listsubscribe');
      assert.equal(
        !daily.granted && daily.waitMs,
        60_000 + ARRIVAL_MARGIN_MS - (1_000 + ARRIVAL_MARGIN_MS),
        'then the long window holds until its oldest call leaves',
      );
      assert.equal(!daily.granted && daily.lockedOut, false);

      const until = await quota.lockOut('listsubscribe');
      assert.equal(until.getTime(), now + 5_000, "a lock-out lasts the endpoint's lock period");
      const locked = await quota.take('listsubscribe');
      assert.equal(!locked.granted && locked.lockedOut, true);
    });
  });

  describe('two worker processes sharing one quota', () => {
    let bridge: TestBridge;
    const workers: BridgeProcess[] = [];
    const limits = {
      listsubscribe: { windows: [{ limit: 5, windowMs: 2_000 }], lockMs: MINUTE },
      listunsubscribe: { windows: [{ limit: 3, windowMs: 2_000 }], lockMs: MINUTE },
    };
    before(async () => {
      bridge = await startBridge({
        workers: false,
        // Zoho and the bridge agree on the (small) limits; a single call over them locks Zoho for a minute.
        simulator: { limits },
        env: { ZOHO_QUOTA_LIMITS: JSON.stringify(limits), WORKER_CONCURRENCY: '4' },
      });
      const started = await Promise.allSettled([spawnBridge('worker', bridge.env), spawnBridge('worker', bridge.env)]);
      for (const result of started) if (result.status === 'fulfilled') workers.push(result.value);
      for (const result of started) if (result.status === 'rejected') throw result.reason;
    });
    after(async () => {
      await Promise.all(workers.map((worker) => worker.stop()));
      await bridge.close();
    });

    it('never exceeds listsubscribe or listunsubscribe limits; work over quota waits, then completes', async () => {
      const people = Array.from({ length: 12 }, (_, n) => customer('quota', n));
      await sendAll(bridge.webhookUrl, people);
      await waitUntilInZoho(bridge, people, 40_000);

      const leaving = people.slice(0, 5);
      for (const person of leaving) assert.equal((await sendDelivery(bridge.webhookUrl, deletion(person.id))).status, 200);
      await waitFor(
        'the leavers unsubscribed in Zoho',
        async () => leaving.every((person) => bridge.sim.contacts(CUSTOMERS_LIST).get(person.email)?.status === 'unsubscribed'),
        30_000,
      );
      const counts = await waitUntilSettled(bridge);
      assert.deepEqual(counts, { synced: people.length + leaving.length });

      assert.deepEqual(bridge.sim.stats.rateLimitViolations, {}, 'Zoho refused no call');
      assert.deepEqual(bridge.sim.stats.lockouts, {});
      assert.equal(busiestWindow(bridge.sim.callsTo('listsubscribe'), 2_000), 5);
      assert.ok(busiestWindow(bridge.sim.callsTo('listunsubscribe'), 2_000) <= 3);

      // Waiting spent no attempt: one call per event, each made by the job's first attempt.
      const log = await bridge.services.db.syncAttempt.findMany();
      assert.equal(log.length, people.length + leaving.length);
      assert.ok(
        log.every((row) => row.outcome === 'done' && row.attempt === 1),
        JSON.stringify(log.map((row) => [row.outcome, row.attempt])),
      );

      // Both processes did part of the work, and work waited for the quota.
      for (const worker of workers) {
        assert.ok(
          worker.logs.some((line) => /^(subscribed|unsubscribed) /.test(line.msg)),
          `worker ${worker.pid} synced something`,
        );
      }
      const waits = workers.flatMap((worker) => worker.logs.filter((line) => line.kind === 'quota'));
      assert.ok(waits.length > 0, 'some work waited for the quota');
      assert.ok(
        waits.every((line) => line.level === 30),
        'pacing to the quota is logged as information, not as a warning',
      );
      assert.match(waits[0]!.msg, /limit is reached; waiting until \d{4}-\d\d-\d\dT/);
    });
  });

  describe('a lock-out Zoho reports', () => {
    const LOCK_MS = 6_000;
    let bridge: TestBridge;
    before(async () => {
      bridge = await startBridge({
        captureLogs: true,
        // This Zoho account allows fewer calls than the bridge was told (another integration
        // shares it, say): Zoho locks listsubscribe for 6 s at the 4th call within 5 s.
        simulator: { limits: { listsubscribe: { windows: [{ limit: 3, windowMs: 5_000 }], lockMs: LOCK_MS } } },
        env: {
          ZOHO_QUOTA_LIMITS: JSON.stringify({ listsubscribe: { windows: [{ limit: 100, windowMs: MINUTE }], lockMs: LOCK_MS } }),
          // One job at a time, so the lock-out is met by exactly one call.
          WORKER_CONCURRENCY: '1',
        },
      });
    });
    after(() => bridge.close());

    it('pauses only listsubscribe for its lock period, says until when, and then completes everything', async () => {
      const people = Array.from({ length: 6 }, (_, n) => customer('lockout', n));
      await sendAll(bridge.webhookUrl, people, 1);
      const refused = await waitFor('Zoho to lock listsubscribe out', async () =>
        bridge.sim.callsTo('listsubscribe').find((call) => call.response?.body.includes('"2008"')),
      );
      // While paused: the events say until when, and an unsubscribe (another endpoint) still goes through.
      const waiting = await waitFor('an event waiting for the pause', async () => bridge.services.db.webhookEvent.findFirst({ where: { status: 'waiting' } }));
      assert.match(waiting.statusReason ?? '', /listsubscribe is paused (on every worker )?until \d{4}-\d\d-\d\dT[\d:.]+Z/);
      const first = people[0]!;
      assert.equal((await sendDelivery(bridge.webhookUrl, deletion(first.id))).status, 200);
      await waitFor('the unsubscribe during the pause', async () => bridge.sim.contacts(CUSTOMERS_LIST).get(first.email)?.status === 'unsubscribed');
      const unsubscribedAt = bridge.sim.callsTo('listunsubscribe')[0]!.at;
      assert.ok(unsubscribedAt < refused.at + LOCK_MS, 'listunsubscribe was not paused');

      await waitUntilInZoho(bridge, people.slice(1), 20_000);
      const counts = await waitUntilSettled(bridge);
      assert.equal(counts.failed ?? 0, 0);

      // Exactly one call met the lock-out: nothing was sent to listsubscribe until the lock period ended.
      assert.equal(bridge.sim.stats.rateLimitViolations.listsubscribe, 1);
      assert.equal(bridge.sim.stats.lockouts.listsubscribe, 1);
      const next = bridge.sim.callsTo('listsubscribe').find((call) => call.at > refused.at);
      assert.ok(next && next.at >= refused.at + LOCK_MS, `next listsubscribe call ${next ? next.at - refused.at : '-'} ms after the lock-out`);

      const lines = bridge.logs.map((line) => JSON.parse(line) as { level: number; msg: string; kind?: string });
      const said = lines.find((line) => line.kind === 'locked_out' && line.level >= 40);
      assert.ok(said, 'a warning says the endpoint is paused');
      assert.match(said.msg, /listsubscribe is paused (on every worker )?until \d{4}-\d\d-\d\dT/);
    });
  });
});
