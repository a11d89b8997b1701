// The JSON API (/api/v1): opened by a bearer token made on the dashboard and by nothing else (not
// the dashboard's session cookie), described by an OpenAPI document, and giving the same reads and
// actions as the pages.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { textOf, type Browser } from '../support/browser.ts';
import { signedInBrowser } from '../support/owner.ts';
import { deliver, settled, wooTime } from '../support/sync.ts';
import { customerBody } from '../support/woocommerce.ts';

describe('the JSON API', () => {
  let bridge: TestBridge;
  let browser: Browser;
  let token: string;
  let failedId: string;
  let syncedId: string;

  const api = (path: string, init: RequestInit & { token?: string | null } = {}) => {
    const { token: given, ...rest } = init;
    const bearer = given === undefined ? token : given;
    return fetch(`${bridge.url}/api/v1${path}`, {
      ...rest,
      headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...(rest.body ? { 'content-type': 'application/json' } : {}) },
    });
  };

  before(async () => {
    bridge = await startBridge();
    browser = await signedInBrowser(bridge);
    syncedId = (
      await deliver(bridge, 'customer.created', customerBody({ id: 41, email: 'ana@example.com', first_name: 'Ana', date_modified_gmt: wooTime(0) }))
    ).id.toString();
    failedId = (
      await deliver(bridge, 'customer.created', customerBody({ id: 42, email: 'zoe@example', first_name: 'Zoë', date_modified_gmt: wooTime(1) }))
    ).id.toString();
    const page = await browser.get('/admin/api-tokens');
    const made = await browser.submit(page, '/admin/api-tokens', { name: 'Monitoring' });
    token = /<code class="secret">(wzb_[\w-]{43})<\/code>/.exec(made.body)![1]!;
    assert.match(textOf(made.body), /New API token: Monitoring The token, shown only this once/);
  });
  after(() => bridge.close());

  it('answers 401 without a token, with a wrong one, and with only the dashboard’s session cookie', async () => {
    const without = await api('/events', { token: null });
    assert.equal(without.status, 401);
    assert.equal(without.headers.get('www-authenticate'), 'Bearer realm="woo-zoho-bridge"');
    assert.deepEqual(Object.keys((await without.json()) as object), ['ok', 'error', 'message']);
    assert.equal((await api('/events', { token: `wzb_${'A'.repeat(43)}` })).status, 401);
    assert.equal((await api('/events', { token: 'not even the format' })).status, 401);
    // The signed-in browser sends its session cookie; the API does not care.
    const withCookie = await browser.get('/api/v1/events');
    assert.equal(withCookie.status, 401);
    assert.equal((await browser.get('/api/v1/overview')).status, 401);
    const retryWithCookie = await browser.post(`/api/v1/events/${failedId}/retry`, {});
    assert.equal(retryWithCookie.status, 401);
    assert.equal((await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: BigInt(failedId) } })).status, 'failed');
  });

  it('answers with a token, and the token stores only its hash and when it was last used', async () => {
    const response = await api('/events');
    assert.equal(response.status, 200);
    const stored = await bridge.services.db.apiToken.findFirstOrThrow();
    assert.notEqual(stored.tokenHash, token);
    assert.doesNotMatch(
      JSON.stringify(stored, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value)),
      new RegExp(token.slice(4)),
    );
    assert.ok(stored.lastUsedAt, 'last use is recorded');
  });

  it('tells browsers not to guess the type of its answers nor keep them, whatever the answer', async () => {
    const answers = [
      await api('/events'),
      await api(`/events/${syncedId}`),
      await api('/events', { token: null }),
      await api('/events/99999999'),
      await api('/events?status=nonsense'),
      await fetch(`${bridge.url}/api/v1/openapi.json`),
    ];
    assert.deepEqual(
      answers.map((answer) => answer.status),
      [200, 200, 401, 404, 400, 200],
    );
    for (const answer of answers) {
      assert.equal(answer.headers.get('x-content-type-options'), 'nosniff', answer.url);
      assert.equal(answer.headers.get('cache-control'), 'no-store', answer.url);
    }
  });

  it('publishes an OpenAPI document listing every route with its schemas', async () => {
    const response = await fetch(`${bridge.url}/api/v1/openapi.json`);
    assert.equal(response.status, 200);
    const document = (await response.json()) as {
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown>; parameters?: unknown[] }>>;
      components: { securitySchemes: unknown };
      security: unknown;
    };
    assert.equal(document.openapi, '3.1.0');
    assert.deepEqual(Object.keys(document.paths).sort(), [
      '/api/v1/contacts/{email}',
      '/api/v1/contacts/{email}/sync',
      '/api/v1/events',
      '/api/v1/events/retry',
      '/api/v1/events/{id}',
      '/api/v1/events/{id}/discard',
      '/api/v1/events/{id}/retry',
      '/api/v1/overview',
    ]);
    assert.deepEqual(Object.keys(document.paths['/api/v1/events']!), ['get']);
    assert.deepEqual(Object.keys(document.paths['/api/v1/events/{id}/retry']!), ['post']);
    assert.ok(document.paths['/api/v1/events']!.get!.responses['200'], 'responses are described');
    assert.ok((document.paths['/api/v1/events']!.get!.parameters ?? []).length >= 7, 'the filter is described');
    assert.deepEqual(document.components.securitySchemes, { bearerToken: { type: 'http', scheme: 'bearer' } });
    assert.deepEqual(document.security, [{ bearerToken: [] }]);
  });

  it('lists and filters the sync log, and validates the filter', async () => {
    const all = (await (await api('/events')).json()) as {
      events: Array<{ id: string; status: string; person: { email: string } }>;
      total: number;
      nextCursor: string | null;
    };
    assert.deepEqual(
      all.events.map((event) => event.id),
      [failedId, syncedId],
    );
    assert.equal(all.total, 2);
    assert.equal(all.nextCursor, null);
    const failed = (await (await api('/events?status=failed')).json()) as typeof all;
    assert.deepEqual(
      failed.events.map((event) => [event.id, event.person.email, event.status]),
      [[failedId, 'zoe@example', 'failed']],
    );
    const paged = (await (await api('/events?limit=1')).json()) as typeof all;
    assert.equal(paged.nextCursor, failedId);
    const next = (await (await api(`/events?limit=1&before=${paged.nextCursor}`)).json()) as typeof all;
    assert.deepEqual(
      next.events.map((event) => event.id),
      [syncedId],
    );
    const bad = await api('/events?status=nonsense');
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: string }).error, 'invalid_request');
  });

  it('gives one change with the body as received and every call with Zoho’s answer in plain words', async () => {
    const response = await api(`/events/${failedId}`);
    assert.equal(response.status, 200);
    const detail = (await response.json()) as {
      body: string;
      headers: Record<string, string>;
      attempts: Array<{ zohoCode: string; explanation: string; contactInfo: Record<string, string> }>;
      canRetry: boolean;
    };
    const stored = await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: BigInt(failedId) } });
    assert.equal(detail.body, Buffer.from(stored.body).toString('utf8'), 'the bytes as stored, not re-serialised');
    assert.equal(detail.headers['x-wc-webhook-topic'], 'customer.created');
    assert.equal(detail.attempts[0]!.zohoCode, '2004');
    assert.match(detail.attempts[0]!.explanation, /^Zoho says this email address is not valid/);
    assert.equal(detail.attempts[0]!.contactInfo['Contact Email'], 'zoe@example');
    assert.equal(detail.canRetry, true);
    assert.equal((await api('/events/999999')).status, 404);
    assert.equal((await api('/events/abc')).status, 400);
  });

  it('retries and discards failed changes, and refuses to touch others', async () => {
    assert.equal((await api(`/events/${syncedId}/retry`, { method: 'POST' })).status, 409);
    const dryRun = await api('/events/retry', { method: 'POST', body: JSON.stringify({ dryRun: true }) });
    assert.deepEqual(await dryRun.json(), { matched: 1, retried: 0 });
    const retried = await api(`/events/${failedId}/retry`, { method: 'POST' });
    assert.equal(retried.status, 202);
    assert.equal(((await retried.json()) as { event: { id: string } }).event.id, failedId);
    const again = await settled(bridge, failedId);
    assert.equal(again.status, 'failed', 'still an invalid address');
    assert.equal(await bridge.services.db.syncAttempt.count({ where: { eventId: BigInt(failedId) } }), 2, 'a new call was made');

    const all = await api('/events/retry', { method: 'POST' });
    assert.deepEqual(await all.json(), { matched: 1, retried: 1 });
    await settled(bridge, failedId);
    const discarded = await api(`/events/${failedId}/discard`, { method: 'POST' });
    assert.equal(discarded.status, 200);
    const body = (await discarded.json()) as { event: { status: string; explanation: string } };
    assert.equal(body.event.status, 'skipped');
    assert.match(body.event.explanation, /^Discarded by the owner on/);
    assert.equal((await api(`/events/${failedId}/discard`, { method: 'POST' })).status, 409);
  });

  it('gives the overview and one person’s history', async () => {
    const overview = (await (await api('/overview')).json()) as {
      zoho: { state: string };
      stores: Array<{ id: string; sentLast24h: number }>;
      queue: unknown;
      listsubscribeQuota: { windows: unknown[] };
    };
    assert.equal(overview.zoho.state, 'connected');
    assert.deepEqual(
      overview.stores.map((store) => [store.id, store.sentLast24h]),
      [['default', 1]],
    );
    assert.equal(overview.listsubscribeQuota.windows.length, 3);
    const contact = (await (await api('/contacts/ANA%40example.com')).json()) as {
      contacts: Array<{ lists: string[]; customerId: number }>;
      events: Array<{ id: string }>;
    };
    assert.deepEqual(
      contact.contacts.map((entry) => [entry.customerId, entry.lists]),
      [[41, ['Customers']]],
    );
    assert.deepEqual(
      contact.events.map((event) => event.id),
      [syncedId],
    );
  });

  it('stops answering a token once it is revoked on the dashboard', async () => {
    const page = await browser.get('/admin/api-tokens');
    assert.match(textOf(page.body), /Monitoring .* Revoke/);
    const id = /action="\/admin\/api-tokens\/(\d+)\/revoke"/.exec(page.body)![1]!;
    const revoked = await browser.submit(page, `/admin/api-tokens/${id}/revoke`);
    assert.match(textOf(revoked.body), /The token is revoked: it no longer opens the API\./);
    assert.equal((await api('/events')).status, 401);
  });
});
