// Drill 4: SIGTERM to a running bridge (`src/main.ts all`, as `npm start` runs it). The server stops
// taking connections at once and finishes the requests in flight; the workers finish the jobs they
// are running, then the process exits 0. A job longer than SHUTDOWN_DEADLINE_MS is abandoned at the
// deadline and taken over by the next worker. Nothing is lost either way.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { spawnBridge, type BridgeProcess } from '../support/bridge-process.ts';
import { customer, sendAll, sleep, waitUntilInZoho, waitUntilSettled } from '../support/drills.ts';
import { customerBody, deliveryRequest } from '../support/woocommerce.ts';

/** A delivery whose body is only half sent: a request in flight when SIGTERM arrives. */
function startSlowDelivery(url: string, body: string) {
  const target = new URL(url);
  const request = deliveryRequest({ topic: 'customer.updated', body });
  const head = [
    `POST ${target.pathname} HTTP/1.0`,
    `Host: ${target.host}`,
    ...request.headers.map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${request.body.length}`,
    '',
    '',
  ].join('\r\n');
  const socket = connect(Number(target.port), target.hostname);
  const chunks: Buffer[] = [];
  const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      resolve({ status: Number(text.split(' ')[1]), body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
  });
  const half = Math.floor(request.body.length / 2);
  const sentHalf = new Promise<void>((resolve) => socket.write(Buffer.concat([Buffer.from(head, 'latin1'), request.body.subarray(0, half)]), () => resolve()));
  return {
    sentHalf,
    finish() {
      socket.write(request.body.subarray(half));
      return answered;
    },
  };
}

function refusesConnections(url: string): Promise<boolean> {
  const target = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(target.port), target.hostname);
    socket.on('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(true));
  });
}

describe('drill: SIGTERM', () => {
  let bridge: TestBridge;
  const children: BridgeProcess[] = [];
  before(async () => {
    bridge = await startBridge({
      workers: false,
      env: { WORKER_CONCURRENCY: '4', WORKER_LOCK_MS: '2000', ZOHO_TIMEOUT_MS: '6000' },
    });
  });
  const spawning: Array<Promise<unknown>> = [];
  /** spawnBridge, remembering the process at once, so a failing test cannot leave it running. */
  const spawnTracked = (...args: Parameters<typeof spawnBridge>) => {
    const started = spawnBridge(...args).then((child) => {
      children.push(child);
      return child;
    });
    spawning.push(started.catch(() => undefined));
    return started;
  };
  // Every test ends with no bridge process left, whatever happened in it.
  afterEach(async () => {
    await Promise.all(spawning.splice(0));
    await Promise.all(children.splice(0).map((child) => child.stop()));
  });
  after(() => bridge.close());

  it('stops taking requests, finishes those in flight and the running jobs, then exits 0', async () => {
    const running = await spawnTracked('all', bridge.env, { SHUTDOWN_DEADLINE_MS: '15000' });
    const webhookUrl = `${running.url}/webhooks/woocommerce`;

    bridge.sim.injectFault({ endpoint: 'listsubscribe', kind: 'timeout', delayMs: 2_000, times: 4 });
    const people = Array.from({ length: 8 }, (_, n) => customer('sigterm', n));
    await sendAll(webhookUrl, people, 1);
    await waitFor(
      'four jobs in the middle of Zoho calls',
      async () => bridge.sim.callsTo('listsubscribe').filter((call) => call.response === undefined).length >= 4,
    );
    const inFlight = customer('sigterm-in-flight', 0);
    const slow = startSlowDelivery(
      webhookUrl,
      customerBody({ id: inFlight.id, email: inFlight.email, first_name: inFlight.firstName, date_modified_gmt: inFlight.modified }),
    );
    await slow.sentHalf;
    // Let the server take the connection and read the headers (on a loaded machine that is not instant).
    await sleep(300);

    const signalledAt = Date.now();
    running.signal('SIGTERM');
    // The next worker starts meanwhile, as in a rolling deploy.
    const starting = spawnTracked('worker', bridge.env);
    await waitFor('the server to refuse new connections', async () => refusesConnections(webhookUrl), 3_000);
    const answer = await slow.finish();
    assert.equal(answer.status, 200, `the request in flight was finished: ${answer.body}`);

    const exit = await running.exited;
    assert.equal(exit.code, 0);
    assert.ok(exit.atMs - signalledAt < 15_000, `exited ${exit.atMs - signalledAt} ms after SIGTERM`);
    assert.ok(running.logs.some((line) => line.msg === 'Stopped'));
    assert.ok(!running.logs.some((line) => /shutdown deadline/i.test(line.msg)), 'the running jobs finished before the deadline');

    // The four jobs that were mid-call finished before the exit: their events are synced already.
    const synced = await bridge.services.db.webhookEvent.count({ where: { status: 'synced' } });
    assert.ok(synced >= 4, `${synced} events synced when the process exited`);

    // Whatever the process did not start is taken by the next worker: nothing is lost.
    await starting;
    await waitUntilInZoho(bridge, [...people, inFlight], 20_000);
    const counts = await waitUntilSettled(bridge);
    assert.deepEqual(counts, { synced: people.length + 1 });
  });

  it('exits at the deadline when a job runs longer, and the next worker finishes that job', async () => {
    const running = await spawnTracked('worker', bridge.env, { SHUTDOWN_DEADLINE_MS: '1000' });
    // Zoho holds this call for 5 s, far past the 1 s deadline.
    bridge.sim.injectFault({ endpoint: 'listsubscribe', kind: 'timeout', delayMs: 5_000, times: 1 });
    const slowPerson = customer('sigterm-deadline', 0);
    const before = bridge.sim.callsTo('listsubscribe').length;
    await sendAll(bridge.webhookUrl, [slowPerson]);
    await waitFor('the slow call in flight', async () => bridge.sim.callsTo('listsubscribe').length > before);

    const signalledAt = Date.now();
    running.signal('SIGTERM');
    const starting = spawnTracked('worker', bridge.env);
    const exit = await running.exited;
    assert.equal(exit.code, 0);
    // Exit code 0 within deadline + 5 s: the graceful path, not the forced exit (code 1) that follows.
    assert.ok(exit.atMs - signalledAt < 6_000, `exited ${exit.atMs - signalledAt} ms after SIGTERM (deadline 1 s)`);
    assert.ok(
      running.logs.some((line) => /shutdown deadline/i.test(line.msg)),
      'it said it left a job running',
    );

    await starting;
    await waitUntilInZoho(bridge, [slowPerson], 20_000);
    const counts = await waitUntilSettled(bridge);
    assert.equal(counts.failed ?? 0, 0);
  });
});
