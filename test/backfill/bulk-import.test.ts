// An import with --bulk-first against the WooCommerce and Zoho simulators: who Zoho's bulk add
// may put on a list (never the double opt-in list, never without consent, never someone Zoho has
// as unsubscribed, read first), the addresses Zoho ignored sent through listsubscribe with the
// reason in the sync log, names and fields following through listsubscribe, and the bulk
// endpoint's allowance kept (a small one here, the same in the bridge and the simulator).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IGNORED_IN_BULK_REASON } from '../../src/backfill/bulk-calls.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { addSimulatedStore, runCli } from '../support/cli.ts';
import type { WooCommerceSimulator } from '../../tools/woocommerce-simulator/index.ts';

const CUSTOMERS = 'sim-customers';
const DOUBLE_OPT_IN = 'sim-newsletter-doi';
// 12 bulk calls a 2 s window in both: the bridge must wait for Zoho's window, never overrun it.
const BULK_LIMIT = { windows: [{ limit: 12, windowMs: 2_000 }], lockMs: 60_000 };

describe('backfill --bulk-first: the bulk phase', () => {
  let bridge: TestBridge;
  let shop: WooCommerceSimulator;
  let storeId: string;
  const consenting: string[] = [];
  const refused: string[] = [];
  const unanswered: string[] = [];
  let unsubscribedInZoho: string;
  let ignoredByZoho: string;

  before(async () => {
    // No workers until phase 2's test: phase 1 alone puts everyone on their lists.
    bridge = await startBridge({
      workers: false,
      simulator: { limits: { addlistsubscribersinbulk: BULK_LIMIT } },
      env: { ZOHO_QUOTA_LIMITS: JSON.stringify({ addlistsubscribersinbulk: BULK_LIMIT }) },
    });
    ({ store: shop, storeId } = await addSimulatedStore(bridge, { customers: 200, subscriptions: 0 }));
    await bridge.services.repositories.stores.updateSettings(storeId, {
      lists: { customers: CUSTOMERS },
      consent: { metaKey: 'newsletter', doubleOptInList: DOUBLE_OPT_IN },
    });
    // Every 5th refused, every 7th gave no answer, the rest agreed.
    shop.customers.forEach((customer, index) => {
      if (!['customer', 'subscriber'].includes(String(customer.role))) return;
      const email = String(customer.email);
      if (index % 5 === 0) {
        customer.meta_data = [{ id: 1, key: 'newsletter', value: 'no' }];
        refused.push(email);
      } else if (index % 7 === 0) {
        unanswered.push(email);
      } else {
        customer.meta_data = [{ id: 1, key: 'newsletter', value: 'yes' }];
        consenting.push(email);
      }
    });
    // One who agreed in WooCommerce but unsubscribed in Zoho; one at a domain Zoho drops in bulk.
    unsubscribedInZoho = consenting.shift()!;
    bridge.sim.setContactStatus(CUSTOMERS, unsubscribedInZoho, 'unsubscribed');
    const dropped = shop.customers.find((customer) => customer.email === consenting[0])!;
    ignoredByZoho = `${String(dropped.username)}@mailinator.com`;
    dropped.email = ignoredByZoho;
    (dropped.billing as Record<string, unknown>).email = ignoredByZoho;
    consenting[0] = ignoredByZoho;
  });
  after(async () => {
    await shop.close();
    await bridge.close();
  });

  it('previews both phases: the bulk add and then names and fields through listsubscribe', async () => {
    const run = await runCli(bridge, ['backfill', '--store', storeId, '--dry-run']);
    assert.equal(run.exitCode, undefined, run.text());
    // The unsubscribed one is only known after reading Zoho, hence "up to".
    const bulkAddresses = consenting.length + 1;
    assert.match(run.text(), new RegExp(`1\\. On their lists: up to ${bulkAddresses} joins by Zoho's bulk add \\(${Math.ceil(bulkAddresses / 10)} calls`));
    assert.match(run.text(), /2\. Names and fields: the \d+ events above through listsubscribe/);
    assert.match(run.text(), new RegExp(`Only phase 2 for ${unanswered.length} joins of the double opt-in list`));
    assert.equal(bridge.sim.callsTo('addlistsubscribersinbulk').length, 0);
  });

  it('bulk-adds only where consent allows, after reading who unsubscribed; sends the ignored through listsubscribe', async () => {
    const run = await runCli(bridge, ['backfill', '--store', storeId, '--bulk-first']);
    assert.equal(run.exitCode, undefined, run.text());

    const bulkCalls = bridge.sim.callsTo('addlistsubscribersinbulk');
    const sent = bulkCalls.flatMap((call) => call.params.emailids!.split(','));
    assert.ok(
      bulkCalls.every((call) => call.params.listkey === CUSTOMERS),
      'never the double opt-in list',
    );
    assert.ok(bulkCalls.every((call) => call.params.emailids!.split(',').length <= 10));
    assert.deepEqual(sent.sort(), [...consenting].sort(), 'exactly those who agreed, minus the one Zoho has as unsubscribed');
    for (const email of [...refused, ...unanswered, unsubscribedInZoho]) assert.ok(!sent.includes(email), email);

    // Zoho's unsubscribed were read before the first bulk call, and the list read back after the last.
    const order = bridge.sim.calls.map((call) => `${call.endpoint}:${call.params.status ?? ''}`);
    const firstBulk = order.indexOf('addlistsubscribersinbulk:');
    assert.ok(order.indexOf('getlistsubscribers:unsub') >= 0 && order.indexOf('getlistsubscribers:unsub') < firstBulk, order.join(' '));
    assert.ok(order.lastIndexOf('getlistsubscribers:active') > order.lastIndexOf('addlistsubscribersinbulk:'));

    // The address Zoho ignored went through listsubscribe at once, the reason in the sync log (the
    // backfill's own event for it syncs later, like everyone's).
    const fallback = await bridge.services.db.syncAttempt.findMany({ where: { email: ignoredByZoho, eventId: null } });
    assert.equal(fallback.length, 1);
    assert.equal(fallback[0]!.outcome, 'done');
    assert.ok(fallback[0]!.zohoMessage!.startsWith(IGNORED_IN_BULK_REASON), fallback[0]!.zohoMessage!);
    assert.match(run.text(), /1 ignored by Zoho and sent one by one/);

    // Everyone who agreed is on the list before a single event is synced; the unsubscribed one is not.
    assert.equal(await bridge.services.db.webhookEvent.count({ where: { storeId, status: { notIn: ['received', 'queued'] } } }), 0);
    assert.equal(bridge.sim.callsTo('listsubscribe').length, 1, 'only the ignored address went through listsubscribe');
    const onList = bridge.sim.contacts(CUSTOMERS);
    for (const email of consenting) assert.equal(onList.get(email.toLowerCase())?.status, 'active', email);
    assert.equal(onList.get(unsubscribedInZoho.toLowerCase())?.status, 'unsubscribed');

    // Within the allowance: 12 calls per 2 s for at least 18 calls means it waited, and Zoho saw no violation.
    assert.ok(bulkCalls.length > BULK_LIMIT.windows[0]!.limit);
    assert.deepEqual(bridge.sim.stats.rateLimitViolations, {});
  });

  it('then brings names and fields through listsubscribe, and leaves the unsubscribed one alone', async () => {
    await bridge.startWorkers();
    // All 200 wait for this moment (phase 1 ran without workers): on a loaded machine that takes a while.
    await waitFor(
      'the backfilled events to sync',
      async () => (await bridge.services.db.webhookEvent.count({ where: { storeId, status: { in: ['received', 'queued', 'waiting'] } } })) === 0,
      120_000,
    );
    const onList = bridge.sim.contacts(CUSTOMERS);
    const named = shop.customers.find((customer) => customer.email === consenting[3])!;
    assert.equal(onList.get(String(named.email).toLowerCase())?.fields['First Name'], named.first_name);
    assert.equal(onList.get(unsubscribedInZoho.toLowerCase())?.status, 'unsubscribed');
    // Without an answer: asked on the double opt-in list through listsubscribe (pending), never bulk-added.
    const doubleOptIn = bridge.sim.contacts(DOUBLE_OPT_IN);
    for (const email of unanswered) assert.equal(doubleOptIn.get(email.toLowerCase())?.status, 'pending', email);
    for (const email of refused) assert.equal(onList.get(email.toLowerCase()), undefined, email);
    assert.deepEqual(bridge.sim.stats.rateLimitViolations, {});
  });
});
