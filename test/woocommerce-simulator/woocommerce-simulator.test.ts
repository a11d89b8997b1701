// The WooCommerce stand-in itself keeps to WooCommerce's rules (docs/woocommerce-webhooks.md, "The ping"), so
// tests built on it mean something: pings on creation, secrets never returned, the 7th failed
// delivery disables a webhook, and re-enabling does not reset the failure count.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../tools/woocommerce-simulator/index.ts';

describe('woocommerce simulator', () => {
  let shop: WooCommerceSimulator;
  let receiver: ReturnType<typeof createServer>;
  let receiverUrl: string;
  let answer = 500;
  before(async () => {
    shop = await startWooCommerceSimulator({ customers: 1, isSsl: true });
    receiver = createServer((request, response) => {
      request.resume();
      request.on('end', () => response.writeHead(answer).end());
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  after(async () => {
    await shop.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  const rest = (path: string, init: RequestInit = {}) =>
    fetch(`${shop.baseUrl}/wp-json/wc/v3/${path}`, {
      ...init,
      headers: {
        authorization: `Basic ${Buffer.from(`${shop.consumerKey}:${shop.consumerSecret}`).toString('base64')}`,
        'content-type': 'application/json',
        ...init.headers,
      },
    });

  it('creates webhooks active, pings them, and never returns the secret', async () => {
    const response = await rest('webhooks', {
      method: 'POST',
      body: JSON.stringify({ topic: 'customer.updated', delivery_url: receiverUrl, secret: 's3cret', status: 'paused' }),
    });
    assert.equal(response.status, 201);
    const body = (await response.json()) as Record<string, unknown>;
    assert.equal(body.status, 'active', 'status is ignored on create');
    assert.equal('secret' in body, false);
    assert.equal(shop.webhooks.sent.filter((sent) => sent.kind === 'ping').length, 1);
    assert.equal((await rest('webhooks', { method: 'POST', body: JSON.stringify({ topic: 'customer.restored', delivery_url: receiverUrl }) })).status, 400);
  });

  it('disables a webhook on the 7th failed delivery in a row, and keeps the count when re-enabled', async () => {
    const [webhook] = [...shop.webhooks.webhooks.values()];
    const customer = shop.customers[0]!;
    for (let attempt = 1; attempt <= 6; attempt++) {
      await shop.updateCustomer(Number(customer.id), { last_name: `Try ${attempt}` });
      assert.equal(webhook!.status, 'active', `still active after ${attempt} failures`);
    }
    await shop.updateCustomer(Number(customer.id), { last_name: 'Try 7' });
    assert.equal(webhook!.status, 'disabled');
    const listed = (await (await rest('webhooks?status=disabled')).json()) as Array<Record<string, unknown>>;
    assert.deepEqual(
      listed.map((entry) => entry.id),
      [webhook!.id],
    );

    assert.equal((await rest(`webhooks/${webhook!.id}`, { method: 'PUT', body: JSON.stringify({ status: 'active' }) })).status, 200);
    assert.equal(webhook!.failureCount, 6);
    await shop.updateCustomer(Number(customer.id), { last_name: 'Try 8' });
    assert.equal(webhook!.status, 'disabled', 'one more failure disables it again');

    answer = 200;
    await rest(`webhooks/${webhook!.id}`, { method: 'PUT', body: JSON.stringify({ status: 'active' }) });
    await shop.updateCustomer(Number(customer.id), { last_name: 'Fine' });
    assert.equal(webhook!.failureCount, 0, 'only a successful delivery resets it');
  });

  it('answers 401 without a valid key', async () => {
    assert.equal((await fetch(`${shop.baseUrl}/wp-json/wc/v3/customers`)).status, 401);
    const wrong = await fetch(`${shop.baseUrl}/wp-json/wc/v3/customers`, {
      headers: { authorization: `Basic ${Buffer.from('ck_x:cs_y').toString('base64')}` },
    });
    assert.equal(wrong.status, 401);
    assert.equal(((await wrong.json()) as { code: string }).code, 'woocommerce_rest_authentication_error');
  });
});
