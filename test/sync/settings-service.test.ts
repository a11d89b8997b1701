// Saving store settings: a field mapping or list the Zoho account does not have is refused when
// it is saved, with the reason named; contact/allfields is asked once and cached.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_FIELD_MAPPING } from '../../src/sync/store-settings.ts';
import { CATALOG_TTL_MS } from '../../src/zoho/catalog.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { CUSTOMERS, deliver, ROUTING_LISTS, wooTime } from '../support/sync.ts';
import { customerBody } from '../support/woocommerce.ts';

const withTier = [...DEFAULT_FIELD_MAPPING, { source: 'meta:loyalty_tier', zohoField: 'Loyalty Tier' }];

describe('store settings: saving checks the Zoho account', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ simulator: { extraFields: [{ displayName: 'Loyalty Tier' }] } });
  });
  after(() => bridge.close());

  const storedSettings = async () => (await bridge.services.db.store.findUniqueOrThrow({ where: { id: 'default' } })).settings;
  const save = (input: unknown) => bridge.services.storeSettings.save('default', input);

  it('refuses a mapping to a field Zoho does not have, naming it, and stores nothing', async () => {
    const before = await storedSettings();
    const result = await save({ lists: ROUTING_LISTS, fieldMapping: [...withTier, { source: 'meta:favourite_colour', zohoField: 'Favourite Colour' }] });
    assert.equal(result.ok, false);
    assert.ok(!result.ok);
    assert.equal(result.problems.length, 1);
    assert.match(result.problems[0]!, /no contact field "Favourite Colour" \(mapped from Custom field: favourite_colour\)/);
    assert.deepEqual(await storedSettings(), before);
  });

  it('points at the right spelling when only the case differs', async () => {
    const result = await save({ fieldMapping: [{ source: 'first_name', zohoField: 'first name' }] });
    assert.ok(!result.ok);
    assert.match(result.problems[0]!, /Did you mean "First Name"\?/);
  });

  it('accepts a custom Zoho field, and the next sync fills it', async () => {
    const result = await save({ lists: ROUTING_LISTS, fieldMapping: withTier });
    assert.equal(result.ok, true, JSON.stringify(result));
    const event = await deliver(
      bridge,
      'customer.created',
      customerBody({ id: 701, email: 'tiered@example.com', meta_data: [{ id: 1, key: 'loyalty_tier', value: 'gold' }], date_modified_gmt: wooTime(1) }),
    );
    assert.equal(event.status, 'synced');
    assert.equal(bridge.sim.contacts(CUSTOMERS).get('tiered@example.com')?.fields['Loyalty Tier'], 'gold');
  });

  it('asks contact/allfields once and keeps the answer for ten minutes', async () => {
    assert.equal(bridge.sim.callsTo('allfields').length, 1);
    for (let attempt = 0; attempt < 3; attempt++) assert.equal((await save({ lists: ROUTING_LISTS, fieldMapping: withTier })).ok, true);
    assert.equal(bridge.sim.callsTo('allfields').length, 1);
    const ttl = await bridge.services.redis.pttl(`${bridge.config.redisPrefix}:zoho:catalog:fields`);
    assert.ok(ttl > 0 && ttl <= CATALOG_TTL_MS, `ttl ${ttl}`);
  });

  it('refuses a list key the account does not have', async () => {
    const result = await save({ lists: { ...ROUTING_LISTS, lapsed: 'no-such-list' } });
    assert.ok(!result.ok);
    assert.deepEqual(result.problems, ['lists: Zoho Campaigns has no mailing list with the key "no-such-list".']);
  });

  it('names every problem of shape and rules before asking Zoho anything', async () => {
    const result = await save({
      fieldMaping: [],
      lists: { customers: CUSTOMERS, activeSubscriber: 'x' },
      statusLists: { paused: 'keep', 'on-hold': 'sometimes' },
    });
    assert.ok(!result.ok);
    const text = result.problems.join('\n');
    assert.match(text, /Unrecognized key: "fieldMaping"/);
    assert.match(text, /lists: Unrecognized key: "activeSubscriber"/);
    assert.match(text, /statusLists/);

    const rules = await save({
      lists: { customers: CUSTOMERS, activeSubscribers: 'sim-active-subscribers', lapsed: 'sim-active-subscribers' },
      fieldMapping: [
        { source: 'billing.phon', zohoField: 'Phone' },
        { source: 'shipping.phone', zohoField: 'Phone' },
        { source: 'billing.email', zohoField: 'Contact Email' },
      ],
    });
    assert.ok(!rules.ok);
    const said = rules.problems.join('\n');
    assert.match(said, /both "sim-active-subscribers"/);
    assert.match(said, /"billing.phon" is not a WooCommerce value the bridge can read\. Pick one from the list/);
    assert.match(said, /"Phone" is filled by billing.phon and Shipping phone/);
    assert.match(said, /"Contact Email" is filled by the bridge itself/);
  });

  it('returns what was saved and what the sync uses', async () => {
    assert.equal((await save({ lists: ROUTING_LISTS, statusLists: { 'on-hold': [] } })).ok, true);
    const view = await bridge.services.storeSettings.get('default');
    assert.deepEqual((view?.stored as { statusLists: unknown } | undefined)?.statusLists, { 'on-hold': [] });
    assert.equal(view?.effective.roles.join(','), 'customer,subscriber');
    assert.deepEqual(view?.effective.fieldMapping, DEFAULT_FIELD_MAPPING);
    assert.equal((await bridge.services.storeSettings.save('nope', {})).ok, false);
  });
});

describe('store settings: while Zoho is not connected', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ zohoConnected: false });
  });
  after(() => bridge.close());

  it('refuses a new mapping it cannot check, but saves changes that need no check', async () => {
    const refused = await bridge.services.storeSettings.save('default', { fieldMapping: withTier });
    assert.ok(!refused.ok);
    assert.match(refused.problems[0]!, /could not be asked which contact fields exist/);
    const saved = await bridge.services.storeSettings.save('default', { roles: ['customer'], onCustomerDeleted: 'keep' });
    assert.equal(saved.ok, true, JSON.stringify(saved));
    assert.equal(bridge.sim.calls.filter((call) => call.endpoint !== 'unknown').length, 0);
  });
});
