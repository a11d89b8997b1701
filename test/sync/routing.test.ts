// The routing rules on their own: every subscription status from every starting point, several
// subscriptions at once, deletion, consent and Zoho-reported unsubscribes. Pure, no I/O.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { consentFromValue, consentOf, type Consent } from '../../src/sync/consent.ts';
import { desiredLists, type RoutingContact } from '../../src/sync/routing.ts';
import { SUBSCRIPTION_STATUSES } from '../../src/sync/status-rules.ts';
import { effectiveSettings, managedLists, type StoreSettingsInput } from '../../src/sync/store-settings.ts';

const C = 'customers';
const A = 'active-subscribers';
const L = 'lapsed';
const D = 'double-opt-in';

const settingsWith = (input: StoreSettingsInput = {}) =>
  effectiveSettings({ lists: { customers: C, activeSubscribers: A, lapsed: L }, ...input }, { customersList: undefined, roles: ['customer'] });

const contact = (overrides: Partial<RoutingContact> = {}): RoutingContact => ({
  deleted: false,
  retired: false,
  consent: 'not-required',
  zohoUnsubscribedLists: [],
  syncedLists: [],
  ...overrides,
});

const subs = (...statuses: string[]) => statuses.map((status) => ({ status, deleted: false }));
const sorted = (lists: string[]) => [...lists].sort();

describe('routing: one subscription, every status, from every starting point', () => {
  const settings = settingsWith();
  // What each status leads to, starting with no subscription list, on the active list, on the lapsed list.
  const matrix: Record<string, [fresh: string[], fromActive: string[], fromLapsed: string[]]> = {
    pending: [[C], [C, A], [C, L]],
    active: [
      [C, A],
      [C, A],
      [C, A],
    ],
    'on-hold': [[C], [C, A], [C, L]],
    'pending-cancel': [
      [C, A],
      [C, A],
      [C, A],
    ],
    cancelled: [
      [C, L],
      [C, L],
      [C, L],
    ],
    switched: [[C], [C, A], [C, L]],
    expired: [
      [C, L],
      [C, L],
      [C, L],
    ],
  };

  it('covers every WooCommerce Subscriptions status', () => {
    assert.deepEqual(Object.keys(matrix).sort(), [...SUBSCRIPTION_STATUSES].sort());
  });

  for (const [status, [fresh, fromActive, fromLapsed]] of Object.entries(matrix)) {
    it(`${status}: ${fresh.join('+')} | from active: ${fromActive.join('+')} | from lapsed: ${fromLapsed.join('+')}`, () => {
      assert.deepEqual(sorted(desiredLists(contact(), subs(status), settings)), sorted(fresh));
      assert.deepEqual(sorted(desiredLists(contact({ syncedLists: [C, A] }), subs(status), settings)), sorted(fromActive));
      assert.deepEqual(sorted(desiredLists(contact({ syncedLists: [C, L] }), subs(status), settings)), sorted(fromLapsed));
    });
  }

  it('walks active → on-hold → active → pending-cancel → cancelled with the lists the rules say', () => {
    const expected: Array<[string, string[]]> = [
      ['active', [C, A]],
      ['on-hold', [C, A]],
      ['active', [C, A]],
      ['pending-cancel', [C, A]],
      ['cancelled', [C, L]],
    ];
    let onLists: string[] = [];
    for (const [status, lists] of expected) {
      onLists = desiredLists(contact({ syncedLists: onLists }), subs(status), settings);
      assert.deepEqual(sorted(onLists), sorted(lists), `after ${status}`);
    }
  });

  it('without a lapsed list, an ended subscription only leaves the active list', () => {
    const noLapsed = effectiveSettings({ lists: { customers: C, activeSubscribers: A } }, { customersList: undefined, roles: [] });
    assert.deepEqual(desiredLists(contact({ syncedLists: [C, A] }), subs('cancelled'), noLapsed), [C]);
    assert.deepEqual(desiredLists(contact({ syncedLists: [C, A] }), subs('expired'), noLapsed), [C]);
  });

  it('a customer without subscriptions is on the customers list only', () => {
    assert.deepEqual(desiredLists(contact(), [], settings), [C]);
  });
});

describe('routing: several subscriptions', () => {
  const settings = settingsWith();
  const cases: Array<[string, string[], string[], string[]]> = [
    // [what, statuses, synced before, expected]
    ['one active among ended ones keeps the active list', ['cancelled', 'active', 'expired'], [C, A], [C, A]],
    ['pending-cancel beats expired', ['expired', 'pending-cancel'], [C, L], [C, A]],
    ['on-hold next to a cancelled one keeps the active list it had', ['cancelled', 'on-hold'], [C, A], [C, A]],
    ['on-hold next to a cancelled one keeps the lapsed list it had', ['on-hold', 'cancelled'], [C, L], [C, L]],
    ['all ended: lapsed', ['cancelled', 'expired'], [C, A], [C, L]],
    ['a switched subscription defers to its replacement', ['switched', 'active'], [C], [C, A]],
    ['a switched one next to a cancelled one: cancelled decides', ['switched', 'cancelled'], [C, A], [C, L]],
    ['a status added by another plugin changes nothing', ['late-payment'], [C, A], [C, A]],
    ['an unknown status never beats a known one', ['late-payment', 'cancelled'], [C, A], [C, L]],
  ];
  for (const [what, statuses, before, expected] of cases) {
    it(what, () => {
      assert.deepEqual(sorted(desiredLists(contact({ syncedLists: before }), subs(...statuses), settings)), sorted(expected));
    });
  }

  it('a deleted subscription no longer counts', () => {
    const subscriptions = [
      { status: 'active', deleted: true },
      { status: 'cancelled', deleted: false },
    ];
    assert.deepEqual(sorted(desiredLists(contact({ syncedLists: [C, A] }), subscriptions, settings)), sorted([C, L]));
    assert.deepEqual(desiredLists(contact({ syncedLists: [C, A] }), [{ status: 'active', deleted: true }], settings), [C]);
  });
});

describe('routing: per-status overrides', () => {
  it('an owner can make on-hold leave the active list, and send active to two lists', () => {
    const settings = settingsWith({ statusLists: { 'on-hold': [], active: [A, 'vip'] } });
    assert.deepEqual(desiredLists(contact({ syncedLists: [C, A, 'vip'] }), subs('on-hold'), settings), [C]);
    assert.deepEqual(sorted(desiredLists(contact(), subs('active'), settings)), sorted([C, A, 'vip']));
    // Statuses without an override still follow the simple lists.
    assert.deepEqual(sorted(desiredLists(contact(), subs('pending-cancel'), settings)), sorted([C, A]));
    assert.ok(managedLists(settings).includes('vip'));
  });

  it('keep keeps only subscription lists, never lists the rules do not name', () => {
    const settings = settingsWith();
    assert.deepEqual(sorted(desiredLists(contact({ syncedLists: [C, A, 'elsewhere'] }), subs('on-hold'), settings)), sorted([C, A]));
  });
});

describe('routing: deletion, opt-outs and consent', () => {
  const settings = settingsWith();

  it('a deleted customer leaves every list, or stays where they are when deletion is set to keep', () => {
    assert.deepEqual(desiredLists(contact({ deleted: true, syncedLists: [C, A] }), subs('active'), settings), []);
    const keep = settingsWith({ onCustomerDeleted: 'keep' });
    assert.deepEqual(desiredLists(contact({ deleted: true, syncedLists: [C, A] }), subs('cancelled'), keep), [C, A]);
  });

  it('a retired guest address leaves every list', () => {
    assert.deepEqual(desiredLists(contact({ retired: true, syncedLists: [C, A] }), subs('active'), settings), []);
  });

  it('never routes to a list Zoho reports them unsubscribed from', () => {
    assert.deepEqual(desiredLists(contact({ zohoUnsubscribedLists: [A] }), subs('active'), settings), [C]);
    assert.deepEqual(desiredLists(contact({ zohoUnsubscribedLists: [C] }), subs('cancelled'), settings), [L]);
  });

  const withGate = (consent: Consent, input: StoreSettingsInput, syncedLists: string[] = []) =>
    desiredLists(contact({ consent, syncedLists }), subs('active'), settingsWith(input));

  it('with a consent key: given follows the rules, refused and unknown join nothing', () => {
    const gate = { consent: { metaKey: 'newsletter' } };
    assert.deepEqual(sorted(withGate('given', gate)), sorted([C, A]));
    assert.deepEqual(withGate('refused', gate, [C, A]), []);
    assert.deepEqual(withGate('unknown', gate), []);
  });

  it('with a double opt-in list: no answer joins only that list; a refusal joins nothing', () => {
    const gate = { consent: { metaKey: 'newsletter', doubleOptInList: D } };
    assert.deepEqual(withGate('unknown', gate), [D]);
    assert.deepEqual(withGate('refused', gate, [D]), []);
    // Agreeing later adds the rule lists and keeps the double opt-in list they confirmed.
    assert.deepEqual(sorted(withGate('given', gate, [D])), sorted([C, A, D]));
    assert.deepEqual(withGate('unknown', { consent: { doubleOptInList: D } }), [D]);
  });
});

describe('consent values', () => {
  const table: Array<[unknown, 'given' | 'refused' | 'unknown']> = [
    ['yes', 'given'],
    ['YES ', 'given'],
    ['1', 'given'],
    ['on', 'given'],
    ['true', 'given'],
    [true, 'given'],
    [1, 'given'],
    [['yes'], 'given'],
    ['no', 'refused'],
    ['0', 'refused'],
    ['', 'refused'],
    ['off', 'refused'],
    ['false', 'refused'],
    [false, 'refused'],
    [0, 'refused'],
    [null, 'refused'],
    [[], 'refused'],
    ['maybe', 'unknown'],
    [['yes', 'no'], 'unknown'],
    [{ a: 1 }, 'unknown'],
  ];
  for (const [value, expected] of table) {
    it(`${JSON.stringify(value)} → ${expected}`, () => assert.equal(consentFromValue(value), expected));
  }

  it('reads the customer meta first, then the newest subscription meta (guests)', () => {
    const settings = settingsWith({ consent: { metaKey: 'newsletter' } });
    assert.equal(
      consentOf({ meta_data: [{ key: 'newsletter', value: 'no' }], _bridge: { subscriptionMeta: [{ key: 'newsletter', value: 'yes' }] } }, settings),
      'refused',
    );
    assert.equal(consentOf({ meta_data: [], _bridge: { subscriptionMeta: [{ key: 'newsletter', value: 'yes' }] } }, settings), 'given');
    assert.equal(consentOf({ meta_data: [] }, settings), 'unknown');
    assert.equal(consentOf({}, settingsWith()), 'not-required');
  });
});
