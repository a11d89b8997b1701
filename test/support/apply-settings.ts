// The people the "apply settings to everyone" tests move, and the rules that move them.
import type { TestBridge } from './bridge.ts';
import { deliver, LAPSED, ROUTING_LISTS, wooTime } from './sync.ts';
import { customerBody, fixtureJson, subscriptionBody } from './woocommerce.ts';

const BILLING = fixtureJson<{ billing: Record<string, string> }>('customer-created-42.json').billing;
export const CONSENT = 'newsletter_opt_in';

/** Four people: two said yes to the newsletter, two said no; two subscriptions went on hold. */
export async function storePeople(bridge: TestBridge): Promise<void> {
  const people: Array<[number, string, string, string[]]> = [
    [80, 'ana@example.com', 'yes', ['active', 'on-hold']],
    [81, 'bo@example.com', 'yes', ['active']],
    [82, 'cy@example.com', 'no', []],
    [83, 'di@example.com', 'no', ['active', 'on-hold']],
  ];
  for (const [id, email, consent, statuses] of people) {
    const meta = [{ id: id * 10, key: CONSENT, value: consent }];
    await deliver(bridge, 'customer.created', customerBody({ id, email, billing: { ...BILLING, email }, meta_data: meta, date_modified_gmt: wooTime(0) }));
    for (const [index, status] of statuses.entries()) {
      const body = subscriptionBody({ id: id * 100, customer_id: id, status, billing: { ...BILLING, email }, date_modified_gmt: wooTime(index + 1) });
      await deliver(bridge, index === 0 ? 'subscription.created' : 'subscription.updated', body);
    }
  }
}

/** On hold now leads to the lapsed list, and only people who said yes are mailed. */
export const NEW_RULES = { lists: ROUTING_LISTS, statusLists: { 'on-hold': [LAPSED] }, consent: { metaKey: CONSENT } };
