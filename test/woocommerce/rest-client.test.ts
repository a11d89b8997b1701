// The WooCommerce REST client against the REST stand-in: pagination headers, REST-key auth and
// the servers that drop it, and failures turned into sentences that say what to check.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import OAuth from 'oauth-1.0a';
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
    assert.match(auth.message, /Invalid signature - provided signature does not match.*consumer key and secret/);
    const big = await rejection(client.listPage('customers', { per_page: 500 }));
    assert.match(big.message, /per_page/);
    shop.setSubscriptionsPlugin(false);
    assert.equal(await client.hasSubscriptions(), false);
    shop.setSubscriptionsPlugin(true);
    assert.equal(await client.hasSubscriptions(), true);
  });

  it('falls back to keys in the query string when the server drops the Authorization header', async () => {
    // WordPress behind an https proxy that tells it so: Basic auth would work, had the header arrived.
    const stripped = await startWooCommerceSimulator({ customers: 2, dropsAuthorizationHeader: true, isSsl: true });
    try {
      const fallback = new WooCommerceRestClient(createWooHttp(2_000), stripped.baseUrl, {
        consumerKey: stripped.consumerKey,
        consumerSecret: stripped.consumerSecret,
        authMode: 'basic',
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

  it('signs with OAuth 1.0a over plain http: no secret travels, and the store checks the signature', async () => {
    const before = shop.requests.length;
    await client.listPage('customers', { role: 'all', per_page: 5, page: 2 });
    await client.listWebhooks();
    const made = shop.requests.slice(before);
    assert.equal(client.authMode, 'oauth1');
    assert.ok(made.length >= 2);
    for (const request of made) {
      assert.equal(request.status, 200);
      assert.equal(request.query.oauth_consumer_key, shop.consumerKey);
      assert.equal(request.query.oauth_signature_method, 'HMAC-SHA256');
      assert.ok(request.query.oauth_signature && request.query.oauth_nonce && request.query.oauth_timestamp);
      assert.equal(request.query.consumer_secret, undefined, 'the secret itself never travels');
    }
    const created = await client.createWebhook({ name: 'Signed', topic: 'customer.created', deliveryUrl: 'http://127.0.0.1:9/hook', secret: 's' });
    assert.equal(created.status, 'active', 'a signed write goes through too');
  });

  it('the store refuses a replayed signature and a stale one, as WooCommerce does', async () => {
    const oauth = new OAuth({
      consumer: { key: shop.consumerKey, secret: shop.consumerSecret },
      signature_method: 'HMAC-SHA256',
      hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    });
    const url = `${shop.baseUrl}/wp-json/wc/v3/customers`;
    const signedUrl = (data: OAuth.Authorization) => `${url}?${new URLSearchParams(data as unknown as Record<string, string>)}`;
    const once = signedUrl(oauth.authorize({ url, method: 'GET' }));
    assert.equal((await fetch(once)).status, 200);
    const replayed = await fetch(once);
    assert.equal(replayed.status, 401);
    assert.match(((await replayed.json()) as { message: string }).message, /nonce has already been used/);
    const { oauth_signature: _fresh, ...unsigned } = oauth.authorize({ url, method: 'GET' });
    const old = Math.floor(Date.now() / 1000) - 16 * 60;
    const restamped = {
      ...unsigned,
      oauth_timestamp: old,
      oauth_signature: oauth.getSignature({ url, method: 'GET' }, undefined, { ...unsigned, oauth_timestamp: old } as OAuth.Data),
    };
    const staleAnswer = await fetch(signedUrl(restamped as OAuth.Authorization));
    assert.match(((await staleAnswer.json()) as { message: string }).message, /Invalid timestamp/);
  });

  it('a store on plain http refuses Basic auth and query keys, as WooCommerce does', async () => {
    for (const authMode of ['basic', 'query'] as const) {
      const unsigned = new WooCommerceRestClient(createWooHttp(2_000), shop.baseUrl, {
        consumerKey: shop.consumerKey,
        consumerSecret: shop.consumerSecret,
        authMode,
      });
      const refused = await rejection(unsigned.listPage('customers', {}));
      assert.equal(refused.httpStatus, 401);
      assert.equal(refused.code, 'woocommerce_rest_cannot_view', `${authMode}: WordPress saw no key at all`);
    }
  });

  it('says in words when a store on https answers as if it were on http', async () => {
    // The client thinks the store is on https (Basic auth), WordPress thinks it is on http.
    const proxied = new WooCommerceRestClient(createWooHttp(2_000), shop.baseUrl, {
      consumerKey: shop.consumerKey,
      consumerSecret: shop.consumerSecret,
      authMode: 'basic',
    });
    const error = await rejection(proxied.listPage('customers', {}));
    assert.equal(error.kind, 'https_seen_as_http');
    assert.match(error.message, /The store is on https, but WordPress answered as if it were on plain http.*proxy.*X-Forwarded-Proto/);
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
