// Refused deliveries cannot fill the disk (docs/security.md, "Refused deliveries"): a refusal keeps
// the start of its body and the hash of the whole, each store keeps its newest refusals up to a
// cap (and refusals at no known store share one), and past a rate per client address the answer
// is 429 and nothing is stored. A correctly signed delivery is never held back by any of it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { registry } from '../../src/metrics.ts';
import { KEPT_BODY_BYTES } from '../../src/use-cases/refuse-delivery.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { customerBody, deliveryRequest, postRaw } from '../support/woocommerce.ts';

function from(address: string, options: Parameters<typeof deliveryRequest>[0]) {
  const { headers, body } = deliveryRequest(options);
  return { headers: [...headers, ['X-Forwarded-For', address]] as Array<[string, string]>, body };
}

async function rateLimitedCount(): Promise<number> {
  const metric = await registry.getSingleMetric('wzb_webhook_deliveries_total')!.get();
  return metric.values.filter((value) => value.labels.outcome === 'rate_limited').reduce((sum, value) => sum + value.value, 0);
}

describe('refused deliveries are bounded', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({
      workers: false,
      env: { REFUSALS_KEPT_PER_STORE: '5', REFUSALS_KEPT_WITHOUT_STORE: '3', REFUSALS_PER_ADDRESS_PER_MINUTE: '4', WEBHOOK_BODY_LIMIT_BYTES: '2000000' },
    });
  });
  after(() => bridge.close());
  const rejections = () => bridge.services.db.rejectedDelivery.findMany({ orderBy: { id: 'asc' } });

  it('keeps only the start of a large refused body, with the size and hash of the whole', async () => {
    const body = Buffer.concat([Buffer.from(customerBody({ id: 77 })), Buffer.alloc(1_000_000, 0x20)]);
    const request = from('198.51.100.1', { topic: 'customer.updated', body, secret: 'not-the-secret' });
    const response = await postRaw(bridge.webhookUrl, request.headers, request.body);
    assert.equal(response.status, 401);
    const [kept] = await rejections();
    assert.equal(kept?.bodySize, body.length);
    assert.equal(kept?.bodySha256, createHash('sha256').update(body).digest('hex'));
    assert.equal(kept?.body?.length, KEPT_BODY_BYTES);
    assert.deepEqual(Buffer.from(kept!.body!), body.subarray(0, KEPT_BODY_BYTES));
  });

  it('keeps the newest refusals of a store up to its cap, and of unknown stores up to theirs', async () => {
    await bridge.services.db.rejectedDelivery.deleteMany();
    for (let n = 0; n < 8; n++) {
      const request = from(`198.51.100.${10 + n}`, {
        topic: 'customer.updated',
        body: customerBody({ id: 100 + n }),
        secret: 'wrong',
        deliveryId: `store-${n}`,
      });
      assert.equal((await postRaw(bridge.webhookUrl, request.headers, request.body)).status, 401);
    }
    for (let n = 0; n < 6; n++) {
      const request = from(`198.51.100.${30 + n}`, { topic: 'customer.updated', body: customerBody({ id: 200 + n }), deliveryId: `nowhere-${n}` });
      assert.equal((await postRaw(`${bridge.webhookUrl}/made-up-${n}`, request.headers, request.body)).status, 404);
    }
    const kept = await rejections();
    assert.deepEqual(
      kept.filter((row) => row.storeId === 'default').map((row) => row.deliveryId),
      ['store-3', 'store-4', 'store-5', 'store-6', 'store-7'],
    );
    assert.deepEqual(
      kept.filter((row) => row.storeId === null).map((row) => row.deliveryId),
      ['nowhere-3', 'nowhere-4', 'nowhere-5'],
    );
    assert.equal(kept.length, 8);
  });

  it('files a body refused for its size at a made-up store under no store', async () => {
    const request = from('198.51.100.50', { topic: 'customer.updated', body: Buffer.alloc(2_100_000, 0x7b) });
    const response = await postRaw(`${bridge.webhookUrl}/another-made-up-store`, request.headers, request.body);
    assert.equal(response.status, 413);
    const last = (await rejections()).at(-1);
    assert.equal(last?.reason, 'too_large');
    assert.equal(last?.storeId, null);
    assert.equal(last?.body, null);
  });

  it('answers 429 past the rate per address, counts but does not store it, and never holds back a signed delivery', async () => {
    await bridge.services.db.rejectedDelivery.deleteMany();
    const limitedBefore = await rateLimitedCount();
    const statuses: number[] = [];
    for (let n = 0; n < 7; n++) {
      const request = from('203.0.113.66', { topic: 'customer.updated', body: customerBody({ id: 300 + n }), secret: 'wrong' });
      statuses.push((await postRaw(bridge.webhookUrl, request.headers, request.body)).status);
    }
    assert.deepEqual(statuses, [401, 401, 401, 401, 429, 429, 429]);
    assert.equal((await rejections()).length, 4);
    assert.equal((await rateLimitedCount()) - limitedBefore, 3);

    // The same address, correctly signed: stored as always.
    const good = from('203.0.113.66', { topic: 'customer.updated', body: customerBody({ id: 399 }) });
    const answer = await postRaw(bridge.webhookUrl, good.headers, good.body);
    assert.equal(answer.status, 200);
    assert.equal(await bridge.services.db.webhookEvent.count({ where: { resourceId: '399' } }), 1);
    // Correctly signed but refused for its content (not JSON): refused for that reason, never limited.
    const signedBadJson = from('203.0.113.66', { topic: 'customer.updated', body: '{"id": 4' });
    const badJson = await postRaw(bridge.webhookUrl, signedBadJson.headers, signedBadJson.body);
    assert.equal(badJson.status, 400);
    assert.equal(badJson.json().error, 'malformed_json');
    // Another address is not affected by the first one's refusals.
    const other = from('203.0.113.67', { topic: 'customer.updated', body: customerBody({ id: 398 }), secret: 'wrong' });
    assert.equal((await postRaw(bridge.webhookUrl, other.headers, other.body)).status, 401);
  });
});
