// Subscription-aware routing end to end: signed WooCommerce deliveries (v3 and v1 shapes, guests,
// error bodies, other roles) through the workers into the Zoho simulator's lists, with the
// store's lists set through its settings as an owner would.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { ACTIVE, CUSTOMERS, deliver, LAPSED, listsOf, resubscribeOverrides, ROUTING_LISTS, statusesOf, wooTime } from '../support/sync.ts';
import { customerBody, fixtureJson, subscriptionBody, subscriptionV1Body } from '../support/woocommerce.ts';

const BILLING = fixtureJson<{ billing: Record<string, string> }>('customer-created-42.json').billing;

function customer(id: number, email: string, minute: number, extra: Record<string, unknown> = {}): string {
  return customerBody({ id, email, billing: { ...BILLING, email }, date_modified_gmt: wooTime(minute), ...extra });
}

function subscription(id: number, customerId: number, email: string, status: string, minute: number, extra: Record<string, unknown> = {}): string {
  return subscriptionBody({ id, customer_id: customerId, status, billing: { ...BILLING, email }, date_modified_gmt: wooTime(minute), ...extra });
}

describe('routing: subscription statuses move contacts between Zoho lists', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge();
    const saved = await bridge.services.storeSettings.save('default', { lists: ROUTING_LISTS });
    assert.equal(saved.ok, true, JSON.stringify(saved));
  });
  after(() => bridge.close());

  const callsFor = (endpoint: 'listsubscribe' | 'listunsubscribe', email: string) =>
    bridge.sim.callsTo(endpoint).filter((call) => JSON.parse(call.params.contactinfo ?? '{}')['Contact Email'] === email);

  it('walks active → on-hold → active → pending-cancel → cancelled with exactly the lists the rules say after every step', async () => {
    const email = 'walk@example.com';
    await deliver(bridge, 'customer.created', customer(301, email, 0));
    assert.deepEqual(listsOf(bridge.sim, email), [CUSTOMERS]);

    const steps: Array<[string, string[]]> = [
      ['active', [ACTIVE, CUSTOMERS]],
      // On-hold keeps the active list: leaving it would be an unsubscribe Zoho never undoes.
      ['on-hold', [ACTIVE, CUSTOMERS]],
      ['active', [ACTIVE, CUSTOMERS]],
      ['pending-cancel', [ACTIVE, CUSTOMERS]],
      ['cancelled', [CUSTOMERS, LAPSED]],
    ];
    for (const [index, [status, lists]] of steps.entries()) {
      const topic = index === 0 ? 'subscription.created' : 'subscription.updated';
      const event = await deliver(bridge, topic, subscription(3001, 301, email, status, index + 1));
      assert.equal(event.status, 'synced', `${status}: ${event.statusReason}`);
      assert.deepEqual(listsOf(bridge.sim, email), lists, `lists after ${status}`);
    }
    assert.equal(statusesOf(bridge.sim, email)[ACTIVE], 'unsubscribed');
    assert.deepEqual(
      callsFor('listsubscribe', email).map((call) => call.params.listkey),
      [CUSTOMERS, ACTIVE, LAPSED],
    );
    assert.deepEqual(
      callsFor('listunsubscribe', email).map((call) => call.params.listkey),
      [ACTIVE],
    );
    assert.equal(resubscribeOverrides(bridge.sim), 0);
  });

  it('keeps a customer with several subscriptions on the active list while any of them is active', async () => {
    const email = 'two-subs@example.com';
    await deliver(bridge, 'subscription.created', subscription(3101, 311, email, 'active', 1));
    await deliver(bridge, 'subscription.created', subscription(3102, 311, email, 'active', 2));
    await deliver(bridge, 'subscription.updated', subscription(3101, 311, email, 'cancelled', 3));
    assert.deepEqual(listsOf(bridge.sim, email), [ACTIVE, CUSTOMERS]);
    await deliver(bridge, 'subscription.updated', subscription(3102, 311, email, 'expired', 4));
    assert.deepEqual(listsOf(bridge.sim, email), [CUSTOMERS, LAPSED]);
  });

  it('never lets an older subscription snapshot overwrite a newer one', async () => {
    const email = 'late@example.com';
    await deliver(bridge, 'subscription.updated', subscription(3201, 321, email, 'cancelled', 10));
    const stale = await deliver(bridge, 'subscription.updated', subscription(3201, 321, email, 'active', 5));
    assert.equal(stale.status, 'skipped');
    assert.match(stale.statusReason ?? '', /older subscription snapshot/);
    assert.deepEqual(listsOf(bridge.sim, email), [CUSTOMERS, LAPSED]);
    assert.equal(callsFor('listsubscribe', email).filter((call) => call.params.listkey === ACTIVE).length, 0);
  });

  it('routes v1-shaped subscription payloads (old stores) the same way, ordered by their GMT date_modified', async () => {
    const email = 'v1@example.com';
    const v1 = (status: string, minute: number) =>
      subscriptionV1Body({ id: 3301, customer_id: 331, status, billing: { ...BILLING, email }, date_modified: wooTime(minute) });
    assert.equal(JSON.parse(v1('active', 1)).date_modified_gmt, undefined);
    await deliver(bridge, 'subscription.created', v1('active', 1));
    assert.deepEqual(listsOf(bridge.sim, email), [ACTIVE, CUSTOMERS]);
    await deliver(bridge, 'subscription.updated', v1('expired', 3));
    assert.deepEqual(listsOf(bridge.sim, email), [CUSTOMERS, LAPSED]);
    const stale = await deliver(bridge, 'subscription.updated', v1('active', 2));
    assert.equal(stale.status, 'skipped');
    assert.deepEqual(listsOf(bridge.sim, email), [CUSTOMERS, LAPSED]);
  });

  it('keys a guest subscription (customer_id 0) by its billing email and fills the name from billing', async () => {
    const email = 'Guest.Buyer@example.com';
    const event = await deliver(bridge, 'subscription.created', subscription(3401, 0, email, 'active', 1));
    assert.equal(event.contactKey, 'guest:guest.buyer@example.com');
    assert.deepEqual(listsOf(bridge.sim, email), [ACTIVE, CUSTOMERS]);
    assert.equal(bridge.sim.contacts(CUSTOMERS).get('guest.buyer@example.com')?.fields['First Name'], 'Zoë');
    await deliver(bridge, 'subscription.updated', subscription(3401, 0, email, 'cancelled', 2));
    assert.deepEqual(listsOf(bridge.sim, email), [CUSTOMERS, LAPSED]);
  });

  it('moves a guest whose billing email changed: the old address leaves, the new one joins', async () => {
    const old = 'guest-old@example.com';
    const renewed = 'guest-new@example.com';
    await deliver(bridge, 'subscription.created', subscription(3501, 0, old, 'active', 1));
    assert.deepEqual(listsOf(bridge.sim, old), [ACTIVE, CUSTOMERS]);
    const moved = await deliver(bridge, 'subscription.updated', subscription(3501, 0, renewed, 'active', 2));
    assert.equal(moved.status, 'synced', moved.statusReason ?? '');
    assert.deepEqual(listsOf(bridge.sim, renewed), [ACTIVE, CUSTOMERS]);
    assert.deepEqual(listsOf(bridge.sim, old), []);
    assert.deepEqual(statusesOf(bridge.sim, old), { [CUSTOMERS]: 'unsubscribed', [ACTIVE]: 'unsubscribed' });
  });

  it('uses the account email over a different billing email', async () => {
    const body = customerBody({ id: 361, email: 'account@example.com', billing: { ...BILLING, email: 'billing@example.com' }, date_modified_gmt: wooTime(1) });
    await deliver(bridge, 'customer.created', body);
    await deliver(bridge, 'subscription.created', subscription(3601, 361, 'billing@example.com', 'active', 2));
    assert.deepEqual(listsOf(bridge.sim, 'account@example.com'), [ACTIVE, CUSTOMERS]);
    assert.deepEqual(listsOf(bridge.sim, 'billing@example.com'), []);
  });

  it('on an account email change takes the old address off every managed list and adds the new one', async () => {
    await deliver(bridge, 'customer.created', customer(371, 'before@example.com', 1));
    await deliver(bridge, 'subscription.created', subscription(3701, 371, 'before@example.com', 'active', 2));
    assert.deepEqual(listsOf(bridge.sim, 'before@example.com'), [ACTIVE, CUSTOMERS]);
    const changed = await deliver(bridge, 'customer.updated', customer(371, 'after@example.com', 3));
    assert.equal(changed.status, 'synced');
    assert.deepEqual(listsOf(bridge.sim, 'after@example.com'), [ACTIVE, CUSTOMERS]);
    assert.deepEqual(listsOf(bridge.sim, 'before@example.com'), []);
  });

  it('records a WooCommerce REST error body delivered instead of a subscription and skips it', async () => {
    const writes = () => bridge.sim.callsTo('listsubscribe').length + bridge.sim.callsTo('listunsubscribe').length;
    const writesBefore = writes();
    const body = '{"code":"woocommerce_rest_cannot_view","message":"Sorry, you cannot view this resource.","data":{"status":401}}';
    const event = await deliver(bridge, 'subscription.updated', body);
    assert.equal(event.status, 'skipped');
    assert.match(event.statusReason ?? '', /woocommerce_rest_cannot_view/);
    assert.equal(Buffer.from(event.body).toString('utf8'), body);
    assert.equal(writes(), writesBefore);
  });

  it('filters customer.created by role: an administrator is skipped, a subscriber is synced by default', async () => {
    const admin = await deliver(bridge, 'customer.created', customer(381, 'admin@example.com', 1, { role: 'administrator' }));
    assert.equal(admin.status, 'skipped');
    assert.match(admin.statusReason ?? '', /role "administrator"/);
    assert.deepEqual(listsOf(bridge.sim, 'admin@example.com'), []);
    const subscriber = await deliver(bridge, 'customer.created', customer(382, 'reader@example.com', 1, { role: 'subscriber' }));
    assert.equal(subscriber.status, 'synced');
    assert.deepEqual(listsOf(bridge.sim, 'reader@example.com'), [CUSTOMERS]);
  });

  it("filters by the store's own role list when it sets one", async () => {
    const saved = await bridge.services.storeSettings.save('default', { lists: ROUTING_LISTS, roles: ['customer'] });
    assert.equal(saved.ok, true);
    try {
      const event = await deliver(bridge, 'customer.created', customer(391, 'member@example.com', 1, { role: 'subscriber' }));
      assert.equal(event.status, 'skipped');
      assert.match(event.statusReason ?? '', /synced roles: customer\)/);
    } finally {
      await bridge.services.storeSettings.save('default', { lists: ROUTING_LISTS });
    }
  });
});
