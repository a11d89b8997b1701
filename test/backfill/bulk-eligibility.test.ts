// Who the bulk add may put on which list, page by page, when consent and lists come from both of
// WooCommerce's collections: the subscriptions' index joined to a page of customers, the
// customer's own consent before their subscription's, never the double opt-in list, never without
// consent, never where the bridge has them already; guests through their subscriptions only.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bulkListsOf } from '../../src/backfill/bulk-eligibility.ts';
import { planCustomers, planUncovered, SubscriptionIndex, type PlannedContact } from '../../src/backfill/store-contacts.ts';
import { effectiveSettings } from '../../src/sync/store-settings.ts';

const settings = effectiveSettings(
  {
    lists: { customers: 'all', activeSubscribers: 'active' },
    consent: { metaKey: 'newsletter', doubleOptInList: 'doi' },
  },
  { customersList: undefined, roles: ['customer', 'subscriber'] },
);

const meta = (value: string) => [{ id: 1, key: 'newsletter', value }];
const customer = (id: number, extra: Record<string, unknown> = {}) => ({ id, email: `c${id}@example.com`, role: 'customer', meta_data: [], ...extra });
const subscription = (id: number, customerId: number, status: string, extra: Record<string, unknown> = {}) => ({
  id,
  customer_id: customerId,
  status,
  date_modified_gmt: `2026-01-0${id}T00:00:00`,
  billing: { email: `holder${customerId}@example.com`, first_name: 'Holder' },
  meta_data: [],
  ...extra,
});

function plannedBy(states: Map<string, { syncedLists: string[]; zohoUnsubscribedLists: string[] }> = new Map()) {
  return { contacts: { listStatesByKey: async () => states } };
}

function bulkOf(contacts: PlannedContact[]): Record<string, string[]> {
  return Object.fromEntries(contacts.map((contact) => [contact.email, bulkListsOf(contact, settings).lists]));
}

describe('bulk add: who may go on which list', () => {
  it('joins a page of customers to the subscriptions read before, consent first from the account', async () => {
    const index = new SubscriptionIndex(settings);
    // c1: agreed on the account; c2: agreed only at checkout (the subscription's meta); c3: said no
    // on the account, yes at checkout (the account wins); c4: no answer anywhere; c5: said no.
    index.add(subscription(1, 1, 'active'));
    index.add(subscription(2, 2, 'active', { meta_data: meta('yes') }));
    index.add(subscription(3, 3, 'active', { meta_data: meta('yes') }));
    const { planned } = await planCustomers(plannedBy(), 'shop', settings, index, [
      customer(1, { meta_data: meta('yes') }),
      customer(2),
      customer(3, { meta_data: meta('no') }),
      customer(4),
      customer(5, { meta_data: meta('no') }),
    ]);
    assert.deepEqual(bulkOf(planned), {
      'c1@example.com': ['all', 'active'],
      'c2@example.com': ['all', 'active'],
      'c3@example.com': [],
      'c4@example.com': [],
      'c5@example.com': [],
    });
    // No answer: only the double opt-in list, and never by bulk add.
    const unanswered = planned.find((contact) => contact.email === 'c4@example.com')!;
    assert.deepEqual(unanswered.lists, ['doi']);
    assert.deepEqual(bulkListsOf(unanswered, settings).excluded, [{ listKey: 'doi', why: 'double-opt-in' }]);
  });

  it('leaves out lists the bridge has them on already, and lists Zoho reports them unsubscribed from', async () => {
    const states = new Map([['1', { syncedLists: ['all'], zohoUnsubscribedLists: ['active'] }]]);
    const index = new SubscriptionIndex(settings);
    index.add(subscription(1, 1, 'active'));
    const { planned } = await planCustomers(plannedBy(states), 'shop', settings, index, [customer(1, { meta_data: meta('yes') })]);
    assert.deepEqual(bulkOf(planned), { 'c1@example.com': [] });
  });

  it('brings guests in through their subscriptions, and an account no customer page covered only as a holder', async () => {
    const index = new SubscriptionIndex(settings);
    index.add(subscription(1, 0, 'active', { billing: { email: 'Guest@Example.com' }, meta_data: meta('yes') }));
    index.add(subscription(2, 7, 'active', { meta_data: meta('yes') }));
    index.add(subscription(3, 8, 'active', { meta_data: meta('yes') }));
    // Customer 8's account was read (and said no); customer 7's was not (another role).
    await planCustomers(plannedBy(), 'shop', settings, index, [customer(8, { meta_data: meta('no') })]);
    const uncovered: PlannedContact[] = [];
    await planUncovered(plannedBy(), 'shop', settings, index, (chunk) => void uncovered.push(...chunk));
    assert.deepEqual(
      uncovered.map((contact) => [contact.key, contact.from, contact.email]),
      [
        ['guest:guest@example.com', 'guest', 'Guest@Example.com'],
        ['7', 'holder', 'holder7@example.com'],
      ],
    );
    assert.deepEqual(bulkListsOf(uncovered[0]!, settings).lists, ['all', 'active']);
  });

  it('keeps only what routing needs of each subscription: the newest one’s consent decides', async () => {
    const index = new SubscriptionIndex(settings);
    index.add(subscription(2, 1, 'cancelled', { meta_data: meta('no'), date_modified_gmt: '2026-02-01T00:00:00' }));
    index.add(subscription(1, 1, 'active', { meta_data: meta('yes'), date_modified_gmt: '2026-01-01T00:00:00' }));
    const { planned } = await planCustomers(plannedBy(), 'shop', settings, index, [customer(1)]);
    assert.equal(planned[0]!.consent, 'refused', 'the newer subscription said no');
    assert.deepEqual(index.byStatus, { cancelled: 1, active: 1 });
  });
});
