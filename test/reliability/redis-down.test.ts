// Drill 1: Redis goes away. Deliveries are still committed to Postgres and answered 200 at once;
// when Redis is back (empty: this one keeps nothing on disk) the sweeper queues every stored event
// that is not in the queue, including jobs Redis lost with its memory. No event lives only in Redis.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { ALERTS_QUEUE, EVALUATE_ALERTS_JOB } from '../../src/jobs/alerts-job.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { customer, sendAll, sendAllTimed, sleep, statusCounts, waitForRedis, waitUntilInZoho, waitUntilSettled } from '../support/drills.ts';
import { startPrivateRedis, type PrivateRedis } from '../support/redis-server.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

describe('drill: Redis down', () => {
  let redis: PrivateRedis;
  // Between the bridge and its Redis, for the partition (no answer at all) case.
  let proxy: TcpProxy;
  let bridge: TestBridge;
  before(async () => {
    redis = await startPrivateRedis();
    proxy = await startTcpProxy('127.0.0.1', redis.port);
    bridge = await startBridge({ env: { REDIS_URL: proxy.rewrite(redis.url) } });
  });
  after(async () => {
    try {
      await proxy.restore();
      await redis.start().catch(() => undefined);
      await waitForRedis(bridge);
      await bridge.close();
    } finally {
      await proxy.close();
      await redis.close();
    }
  });

  it('answers 200 to every delivery while Redis is down, and syncs them all once it is back', async (t) => {
    const warmUp = [customer('redis', 0)];
    await sendAll(bridge.webhookUrl, warmUp);
    await waitUntilInZoho(bridge, warmUp);

    await redis.kill();
    const during = Array.from({ length: 25 }, (_, n) => customer('redis', n + 1));
    let ids: string[];
    try {
      // Answers come at once: nothing in the answer waits for Redis (its timeouts are 2–5 s).
      // The slowest one is given room for a loaded machine; the median is not.
      const { ids: answered, medianMs, slowestMs } = await sendAllTimed(bridge.webhookUrl, during, 5);
      ids = answered;
      t.diagnostic(`Redis down: answers in ${medianMs.toFixed(0)} ms (median), ${slowestMs.toFixed(0)} ms (slowest)`);
      assert.ok(
        medianMs < 500 && slowestMs < 5_000,
        `answers took ${medianMs.toFixed(0)} ms (median), ${slowestMs.toFixed(0)} ms (slowest) while Redis was down`,
      );
    } catch (error) {
      await redis.start();
      throw error;
    }
    assert.equal(ids.length, during.length);

    // Every one of them is committed and in line, waiting for Redis.
    const stored = await bridge.services.db.webhookEvent.findMany({ where: { id: { in: ids.map(BigInt) } } });
    assert.deepEqual(
      stored.map((event) => event.status),
      ids.map(() => 'received'),
    );
    const ready = await fetch(`${bridge.url}/readyz`);
    const report = (await ready.json()) as { ready: boolean; checks: { redis: { ok: boolean; message: string } } };
    assert.equal(report.checks.redis.ok, false);
    assert.match(report.checks.redis.message, /Redis is unreachable/);
    // Still ready: deliveries are stored and answered 200, so an orchestrator must keep sending them.
    assert.equal(ready.status, 200);
    assert.equal(report.ready, true);

    await sleep(500);
    await redis.start();
    await waitUntilInZoho(bridge, [...warmUp, ...during], 15_000);
    const counts = await waitUntilSettled(bridge);
    assert.deepEqual(counts, { synced: warmUp.length + during.length });
  });

  it('re-queues from Postgres the jobs Redis lost with its memory, mid-flight', async () => {
    // Twelve customers; Zoho answers slowly, so with 8 workers some jobs are running and some
    // still waiting in Redis when it dies. Redis comes back empty.
    const people = Array.from({ length: 12 }, (_, n) => customer('redis-lost', n));
    bridge.sim.injectFault({ endpoint: 'listsubscribe', kind: 'timeout', delayMs: 800, times: 12 });
    await sendAll(bridge.webhookUrl, people);
    await waitFor('jobs in flight', async () => bridge.sim.callsTo('listsubscribe').length >= 1 + 25 + 4);
    await redis.kill();
    await sleep(300);
    await redis.start();

    await waitUntilInZoho(bridge, people, 20_000);
    const counts = await waitUntilSettled(bridge);
    assert.equal(counts.synced, 1 + 25 + people.length);
    assert.deepEqual(Object.keys(counts), ['synced'], JSON.stringify(await statusCounts(bridge)));
    // The alert check's scheduler went with Redis's memory; the worker made it again.
    const alertsQueue = new Queue(ALERTS_QUEUE, { connection: bridge.services.redis, prefix: bridge.config.redisPrefix });
    try {
      await waitFor('the alert check to be scheduled again', async () =>
        (await alertsQueue.getJobSchedulers()).some((scheduler) => scheduler.key === EVALUATE_ALERTS_JOB),
      );
    } finally {
      await alertsQueue.close();
    }
  });

  it('keeps answering at once when Redis stops answering (a network partition), and catches up after', async (t) => {
    const before = await bridge.services.db.webhookEvent.count();
    proxy.blackhole();
    const during = Array.from({ length: 15 }, (_, n) => customer('redis-partition', n));
    const { medianMs, slowestMs } = await sendAllTimed(bridge.webhookUrl, during, 5).catch(async (error: unknown) => {
      await proxy.restore();
      throw error;
    });
    t.diagnostic(`Redis partitioned: answers in ${medianMs.toFixed(0)} ms (median), ${slowestMs.toFixed(0)} ms (slowest)`);
    assert.ok(
      medianMs < 500 && slowestMs < 5_000,
      `answers took ${medianMs.toFixed(0)} ms (median), ${slowestMs.toFixed(0)} ms (slowest) while Redis did not answer`,
    );
    assert.equal(await bridge.services.db.webhookEvent.count(), before + during.length);

    const readyStarted = performance.now();
    const ready = await fetch(`${bridge.url}/readyz`);
    assert.ok(performance.now() - readyStarted < 2_500, '/readyz answers within its check timeout');
    assert.equal(ready.status, 200);
    assert.equal(((await ready.json()) as { checks: { redis: { ok: boolean } } }).checks.redis.ok, false);

    await sleep(1_000);
    await proxy.restore();
    await waitUntilInZoho(bridge, during, 20_000);
    const counts = await waitUntilSettled(bridge);
    assert.deepEqual(Object.keys(counts), ['synced']);
  });
});
