// Drill 2: Postgres goes away. The receiver cannot store a delivery, so it must not say 200:
// it answers 503 within its deadline (2 s here; WooCommerce counts a failure and never retries), says so loudly
// in the log and in /readyz, and writes nothing half-way. When Postgres is back, everything that
// was answered 200 is synced. The bridge reaches Postgres through a proxy this test controls.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { customer, sendAll, sendCustomer, waitUntilInZoho, waitUntilSettled, type Customer } from '../support/drills.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

/** The receiver's deadline for Postgres in this drill (WEBHOOK_STORE_TIMEOUT_MS; 15 s by default). */
const STORE_TIMEOUT_MS = 2_000;
/** The promise: a 503 within the deadline, with 1 s for a loaded machine. */
const ANSWER_WITHIN_MS = STORE_TIMEOUT_MS + 1_000;

describe('drill: Postgres down', () => {
  let proxy: TcpProxy;
  let bridge: TestBridge;
  before(async () => {
    proxy = await startTcpProxy('127.0.0.1', 5432);
    bridge = await startBridge({
      rewriteDatabaseUrl: (url) => proxy.rewrite(url),
      captureLogs: true,
      env: { WEBHOOK_STORE_TIMEOUT_MS: String(STORE_TIMEOUT_MS) },
    });
  });
  after(async () => {
    await proxy.restore();
    await bridge.close();
    await proxy.close();
  });

  const storedEmails = async () => {
    const events = await bridge.services.db.webhookEvent.findMany({ select: { body: true } });
    return new Set(events.map((event) => (JSON.parse(Buffer.from(event.body).toString('utf8')) as { email: string }).email));
  };

  async function refusedQuickly(people: Customer[]): Promise<number[]> {
    const latencies: number[] = [];
    await Promise.all(
      people.map(async (person) => {
        const started = performance.now();
        const response = await sendCustomer(bridge.webhookUrl, person);
        latencies.push(performance.now() - started);
        assert.equal(response.status, 503, `${person.email}: ${response.body}`);
        const body = response.json<{ ok: boolean; error: string; message: string }>();
        assert.equal(body.ok, false);
        assert.equal(body.error, 'storage_unavailable');
        assert.match(body.message, /nothing was stored/);
      }),
    );
    return latencies;
  }

  async function readiness(): Promise<{ status: number; ms: number; postgresOk: boolean; message: string }> {
    const started = performance.now();
    const response = await fetch(`${bridge.url}/readyz`);
    const report = (await response.json()) as { checks: { postgres: { ok: boolean; message: string } } };
    return { status: response.status, ms: performance.now() - started, postgresOk: report.checks.postgres.ok, message: report.checks.postgres.message };
  }

  it('answers 503 within 2 s while Postgres refuses connections, logs it, shows it, and stores nothing', async (t) => {
    const baseline = [customer('pg', 0)];
    await sendAll(bridge.webhookUrl, baseline);

    await proxy.cut();
    const refused = Array.from({ length: 10 }, (_, n) => customer('pg-refused', n));
    const latencies = await refusedQuickly(refused);
    const slowest = Math.max(...latencies);
    assert.ok(slowest < ANSWER_WITHIN_MS, `slowest 503 took ${slowest.toFixed(0)} ms`);
    t.diagnostic(`Postgres refusing connections: 503 in ${Math.min(...latencies).toFixed(0)}–${slowest.toFixed(0)} ms`);

    const health = await fetch(`${bridge.url}/healthz`);
    assert.equal(health.status, 200, 'the process itself is fine');
    const ready = await readiness();
    assert.equal(ready.status, 503);
    assert.equal(ready.postgresOk, false);
    assert.match(ready.message, /Postgres is unreachable/);
    assert.ok(ready.ms < ANSWER_WITHIN_MS, `/readyz took ${ready.ms.toFixed(0)} ms`);

    const loud = bridge.logs
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .filter((line) => line.level >= 50 && /Postgres is unreachable/.test(line.msg));
    assert.ok(loud.length >= 1, 'an error-level log line says Postgres is unreachable and the delivery was refused');
    assert.match(loud[0]!.msg, /503/);
    // The fact the worker's alert check reads to tell the owner (docs/alerts.md).
    const refusals = await waitFor('the refusals noted for alerting', () => bridge.services.alerts.refusals.read());
    assert.ok(refusals.count >= refused.length, `${refusals.count} refusals noted`);

    await proxy.restore();
    await waitFor('/readyz to recover', async () => (await readiness()).status === 200);
    // Nothing of the refused deliveries was written; what was answered 200 is synced.
    const stored = await storedEmails();
    assert.deepEqual(
      [...stored].sort(),
      baseline.map((person) => person.email),
    );
    await waitUntilInZoho(bridge, baseline);
  });

  it('never answers 200 for a delivery it did not store when Postgres drops mid-burst', async (t) => {
    // Deliveries keep coming, four at a time; Postgres goes away once a few have been stored, and
    // the burst ends a dozen deliveries after that.
    const answers = new Map<string, number>();
    const burst: Customer[] = [];
    let cutAt: number | undefined;
    let cutting: Promise<void> | undefined;
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        while (burst.length < 200 && (cutAt === undefined || burst.length < cutAt + 12)) {
          const person = customer('pg-burst', burst.length);
          burst.push(person);
          const response = await sendCustomer(bridge.webhookUrl, person);
          answers.set(person.email, response.status);
          if (cutAt === undefined && [...answers.values()].filter((status) => status === 200).length >= 5) {
            cutAt = burst.length;
            cutting = proxy.cut();
          }
        }
      }),
    );
    await cutting;
    await proxy.restore();

    const accepted = burst.filter((person) => answers.get(person.email) === 200);
    const refused = burst.filter((person) => answers.get(person.email) === 503);
    assert.equal(accepted.length + refused.length, burst.length, `only 200 or 503: ${JSON.stringify([...answers.values()])}`);
    assert.ok(accepted.length > 0 && refused.length > 0, `the cut fell inside the burst (${accepted.length} stored, ${refused.length} refused)`);
    const stored = await storedEmails();
    // A 503 whose INSERT had committed just before the cut is stored after all (and synced): not a loss.
    const refusedButStored = refused.filter((person) => stored.has(person.email)).length;
    t.diagnostic(`burst: ${accepted.length} answered 200, ${refused.length} answered 503 (${refusedButStored} of them stored after all)`);
    for (const person of accepted) assert.ok(stored.has(person.email), `${person.email} was answered 200 and must be stored`);
    await waitUntilInZoho(bridge, accepted, 30_000);
  });

  it('answers 503 within 2 s when Postgres stops answering altogether (a network partition)', async (t) => {
    proxy.blackhole();
    const refused = Array.from({ length: 5 }, (_, n) => customer('pg-partition', n));
    const latencies = await refusedQuickly(refused);
    const slowest = Math.max(...latencies);
    assert.ok(slowest < ANSWER_WITHIN_MS, `slowest 503 took ${slowest.toFixed(0)} ms`);
    t.diagnostic(`Postgres partitioned: 503 in ${Math.min(...latencies).toFixed(0)}–${slowest.toFixed(0)} ms`);
    const ready = await readiness();
    assert.equal(ready.status, 503);
    assert.ok(ready.ms < ANSWER_WITHIN_MS, `/readyz took ${ready.ms.toFixed(0)} ms`);

    await proxy.restore();
    await waitFor('/readyz to recover', async () => (await readiness()).status === 200, 20_000);
    const after = [customer('pg-after', 0)];
    await sendAll(bridge.webhookUrl, after);
    await waitUntilInZoho(bridge, after, 20_000);
    const counts = await waitUntilSettled(bridge, 30_000);
    assert.equal(counts.failed ?? 0, 0);
  });
});
