// Setting a store up from the dashboard, against the WooCommerce simulator over plain http (so
// every REST call is OAuth 1.0a-signed and checked): connecting with the errors in words, the
// webhooks created once and repaired, never duplicated.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_STORE_ID } from '../../src/db/stores.ts';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../tools/woocommerce-simulator/index.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';

describe('use cases: connect a store and set up its webhooks', () => {
  let bridge: TestBridge;
  let shop: WooCommerceSimulator;
  before(async () => {
    bridge = await startBridge({ workers: false });
    shop = await startWooCommerceSimulator({ customers: 3, subscriptions: 1 });
  });
  after(async () => {
    await shop?.close();
    await bridge?.close();
  });
  const connect = (fields: Partial<{ url: string; consumerKey: string; consumerSecret: string }>) =>
    bridge.services.setup.connectStore.connect(DEFAULT_STORE_ID, {
      url: shop.baseUrl,
      consumerKey: shop.consumerKey,
      consumerSecret: shop.consumerSecret,
      ...fields,
    });

  it('says in words what is wrong: nothing there, not WooCommerce, a wrong key, a read-only key', async () => {
    const nothing = await connect({ url: 'http://127.0.0.1:9' });
    assert.equal(nothing.ok, false);
    assert.equal(!nothing.ok && nothing.problem, 'unreachable');
    assert.match(!nothing.ok ? nothing.message : '', /^Nothing answered at http:\/\/127\.0\.0\.1:9 \(ECONNREFUSED\)\. Check the address/);

    const wordpress = await startWooCommerceSimulator({ woocommerce: false });
    try {
      const plain = await bridge.services.setup.connectStore.connect(DEFAULT_STORE_ID, {
        url: wordpress.baseUrl,
        consumerKey: wordpress.consumerKey,
        consumerSecret: wordpress.consumerSecret,
      });
      assert.equal(!plain.ok && plain.problem, 'not_woocommerce');
      assert.match(!plain.ok ? plain.message : '', /is a WordPress site, but WooCommerce is not active there/);
    } finally {
      await wordpress.close();
    }

    const wrong = await connect({ consumerSecret: 'cs_0000000000000000000000000000000000000000' });
    assert.equal(!wrong.ok && wrong.problem, 'wrong_key');
    assert.match(!wrong.ok ? wrong.message : '', /The store does not know this key: the consumer key or the consumer secret is wrong/);

    shop.setKeyPermissions('read');
    const readOnly = await connect({});
    shop.setKeyPermissions('read_write');
    assert.equal(!readOnly.ok && readOnly.problem, 'permission');
    assert.match(!readOnly.ok ? readOnly.message : '', /This key may only read\. .*Read\/Write permission/);
    assert.equal(shop.webhooks.webhooks.size, 0, 'checking the key created nothing');
    assert.equal(
      bridge.services.repositories.stores.restCredentialsOf((await bridge.services.repositories.stores.findById(DEFAULT_STORE_ID))!),
      undefined,
      'nothing saved',
    );
  });

  it('connects with a right key over http, signing every request', async () => {
    const connected = await connect({});
    assert.deepEqual(connected, { ok: true, storeId: DEFAULT_STORE_ID, url: shop.baseUrl, hasSubscriptions: true, signsWithOAuth: true });
    const store = (await bridge.services.repositories.stores.findById(DEFAULT_STORE_ID))!;
    assert.equal(store.url, shop.baseUrl);
    assert.equal(bridge.services.repositories.stores.restCredentialsOf(store)?.consumerKey, shop.consumerKey);
  });

  it('creates every topic once with the delivery URL and secret; a second run changes nothing', async () => {
    const first = await bridge.services.setup.setUpWebhooks.run(DEFAULT_STORE_ID);
    assert.ok(first.ok);
    assert.equal(first.changed, 7);
    assert.ok(first.check.ok, first.check.message);
    const hooks = [...shop.webhooks.webhooks.values()];
    assert.deepEqual(hooks.map((hook) => hook.topic).sort(), [
      'customer.created',
      'customer.deleted',
      'customer.updated',
      'subscription.created',
      'subscription.deleted',
      'subscription.switched',
      'subscription.updated',
    ]);
    const { webhookSecret } = (await bridge.services.repositories.stores.findWithSecret(DEFAULT_STORE_ID))!;
    for (const hook of hooks) {
      assert.equal(hook.deliveryUrl, `${bridge.url}/webhooks/woocommerce/default`);
      assert.equal(hook.secret, webhookSecret);
    }
    // WooCommerce pinged each new webhook; the bridge noted it.
    await waitFor('the pings to be noted', async () => (await bridge.services.repositories.stores.findById(DEFAULT_STORE_ID))?.lastPingAt);

    const writesBefore = shop.requests.filter((request) => request.method !== 'GET').length;
    const again = await bridge.services.setup.setUpWebhooks.run(DEFAULT_STORE_ID);
    assert.ok(again.ok);
    assert.equal(again.changed, 0);
    assert.ok(again.registration.actions.every((action) => action.outcome === 'already-active'));
    assert.equal(shop.requests.filter((request) => request.method !== 'GET').length, writesBefore, 'no write the second time');
    assert.equal(shop.webhooks.webhooks.size, 7);
  });

  it('re-enables a webhook WooCommerce disabled and recreates one that was deleted', async () => {
    const [disabled, deleted] = [...shop.webhooks.webhooks.values()];
    shop.webhooks.disableAfterFailures(disabled!.id);
    shop.webhooks.webhooks.delete(deleted!.id);
    const broken = await bridge.services.webhookWatch.checkStore((await bridge.services.repositories.stores.findById(DEFAULT_STORE_ID))!);
    assert.equal(broken.ok, false);
    assert.doesNotMatch(broken.message, /`|npx|woo-zoho-bridge/, 'the owner is told what to press, not what to type');
    assert.match(broken.message, /Fix: press “Repair the webhooks”/);

    const repaired = await bridge.services.setup.setUpWebhooks.run(DEFAULT_STORE_ID);
    assert.ok(repaired.ok);
    assert.deepEqual(
      repaired.registration.actions.filter((action) => action.outcome !== 'already-active').map((action) => [action.topic, action.outcome]),
      [
        [disabled!.topic, 're-enabled'],
        [deleted!.topic, 'created'],
      ],
    );
    assert.ok(repaired.check.ok);
    assert.equal([...shop.webhooks.webhooks.values()].filter((hook) => hook.status === 'active').length, 7);
  });
});
