// The overview's "Deliveries from WooCommerce": the last delivery per topic counts only what
// WooCommerce sent. A backfill stores its imports as customer.updated events, and those must not
// make a disabled customer.updated webhook look alive.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { bridgeHealth } from '../../src/use-cases/bridge-health.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { addSimulatedStore, runCli } from '../support/cli.ts';
import { customerBody, sendDelivery } from '../support/woocommerce.ts';
import type { WooCommerceSimulator } from '../../tools/woocommerce-simulator/index.ts';

describe("the overview's last delivery per topic", () => {
  let bridge: TestBridge;
  let shop: WooCommerceSimulator;
  let storeId: string;
  let secret: string;
  before(async () => {
    bridge = await startBridge();
    ({ store: shop, storeId, secret } = await addSimulatedStore(bridge, { customers: 4 }));
  });
  after(async () => {
    await shop.close();
    await bridge.close();
  });

  const lastDeliveries = async () => {
    const { services } = bridge;
    const health = await bridgeHealth(
      {
        events: services.repositories.events,
        rejections: services.repositories.rejections,
        queue: services.syncQueue,
        quota: services.zoho.quota,
        checks: services.repositories.webhookChecks,
      },
      [storeId],
    );
    return Object.fromEntries(health.stores[0]!.deliveries.map((delivery) => [delivery.topic, delivery.lastAt]));
  };

  it('leaves out events a backfill imported, and shows each delivery WooCommerce made', async () => {
    const storeUrl = `${bridge.url}/webhooks/woocommerce/${storeId}`;
    const created = await sendDelivery(storeUrl, { topic: 'customer.created', secret, body: customerBody({ id: 901, email: 'nadia@example.com' }) });
    assert.equal(created.status, 200, created.body);

    const backfill = await runCli(bridge, ['backfill', '--store', storeId, '--only', 'customers']);
    assert.equal(backfill.exitCode, undefined, backfill.text());
    const imported = await bridge.services.db.webhookEvent.count({ where: { storeId, topic: 'customer.updated' } });
    assert.ok(imported >= 4, `the backfill stored its customers as customer.updated (${imported})`);

    const before = await lastDeliveries();
    assert.ok(before['customer.created'] instanceof Date, 'the delivered customer.created counts');
    assert.equal(before['customer.updated'], undefined, 'imported customer.updated events are not deliveries');

    const updated = await sendDelivery(storeUrl, {
      topic: 'customer.updated',
      secret,
      body: customerBody({ id: 901, email: 'nadia@example.com', first_name: 'Nadia' }),
    });
    assert.equal(updated.status, 200, updated.body);
    assert.ok((await lastDeliveries())['customer.updated'] instanceof Date, 'a real customer.updated delivery counts');
  });
});
