// `backfill` against a WooCommerce REST stand-in and the Zoho simulator: the dry run's per-list
// counts, a run interrupted by the store and resumed without duplicates (in webhook_events and in
// Zoho), an idempotent re-run, and live deliveries overtaking a paced backfill.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { BACKFILL_PRIORITY } from '../../src/backfill/enqueue-backfill.ts';
import { syncJobId } from '../../src/queue/sync-queue.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { addSimulatedStore, runCli } from '../support/cli.ts';
import { customerBody, sendDelivery } from '../support/woocommerce.ts';
import type { WooCommerceSimulator } from '../../tools/woocommerce-simulator/index.ts';

const LISTS = { customers: 'sim-customers', activeSubscribers: 'sim-active-subscribers', lapsed: 'sim-lapsed-customers' };

describe('cli: backfill', () => {
  let bridge: TestBridge;
  let shop: WooCommerceSimulator;
  let storeId: string;
  const others: WooCommerceSimulator[] = [];
  before(async () => {
    bridge = await startBridge();
    // 45 WordPress users (every 10th has another role), 14 subscriptions in every status.
    ({ store: shop, storeId } = await addSimulatedStore(bridge, { customers: 45, subscriptions: 14 }));
    await bridge.services.repositories.stores.updateSettings(storeId, { lists: LISTS });
  });
  after(async () => {
    await Promise.all([shop.close(), ...others.map((other) => other.close())]);
    await bridge.close();
  });

  /** What the store's rules say, worked out here from the store's data independently of the bridge. */
  function expectedLists() {
    const synced = shop.customers.filter((customer) => ['customer', 'subscriber'].includes(String(customer.role)));
    const statusOf = (status: string) => shop.subscriptions.filter((subscription) => subscription.status === status).length;
    return {
      contacts: synced.length,
      [LISTS.customers]: synced.length,
      [LISTS.activeSubscribers]: statusOf('active') + statusOf('pending-cancel'),
      [LISTS.lapsed]: statusOf('cancelled') + statusOf('expired'),
    };
  }

  it('previews how many contacts each list would gain, writing nothing', async () => {
    const run = await runCli(bridge, ['backfill', '--store', storeId, '--dry-run', '--per-page', '20']);
    assert.equal(run.exitCode, undefined, run.text());
    const expected = expectedLists();
    const text = run.text();
    assert.match(text, /WordPress users: +45 \(customer 41, subscriber 2, administrator 1, shop_manager 1\)/);
    assert.match(text, /2 users with other roles are left out/);
    assert.match(text, new RegExp(`Contacts: +${expected.contacts}`));
    for (const list of Object.values(LISTS)) {
      assert.match(text, new RegExp(`${list} +${expected[list]} would join`), `${list}: ${text}`);
    }
    assert.match(text, /A backfill would queue 59 events/);
    assert.ok(
      run.progressUpdates.some((update) => update.includes('customers')),
      'progress was shown',
    );
    // Only read: all three customer pages and the subscriptions, with every role.
    assert.ok(shop.requests.some((request) => request.path.endsWith('/customers') && request.query.role === 'all' && request.query.page === '3'));
    assert.equal(await bridge.services.db.webhookEvent.count(), 0);
    assert.equal(await bridge.services.db.backfillRun.count(), 0);
  });

  it('stops when the store fails, and resumes where it stopped without storing anything twice', async () => {
    shop.injectFault({ resource: 'customers', page: 3, status: 500 });
    const first = await runCli(bridge, ['backfill', '--store', storeId, '--per-page', '10']);
    assert.equal(first.exitCode, 1);
    assert.match(first.text(), /customers backfill stopped at page 3/);
    assert.match(first.text(), /Run the same command again to continue from page 3/);
    const interrupted = await bridge.services.db.backfillRun.findFirstOrThrow({ where: { storeId, kind: 'customers' } });
    assert.equal(interrupted.status, 'interrupted');
    assert.equal(interrupted.pagesDone, 2);
    assert.equal(interrupted.itemsQueued, 20);
    assert.equal(await bridge.services.db.webhookEvent.count({ where: { storeId } }), 20);

    shop.clearFaults();
    const second = await runCli(bridge, ['backfill', '--store', storeId, '--per-page', '10', '--follow']);
    assert.equal(second.exitCode, undefined, second.text());
    assert.match(second.text(), /customers: 25 read from 5 of 5 pages \(resumed at page 3\); 25 new events stored/);
    assert.match(second.text(), /subscriptions: 14 read from 2 of 2 pages; 14 new events stored/);
    assert.ok(
      second.progressUpdates.some((update) => /customers +: 45\/45 page 5\/5/.test(update)),
      second.progressUpdates.join('\n'),
    );

    // Every customer and subscription exactly once, marked as coming from the backfill.
    const events = await bridge.services.db.webhookEvent.findMany({ where: { storeId } });
    const ids = (topic: string) => events.filter((event) => event.topic === topic).map((event) => event.resourceId);
    assert.deepEqual(ids('customer.updated').sort(), shop.customers.map((customer) => String(customer.id)).sort());
    assert.deepEqual(ids('subscription.updated').sort(), shop.subscriptions.map((subscription) => String(subscription.id)).sort());
    assert.ok(events.every((event) => (event.headers as Record<string, string>)['x-bridge-source'] === 'backfill'));
    // Queued behind live events.
    const job = await bridge.services.syncQueue.getJob(syncJobId(events[0]!.id));
    assert.equal(job?.opts.priority, BACKFILL_PRIORITY);

    // --follow watched the sync to the end.
    assert.match(second.text(), /Sync finished: \d+ synced/);
    assert.ok(
      second.progressUpdates.some((update) => /syncing +: 39\/39/.test(update)),
      'the sync progress of this run (25 + 14 events)',
    );
    // Synced through the normal pipeline: each person joins each list once, with one call.
    await waitFor(
      'every backfilled event to settle',
      async () => (await bridge.services.db.webhookEvent.count({ where: { storeId, status: { in: ['received', 'queued', 'waiting'] } } })) === 0,
      30_000,
    );
    assert.equal(await bridge.services.db.webhookEvent.count({ where: { storeId, status: 'failed' } }), 0);
    const expected = expectedLists();
    for (const list of Object.values(LISTS)) assert.equal(bridge.sim.contacts(list).size, expected[list], list);
    const calls = new Map<string, number>();
    for (const call of bridge.sim.callsTo('listsubscribe')) {
      const key = `${call.params.listkey} ${JSON.parse(call.params.contactinfo!)['Contact Email']}`;
      calls.set(key, (calls.get(key) ?? 0) + 1);
    }
    assert.deepEqual(
      [...calls.entries()].filter(([, count]) => count > 1),
      [],
      'no contact was subscribed to a list twice',
    );
    assert.equal(calls.size, expected[LISTS.customers]! + expected[LISTS.activeSubscribers]! + expected[LISTS.lapsed]!);
  });

  it('stores nothing new when run again over unchanged data', async () => {
    const callsBefore = bridge.sim.callsTo('listsubscribe').length;
    const run = await runCli(bridge, ['backfill', '--store', storeId]);
    assert.equal(run.exitCode, undefined, run.text());
    assert.match(run.text(), /customers: 45 read from 1 of 1 pages; 0 new events stored, 45 already stored earlier, 0 queued/);
    assert.equal(await bridge.services.db.webhookEvent.count({ where: { storeId } }), 59);
    assert.equal(bridge.sim.callsTo('listsubscribe').length, callsBefore);

    const status = await runCli(bridge, ['status']);
    assert.match(status.text(), /ok +Postgres/);
    assert.match(status.text(), new RegExp(`Store "${storeId}"`));
    assert.match(status.text(), /backfill #\d+ subscriptions: done, 14 items/);
    assert.match(status.text(), /Zoho listsubscribe calls: \d+\/500 this minute/);
  });

  it('paces a backfill over the day, while live deliveries go through at once', async () => {
    const { store: big, storeId: bigId } = await addSimulatedStore(bridge, { customers: 6, otherRoleEvery: 0, subscriptionsPlugin: false });
    others.push(big);
    // A budget of 24 a day: one job now, then one an hour.
    const run = await runCli(bridge, ['backfill', '--store', bigId, '--daily-budget', '24']);
    assert.equal(run.exitCode, undefined, run.text());
    const delayed = await bridge.services.syncQueue.getDelayed();
    const delays = delayed
      .filter((job) => job.opts.priority === BACKFILL_PRIORITY)
      .map((job) => job.opts.delay ?? 0)
      .sort((a, b) => a - b);
    assert.equal(delays.length, 5, 'all but the first wait for their slot');
    assert.ok(
      delays.every((delay, index) => Math.abs(delay - (index + 1) * 3_600_000) < 60_000),
      `one an hour: ${delays.join(', ')}`,
    );

    const live = await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body: customerBody({ id: 990, email: 'live@example.com' }) });
    assert.equal(live.status, 200);
    await waitFor('the live delivery in Zoho', async () => bridge.sim.contacts(LISTS.customers).get('live@example.com'));
    const pending = await bridge.services.db.webhookEvent.count({ where: { storeId: bigId, status: 'received' } });
    assert.equal(pending, 5, 'the backfill keeps to its schedule');

    // Run again while those jobs wait for their slots: nothing is queued twice, no slot is taken again.
    const again = await runCli(bridge, ['backfill', '--store', bigId, '--daily-budget', '24']);
    assert.equal(again.exitCode, undefined, again.text());
    assert.match(again.text(), /customers: 6 read from 1 of 1 pages; 0 new events stored, 6 already stored earlier, 0 queued/);
    const delayedAgain = (await bridge.services.syncQueue.getDelayed()).filter((job) => job.opts.priority === BACKFILL_PRIORITY);
    assert.deepEqual(
      delayedAgain.map((job) => job.opts.delay ?? 0).sort((a, b) => a - b),
      delays,
    );
  });
});
