// Drill 8: health for orchestrators and the dashboard. /healthz is the process alone; /readyz checks
// Postgres, Redis and the Zoho connection, answers within its check timeout whatever hangs, and is
// 503 only when deliveries cannot be stored (Postgres). Redis and Zoho trouble is reported, not fatal.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { waitForRedis } from '../support/drills.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

interface Readiness {
  ready: boolean;
  checks: {
    postgres: { ok: boolean; message: string };
    redis: { ok: boolean; message: string };
    zoho: { ok: boolean; state: string; message: string; paused?: Array<{ endpoint: string; until: string }> };
  };
}

/** /readyz checks time out after 1.5 s; allow for a loaded machine. */
const ANSWER_WITHIN_MS = 3_000;

describe('drill: health', () => {
  let postgres: TcpProxy;
  let redis: TcpProxy;
  let bridge: TestBridge;
  before(async () => {
    postgres = await startTcpProxy('127.0.0.1', 5432);
    redis = await startTcpProxy('127.0.0.1', 6379);
    bridge = await startBridge({
      workers: false,
      rewriteDatabaseUrl: (url) => postgres.rewrite(url),
      env: { REDIS_URL: redis.rewrite('redis://127.0.0.1:6379') },
    });
  });
  after(async () => {
    await Promise.all([postgres.restore(), redis.restore()]);
    await waitForRedis(bridge);
    await bridge.close();
    await Promise.all([postgres.close(), redis.close()]);
  });

  async function probe(path: '/healthz' | '/readyz') {
    const started = performance.now();
    const response = await fetch(`${bridge.url}${path}`);
    const ms = performance.now() - started;
    assert.ok(ms < ANSWER_WITHIN_MS, `${path} took ${ms.toFixed(0)} ms`);
    return { status: response.status, body: (await response.json()) as Readiness & { ok?: boolean } };
  }

  it('reports everything fine when everything is', async () => {
    assert.deepEqual(await probe('/healthz'), { status: 200, body: { ok: true } });
    const { status, body } = await probe('/readyz');
    assert.equal(status, 200);
    assert.equal(body.ready, true);
    assert.deepEqual([body.checks.postgres.ok, body.checks.redis.ok, body.checks.zoho.ok, body.checks.zoho.state], [true, true, true, 'connected']);
  });

  it('says which Zoho endpoint is paused after a lock-out, and until when, while staying ready', async () => {
    const until = await bridge.services.zoho.quota.lockOut('listsubscribe', 60_000);
    const { status, body } = await probe('/readyz');
    assert.equal(status, 200);
    assert.equal(body.checks.zoho.ok, false);
    assert.equal(body.checks.zoho.state, 'paused');
    assert.equal(body.checks.zoho.paused?.[0]?.endpoint, 'listsubscribe');
    assert.ok(Math.abs(Date.parse(body.checks.zoho.paused![0]!.until) - until.getTime()) < 1_000);
    assert.match(body.checks.zoho.message, /paused listsubscribe until \d{4}-/);
    await bridge.services.zoho.quota.lockOut('listsubscribe', 1);
  });

  it('stays ready without Redis (deliveries are still stored), and says Redis is down', async () => {
    await redis.cut();
    const refused = await probe('/readyz');
    assert.equal(refused.status, 200);
    assert.equal(refused.body.checks.redis.ok, false);
    assert.match(refused.body.checks.redis.message, /Redis is unreachable/);
    await redis.restore();

    redis.blackhole();
    const silent = await probe('/readyz');
    assert.equal(silent.status, 200);
    assert.equal(silent.body.checks.redis.ok, false);
    await redis.restore();
    await waitFor('Redis back in /readyz', async () => (await probe('/readyz')).body.checks.redis.ok);
  });

  it('is 503 within its timeout when Postgres and Redis are both gone, while /healthz stays 200', async () => {
    postgres.blackhole();
    redis.blackhole();
    assert.deepEqual(await probe('/healthz'), { status: 200, body: { ok: true } });
    const { status, body } = await probe('/readyz');
    assert.equal(status, 503);
    assert.equal(body.ready, false);
    assert.equal(body.checks.postgres.ok, false);
    assert.match(body.checks.postgres.message, /Postgres is unreachable/);
    assert.equal(body.checks.redis.ok, false);
    assert.equal(body.checks.zoho.state, 'unknown');

    await Promise.all([postgres.restore(), redis.restore()]);
    await waitFor(
      '/readyz to recover',
      async () => {
        const { status, body } = await probe('/readyz');
        return status === 200 && body.checks.redis.ok;
      },
      20_000,
    );
  });
});
