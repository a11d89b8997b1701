// Consent and opt-outs end to end: the per-store consent gate (a meta key, a double opt-in list)
// and contacts who unsubscribed in Zoho, who automatic syncs must never add back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { StoreSettingsInput } from '../../src/sync/store-settings.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { ACTIVE, CUSTOMERS, deliver, DOUBLE_OPT_IN, LAPSED, listsOf, resubscribeOverrides, ROUTING_LISTS, statusesOf, wooTime } from '../support/sync.ts';
import { customerBody, fixtureJson, subscriptionBody } from '../support/woocommerce.ts';

const BILLING = fixtureJson<{ billing: Record<string, string> }>('customer-created-42.json').billing;
const CONSENT_KEY = 'newsletter_opt_in';

function customer(id: number, email: string, minute: number, meta: Array<{ key: string; value: unknown }> = [], extra: Record<string, unknown> = {}): string {
  return customerBody({
    id,
    email,
    billing: { ...BILLING, email },
    meta_data: meta.map((entry, index) => ({ id: index + 1, ...entry })),
    date_modified_gmt: wooTime(minute),
    ...extra,
  });
}

function subscription(
  id: number,
  customerId: number,
  email: string,
  status: string,
  minute: number,
  meta: Array<{ key: string; value: unknown }> = [],
): string {
  return subscriptionBody({
    id,
    customer_id: customerId,
    status,
    billing: { ...BILLING, email },
    meta_data: meta.map((entry, index) => ({ id: index + 1, ...entry })),
    date_modified_gmt: wooTime(minute),
  });
}

describe('consent gate', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge();
  });
  after(() => bridge.close());

  const useSettings = async (input: StoreSettingsInput) => {
    const saved = await bridge.services.storeSettings.save('default', input);
    assert.equal(saved.ok, true, JSON.stringify(saved));
  };

  it('with a meta key, only a clear yes joins the lists; no, 0 and a missing key join nothing', async () => {
    await useSettings({ lists: ROUTING_LISTS, consent: { metaKey: CONSENT_KEY } });
    await deliver(bridge, 'customer.created', customer(901, 'yes@example.com', 1, [{ key: CONSENT_KEY, value: 'yes' }]));
    await deliver(bridge, 'subscription.created', subscription(9001, 901, 'yes@example.com', 'active', 2));
    assert.deepEqual(listsOf(bridge.sim, 'yes@example.com'), [ACTIVE, CUSTOMERS]);

    for (const [id, email, value] of [
      [902, 'no@example.com', 'no'],
      [903, 'zero@example.com', '0'],
    ] as const) {
      const event = await deliver(bridge, 'customer.created', customer(id, email, 1, [{ key: CONSENT_KEY, value }]));
      assert.equal(event.status, 'synced');
      assert.deepEqual(statusesOf(bridge.sim, email), {}, `${value} must not reach Zoho`);
    }
    await deliver(bridge, 'customer.created', customer(904, 'silent@example.com', 1));
    await deliver(bridge, 'subscription.created', subscription(9004, 904, 'silent@example.com', 'active', 2));
    assert.deepEqual(statusesOf(bridge.sim, 'silent@example.com'), {});
  });

  it('takes a contact off every list when they withdraw consent', async () => {
    await useSettings({ lists: ROUTING_LISTS, consent: { metaKey: CONSENT_KEY } });
    await deliver(bridge, 'customer.created', customer(911, 'changed-mind@example.com', 1, [{ key: CONSENT_KEY, value: '1' }]));
    await deliver(bridge, 'subscription.created', subscription(9011, 911, 'changed-mind@example.com', 'active', 2));
    assert.deepEqual(listsOf(bridge.sim, 'changed-mind@example.com'), [ACTIVE, CUSTOMERS]);
    await deliver(bridge, 'customer.updated', customer(911, 'changed-mind@example.com', 3, [{ key: CONSENT_KEY, value: '0' }]));
    assert.deepEqual(listsOf(bridge.sim, 'changed-mind@example.com'), []);
    assert.deepEqual(statusesOf(bridge.sim, 'changed-mind@example.com'), { [CUSTOMERS]: 'unsubscribed', [ACTIVE]: 'unsubscribed' });
  });

  it("reads consent of a guest from their subscription's meta_data", async () => {
    await useSettings({ lists: ROUTING_LISTS, consent: { metaKey: CONSENT_KEY } });
    await deliver(bridge, 'subscription.created', subscription(9021, 0, 'guest-yes@example.com', 'active', 1, [{ key: CONSENT_KEY, value: 'on' }]));
    assert.deepEqual(listsOf(bridge.sim, 'guest-yes@example.com'), [ACTIVE, CUSTOMERS]);
    await deliver(bridge, 'subscription.created', subscription(9022, 0, 'guest-quiet@example.com', 'active', 1));
    assert.deepEqual(statusesOf(bridge.sim, 'guest-quiet@example.com'), {});
  });

  it('with a double opt-in list, no answer means Zoho asks them; a no means nothing; a later yes adds the rule lists', async () => {
    await useSettings({ lists: ROUTING_LISTS, consent: { metaKey: CONSENT_KEY, doubleOptInList: DOUBLE_OPT_IN } });
    await deliver(bridge, 'customer.created', customer(931, 'ask-me@example.com', 1));
    await deliver(bridge, 'subscription.created', subscription(9031, 931, 'ask-me@example.com', 'active', 2));
    // Pending: Zoho sent the confirmation email; nothing else was added.
    assert.deepEqual(statusesOf(bridge.sim, 'ask-me@example.com'), { [DOUBLE_OPT_IN]: 'pending' });

    await deliver(bridge, 'customer.created', customer(932, 'said-no@example.com', 1, [{ key: CONSENT_KEY, value: 'no' }]));
    assert.deepEqual(statusesOf(bridge.sim, 'said-no@example.com'), {});

    bridge.sim.setContactStatus(DOUBLE_OPT_IN, 'ask-me@example.com', 'active');
    await deliver(bridge, 'customer.updated', customer(931, 'ask-me@example.com', 3, [{ key: CONSENT_KEY, value: 'yes' }]));
    assert.deepEqual(listsOf(bridge.sim, 'ask-me@example.com'), [ACTIVE, CUSTOMERS, DOUBLE_OPT_IN]);
  });

  it('without a gate, everyone follows the rules', async () => {
    await useSettings({ lists: ROUTING_LISTS });
    await deliver(bridge, 'customer.created', customer(941, 'open@example.com', 1));
    assert.deepEqual(listsOf(bridge.sim, 'open@example.com'), [CUSTOMERS]);
    assert.equal(resubscribeOverrides(bridge.sim), 0);
  });
});

describe('contacts who unsubscribed in Zoho', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge();
    const saved = await bridge.services.storeSettings.save('default', { lists: ROUTING_LISTS });
    assert.equal(saved.ok, true, JSON.stringify(saved));
  });
  after(() => bridge.close());

  const contactOf = (customerKey: string) =>
    bridge.services.db.contact.findUniqueOrThrow({ where: { storeId_customerKey: { storeId: 'default', customerKey } } });
  const subscribesTo = (listKey: string, email: string) =>
    bridge.sim.callsTo('listsubscribe').filter((call) => call.params.listkey === listKey && call.params.contactinfo?.includes(email)).length;

  it('learns an unsubscribe from Zoho and never adds the contact back to that list', async () => {
    const email = 'left-by-link@example.com';
    await deliver(bridge, 'customer.created', customer(951, email, 1));
    assert.deepEqual(listsOf(bridge.sim, email), [CUSTOMERS]);
    // They click "unsubscribe" in a Zoho email.
    bridge.sim.setContactStatus(CUSTOMERS, email, 'unsubscribed');

    const summary = await bridge.services.zohoUnsubscribes.run();
    assert.equal(summary.stoppedBecause, undefined);
    const contact = await contactOf('951');
    assert.deepEqual(contact.zohoUnsubscribedLists, [CUSTOMERS]);
    assert.deepEqual(contact.syncedLists, []);
    assert.ok(bridge.sim.callsTo('getlistsubscribers').every((call) => call.params.status === 'unsub'));

    // A new name and a new subscription: the active list is joined, the customers list is not.
    const before = subscribesTo(CUSTOMERS, email);
    await deliver(bridge, 'customer.updated', customer(951, email, 2, [], { first_name: 'Renamed' }));
    await deliver(bridge, 'subscription.created', subscription(9051, 951, email, 'active', 3));
    assert.equal(subscribesTo(CUSTOMERS, email), before);
    assert.deepEqual(statusesOf(bridge.sim, email), { [CUSTOMERS]: 'unsubscribed', [ACTIVE]: 'active' });
    assert.equal(bridge.sim.contacts(ACTIVE).get(email)?.fields['First Name'], 'Renamed');
    assert.equal(resubscribeOverrides(bridge.sim), 0);
  });

  it("does not mistake the bridge's own removals for the person's unsubscribe", async () => {
    const email = 'moved-by-bridge@example.com';
    await deliver(bridge, 'subscription.created', subscription(9061, 961, email, 'active', 1));
    await deliver(bridge, 'subscription.updated', subscription(9061, 961, email, 'cancelled', 2));
    assert.equal(statusesOf(bridge.sim, email)[ACTIVE], 'unsubscribed');
    await bridge.services.zohoUnsubscribes.run();
    const contact = await contactOf('961');
    assert.deepEqual(contact.zohoUnsubscribedLists, []);
    assert.deepEqual([...contact.syncedLists].sort(), [CUSTOMERS, LAPSED]);
  });

  it('leaves an address Zoho already had as unsubscribed unsubscribed, and records it', async () => {
    const email = 'unsubscribed-before@example.com';
    bridge.sim.setContactStatus(CUSTOMERS, email, 'unsubscribed');
    await deliver(bridge, 'customer.created', customer(971, email, 1));
    // The bridge asked without the override; Zoho said success and kept the opt-out.
    assert.equal(statusesOf(bridge.sim, email)[CUSTOMERS], 'unsubscribed');
    await bridge.services.zohoUnsubscribes.run();
    assert.deepEqual((await contactOf('971')).zohoUnsubscribedLists, [CUSTOMERS]);
    const before = subscribesTo(CUSTOMERS, email);
    await deliver(bridge, 'customer.updated', customer(971, email, 2, [], { first_name: 'Again' }));
    assert.equal(subscribesTo(CUSTOMERS, email), before);
    assert.equal(resubscribeOverrides(bridge.sim), 0);
  });

  it('pages through long unsubscribe lists (650 a page) and picks up where it stopped', async () => {
    const email = 'far-down@example.com';
    // Zoho pages in the order contacts were added: 700 older opt-outs come first.
    for (let index = 0; index < 700; index++) bridge.sim.setContactStatus(LAPSED, `filler-${index}@example.com`, 'unsubscribed');
    for (let index = 0; index < 700; index++) bridge.sim.setContactStatus(CUSTOMERS, `filler-${index}@example.com`, 'unsubscribed');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await deliver(bridge, 'customer.created', customer(981, email, 1));
    bridge.sim.setContactStatus(CUSTOMERS, email, 'unsubscribed');

    // One call per run: the first run reads a page of the first list only, then the rest follows.
    for (let run = 0; run < 8 && (await contactOf('981')).zohoUnsubscribedLists.length === 0; run++) {
      const summary = await bridge.services.zohoUnsubscribes.run(1);
      assert.equal(summary.calls, 1);
    }
    assert.deepEqual((await contactOf('981')).zohoUnsubscribedLists, [CUSTOMERS]);
    const pages = bridge.sim
      .callsTo('getlistsubscribers')
      .filter((call) => call.params.listkey === CUSTOMERS)
      .map((call) => call.params.fromindex);
    assert.ok(pages.includes('651'), `second page read (fromindex ${pages.join(', ')})`);
  });
});
