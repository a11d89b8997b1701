// The WooCommerce REST client against the REST stand-in: pagination headers, REST-key auth and
// the servers that drop it, and failures turned into sentences that say what to check.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createWooHttp, WooCommerceRestClient, WooRestError } from '../../src/woocommerce/rest-client.ts';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../tools/woocommerce-simulator/index.ts';

describe('woocommerce: REST client', () => {
  let shop: WooCommerceSimulator;
  let client: WooCommerceRestClient;
  before(async () => {
    shop = await startWooCommerceSimulator({ customers: 25, subscriptions: 5 });
    client = new WooCommerceRestClient(createWooHttp(2_000), shop.baseUrl, { consumerKey: shop.consumerKey, consumerSecret: shop.consumerSecret });
  });
  after(() => shop.close());

  const rejection = async (promise: Promise<unknown>) => {
    const error = await promise.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    assert.ok(error instanceof WooRestError, `a WooRestError, got ${String(error)}`);
    return error;
  };

  it('reads pages with their X-WP-Total, X-WP-TotalPages and Link headers', async () => {
    const first = await client.listPage('customers', { page: 1, per_page: 10, role: 'all', orderby: 'id', order: 'asc' });
    assert.equal(first.total, 25);
    assert.equal(first.totalPages, 3);
    assert.equal(first.hasNext, true);
    assert.deepEqual(
      first.items.map((item) => item.id),
      Array.from({ length: 10 }, (_, index) => 100 + index),
    );
    const last = await client.listPage('customers', { page: 3, per_page: 10, role: 'all', orderby: 'id', order: 'asc' });
    assert.equal(last.items.length, 5);
    assert.equal(last.hasNext, false);
  });

  it('gets only role "customer" unless asked for every role, as WooCommerce does', async () => {
    const page = await client.listPage('customers', { per_page: 100 });
    assert.equal(page.total, 23);
  });

  it('explains a refused key, a wrong page size and a missing route', async () => {
    const wrong = new WooCommerceRestClient(createWooHttp(2_000), shop.baseUrl, { consumerKey: shop.consumerKey, consumerSecret: 'cs_nope' });
    const auth = await rejection(wrong.listPage('customers', {}));
    assert.equal(auth.kind, 'auth');
    assert.equal(auth.httpStatus, 401);
    assert.match(auth.message, /Consumer secret is invalid.*consumer key and secret/);
    const big = await rejection(client.listPage('customers', { per_page: 500 }));
    assert.match(big.message, /per_page/);
    shop.setSubscriptionsPlugin(false);
    assert.equal(await client.hasSubscriptions(), false);
    shop.setSubscriptionsPlugin(true);
    assert.equal(await client.hasSubscriptions(), true);
  });

  it('falls back to keys in the query string when the server drops the Authorization header', async () => {
    const stripped = await startWooCommerceSimulator({ customers: 2, dropsAuthorizationHeader: true });
    try {
      const fallback = new WooCommerceRestClient(createWooHttp(2_000), stripped.baseUrl, {
        consumerKey: stripped.consumerKey,
        consumerSecret: stripped.consumerSecret,
      });
      assert.equal((await fallback.listPage('customers', { role: 'all' })).items.length, 2);
      await fallback.listWebhooks();
      const [first, ...rest] = stripped.requests;
      assert.equal(first?.status, 401);
      assert.ok(
        rest.every((request) => request.status === 200 && request.query.consumer_key === stripped.consumerKey),
        'then stays with query keys',
      );
    } finally {
      await stripped.close();
    }
  });

  it('says when the address is wrong: a redirect, an HTML page, nothing listening', async () => {
    const other = createServer((request, response) => {
      if (request.url?.startsWith('/redirect')) response.writeHead(301, { location: 'https://www.shop.example.com/wp-json/wc/v3/customers' }).end();
      else response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>Shop</title>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const keys = { consumerKey: 'ck_x', consumerSecret: 'cs_x' };
    try {
      const redirected = await rejection(new WooCommerceRestClient(createWooHttp(2_000), `${base}/redirect`, keys).listPage('customers', {}));
      assert.match(redirected.message, /redirected customers to https:\/\/www\.shop\.example\.com.*exact address/);
      const html = await rejection(new WooCommerceRestClient(createWooHttp(2_000), base, keys).listPage('customers', {}));
      assert.match(html.message, /an HTML page that is not the WooCommerce REST API/);
    } finally {
      await new Promise<void>((resolve) => other.close(() => resolve()));
    }
    const closed = await rejection(new WooCommerceRestClient(createWooHttp(2_000), base, keys).listPage('customers', {}));
    assert.equal(closed.kind, 'unreachable');
    assert.match(closed.message, /Could not reach the store's REST API.*ECONN(REFUSED|RESET)/);
  });
});
