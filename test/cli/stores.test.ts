// `stores add | list | credentials` against a WooCommerce REST stand-in: generated secrets shown
// once and kept encrypted, webhook URLs, REST keys checked before they are kept.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { addSimulatedStore, runCli } from '../support/cli.ts';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../tools/woocommerce-simulator/index.ts';

describe('cli: stores', () => {
  let bridge: TestBridge;
  let firstShop: WooCommerceSimulator;
  const shops: WooCommerceSimulator[] = [];
  before(async () => {
    // The first store's address comes from WC_STORE_URL, as in production.
    firstShop = await startWooCommerceSimulator();
    shops.push(firstShop);
    bridge = await startBridge({ workers: false, env: { WC_STORE_URL: firstShop.baseUrl } });
  });
  after(async () => {
    await Promise.all(shops.map((shop) => shop.close()));
    await bridge.close();
  });

  it('adds a store with a generated URL-safe secret, shown once and stored encrypted', async () => {
    const { store, storeId, secret } = await addSimulatedStore(bridge);
    shops.push(store);
    assert.equal(storeId, 'simulated-shop');
    assert.match(secret, /^[A-Za-z0-9_-]{43}$/);
    const row = await bridge.services.db.store.findUniqueOrThrow({ where: { id: storeId } });
    assert.equal(row.url, store.baseUrl);
    assert.ok(row.webhookSecretEnc && !row.webhookSecretEnc.includes(secret), 'the secret is not stored in clear');
    assert.ok(row.restCredentialsEnc && !row.restCredentialsEnc.includes(store.consumerSecret), 'the REST key is not stored in clear');
    assert.equal((await bridge.services.repositories.stores.findWithSecret(storeId))?.webhookSecret, secret);
    assert.deepEqual(bridge.services.repositories.stores.restCredentialsOf(row), { consumerKey: store.consumerKey, consumerSecret: store.consumerSecret });
    // The key was tried once against the store before it was kept.
    assert.ok(store.requests.some((request) => request.path === '/wp-json/wc/v3/webhooks' && request.status === 200));

    const list = await runCli(bridge, ['stores', 'list']);
    assert.equal(list.exitCode, undefined);
    assert.match(list.text(), new RegExp(`webhook URL: +${bridge.url}/webhooks/woocommerce/${storeId}`));
    assert.match(list.text(), /^default /m, 'the configured first store is listed too');
    assert.doesNotMatch(list.text(), new RegExp(secret), 'list never shows the secret again');
  });

  it('gives a second store with the same name its own id, and refuses the same URL twice', async () => {
    const shop = await startWooCommerceSimulator();
    shops.push(shop);
    const second = await runCli(bridge, ['stores', 'add', '--url', shop.baseUrl, '--name', 'Simulated shop']);
    assert.match(second.text(), /Added store "simulated-shop-2"/);
    const again = await runCli(bridge, ['stores', 'add', '--url', `${shop.baseUrl}/`]);
    assert.equal(again.exitCode, 1);
    assert.match(again.text(), /already store "simulated-shop-2"/);
  });

  it('refuses a REST key WooCommerce rejects, and adds nothing', async () => {
    const shop = await startWooCommerceSimulator();
    shops.push(shop);
    const run = await runCli(bridge, [
      'stores',
      'add',
      '--url',
      shop.baseUrl,
      '--name',
      'Wrong key',
      '--consumer-key',
      shop.consumerKey,
      '--consumer-secret',
      'cs_wrong',
    ]);
    assert.equal(run.exitCode, 1);
    assert.match(run.text(), /refused the REST API key: Invalid signature - provided signature does not match/);
    assert.match(run.text(), /WooCommerce › Settings › Advanced › REST API/);
    assert.equal(await bridge.services.db.store.count({ where: { name: 'Wrong key' } }), 0);
  });

  it('says so when a read-only key is asked to create webhooks', async () => {
    // Reading works with a read key, so the store is added; creating webhooks does not.
    const { store, storeId } = await addSimulatedStore(bridge, { permissions: 'read' });
    shops.push(store);
    const register = await runCli(bridge, ['webhooks', 'register', '--store', storeId]);
    assert.equal(register.exitCode, 1);
    assert.match(register.text(), /does not have write permissions/);
  });

  it('sets a REST key on the configured first store', async () => {
    const shop = firstShop;
    const run = await runCli(bridge, ['stores', 'credentials', 'default', '--consumer-key', shop.consumerKey, '--consumer-secret', shop.consumerSecret]);
    assert.equal(run.exitCode, undefined, run.text());
    const row = await bridge.services.db.store.findUniqueOrThrow({ where: { id: 'default' } });
    assert.equal(bridge.services.repositories.stores.restCredentialsOf(row)?.consumerKey, shop.consumerKey);
  });

  it('says how to fix a bad argument', async () => {
    const run = await runCli(bridge, ['stores', 'add', '--url', 'shop.example.com']);
    assert.equal(run.exitCode, 1);
    assert.match(run.text(), /give the full address, e.g. https:\/\/shop.example.com/);
  });
});
