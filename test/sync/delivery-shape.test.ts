// A signed delivery whose payload is not of its topic's shape: the receiver stores it and answers
// 200 (a 400 would count towards WooCommerce disabling the webhook), and the worker, which checks
// the shape, fails it with the reason. Once the bridge accepts the shape, the owner's Retry syncs it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { z } from 'zod';
import { customerPayload, deliveryShapes } from '../../src/woocommerce/payloads.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { CUSTOMERS, listsOf, settled } from '../support/sync.ts';
import { customerBody, sendDelivery } from '../support/woocommerce.ts';

describe('a signed delivery of the wrong shape', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge();
  });
  after(() => bridge.close());

  async function send(topic: string, body: string) {
    const response = await sendDelivery(bridge.webhookUrl, { topic, body });
    assert.equal(response.status, 200, response.body);
    return settled(bridge, response.json().event as string);
  }

  it('is stored, answered 200, and fails in the worker naming the field', async () => {
    const noId = await send('customer.updated', '{"email":"no-id@example.com"}');
    assert.equal(noId.status, 'failed');
    assert.match(noId.statusReason ?? '', /customer\.updated payload is not usable: "id" is missing/);

    const badEmail = await send('customer.updated', customerBody({ id: 4101, email: 'bad-email@example.com', billing: { email: { nested: true } } }));
    assert.equal(badEmail.status, 'failed');
    assert.match(badEmail.statusReason ?? '', /"billing\.email" must be/);

    const noStatus = await send('subscription.updated', JSON.stringify({ id: 4102, customer_id: 4103, billing: { email: 'sub@example.com' } }));
    assert.equal(noStatus.status, 'failed');
    assert.match(noStatus.statusReason ?? '', /"status" is missing/);

    assert.equal(await bridge.services.db.rejectedDelivery.count(), 0, 'nothing was refused');
    assert.deepEqual(listsOf(bridge.sim, 'bad-email@example.com'), []);
  });

  it('syncs when retried after the bridge accepts the shape', async () => {
    const body = customerBody({ id: 4201, email: 'later@example.com', billing: 'not an address' });
    const failed = await send('customer.updated', body);
    assert.equal(failed.status, 'failed');
    assert.match(failed.statusReason ?? '', /"billing"/);

    // A newer bridge that reads such a billing field as empty: the one description is changed.
    const strict = deliveryShapes.customer;
    deliveryShapes.customer = customerPayload.extend({ billing: z.unknown().transform(() => ({})) }) as unknown as typeof strict;
    try {
      assert.equal(await bridge.services.eventActions.retry(failed.id), 'done');
      const retried = await settled(bridge, failed.id.toString());
      assert.equal(retried.status, 'synced', retried.statusReason ?? '');
      assert.deepEqual(listsOf(bridge.sim, 'later@example.com'), [CUSTOMERS]);
    } finally {
      deliveryShapes.customer = strict;
    }
  });
});
