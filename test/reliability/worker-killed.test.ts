// Drill 3: a worker process is SIGKILLed while its jobs are in the middle of Zoho calls, and a new
// one starts. Every event is still applied: the killed jobs are handed to the new worker once
// their lock runs out (WORKER_LOCK_MS); the calls Zoho received but never answered are made again,
// which is harmless; and the newest state of a customer wins, whatever order things happen in.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { spawnBridge, type BridgeProcess } from '../support/bridge-process.ts';
import { customer, CUSTOMERS_LIST, sendAll, sendCustomer, waitUntilInZoho, waitUntilSettled } from '../support/drills.ts';

describe('drill: worker killed mid-job', () => {
  let bridge: TestBridge;
  const children: BridgeProcess[] = [];
  before(async () => {
    // The web server runs here; the workers are child processes, so the kill is real.
    // Zoho's answers may take up to 10 s here, so the slow calls below stay in flight.
    bridge = await startBridge({ workers: false, env: { WORKER_LOCK_MS: '2000', WORKER_CONCURRENCY: '4', ZOHO_TIMEOUT_MS: '10000' } });
  });
  after(async () => {
    await Promise.all(children.map((child) => child.stop()));
    await bridge.close();
  });

  it('applies every event after a SIGKILL mid-call, repeats calls harmlessly, and lets the newest state win', async () => {
    const first = await spawnBridge('worker', bridge.env);
    children.push(first);

    // Zoho takes 6 s over the next four subscribe calls (and processes them even if the
    // caller is gone by then: a write whose answer is lost).
    bridge.sim.injectFault({ endpoint: 'listsubscribe', kind: 'timeout', delayMs: 6_000, times: 4 });
    // 6 s, not less: on a loaded machine the four jobs can start seconds apart, and the kill must
    // find all four calls still open.
    const people = Array.from({ length: 10 }, (_, n) => customer('killed', n));
    await sendAll(bridge.webhookUrl, people, 1);
    // One customer changes three times in a row.
    const changing = [1, 2, 3].map((version) => customer('changing', 0, version));
    for (const state of changing) assert.equal((await sendCustomer(bridge.webhookUrl, state)).status, 200);

    await waitFor('four Zoho calls in flight', async () => {
      const open = bridge.sim.callsTo('listsubscribe').filter((call) => call.response === undefined);
      return open.length >= 4;
    });
    first.signal('SIGKILL');
    const exit = await first.exited;
    assert.equal(exit.signal, 'SIGKILL');

    // Deliveries keep arriving while no worker runs: a newer state, then a stale one.
    const newest = customer('changing', 0, 4);
    const stale = customer('changing', 0, 0);
    assert.equal((await sendCustomer(bridge.webhookUrl, newest)).status, 200);
    assert.equal((await sendCustomer(bridge.webhookUrl, stale)).status, 200);

    children.push(await spawnBridge('worker', bridge.env));
    await waitUntilInZoho(bridge, [...people, newest], 25_000);
    const counts = await waitUntilSettled(bridge, 20_000);
    assert.equal(counts.failed ?? 0, 0, JSON.stringify(counts));
    assert.equal(await bridge.services.db.webhookEvent.count(), people.length + changing.length + 2);

    // The killed calls reached Zoho and were made again: one contact each, the right state.
    const calls = bridge.sim.callsTo('listsubscribe');
    const emails = calls.map((call) => JSON.parse(call.params.contactinfo ?? '{}')['Contact Email'] as string);
    assert.ok(emails.length > new Set(emails).size, 'some call was repeated after the kill');
    const contacts = bridge.sim.contacts(CUSTOMERS_LIST);
    assert.equal(contacts.get(newest.email)?.fields['First Name'], newest.firstName, 'the newest state won');
    // The stale state is skipped if a newer one was applied before it, or folded in before the
    // newer ones (events apply oldest snapshot first). When the stale event's own job was the one
    // that ran, it is marked synced and the newest event was applied together with it.
    const [staleEvent, newestEvent] = await bridge.services.db.webhookEvent.findMany({ orderBy: { id: 'desc' }, take: 2 });
    assert.ok(staleEvent && newestEvent);
    if (staleEvent.status === 'synced') {
      assert.equal(newestEvent.status, 'coalesced');
      assert.equal(newestEvent.statusReason, `Applied together with event #${staleEvent.id}.`);
    } else {
      assert.ok(['skipped', 'coalesced'].includes(staleEvent.status), staleEvent.status);
    }
  });
});
