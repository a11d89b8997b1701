// Proves the simulator behaves like docs/zoho-api.md says Zoho does, over plain HTTP. Each test gets its
// own simulator on a random port, so tests never see each other's tokens, contacts or limits.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { startZohoSimulator, type ZohoSimulator, type ZohoSimulatorOptions } from '../../tools/zoho-simulator/index.ts';
import { CLIENT, accessTokenFor, bearer, getJson, http, manualClock, postForm, subscribe } from './test-http.ts';

async function simulator(t: TestContext, options: ZohoSimulatorOptions = {}): Promise<ZohoSimulator> {
  const sim = await startZohoSimulator(options);
  t.after(() => sim.close());
  return sim;
}

const tokenUrl = (sim: ZohoSimulator, dc = 'com'): string => `${sim.accountsUrl(dc)}/oauth/v2/token`;
const refreshWith = (sim: ZohoSimulator, refreshToken: string, dc = 'com') =>
  postForm(tokenUrl(sim, dc), { ...CLIENT, grant_type: 'refresh_token', refresh_token: refreshToken });

describe('accounts: authorization_code grant', () => {
  it('exchanges a Self Client code once, then answers invalid_code inside HTTP 200', async (t) => {
    const sim = await simulator(t);
    const code = sim.issueGrantCode();
    const first = await postForm(tokenUrl(sim), { ...CLIENT, grant_type: 'authorization_code', code });
    assert.equal(first.status, 200);
    assert.match(String(first.body.access_token), /^1000\.[0-9a-f]+\.[0-9a-f]+$/);
    assert.match(String(first.body.refresh_token), /^1000\./);
    assert.equal(first.body.api_domain, 'https://www.zohoapis.com');
    assert.equal(first.body.token_type, 'Bearer');
    assert.equal(first.body.expires_in, 3600);
    assert.equal(first.body.scope, 'ZohoCampaigns.contact.ALL');
    const reuse = await postForm(tokenUrl(sim), { ...CLIENT, grant_type: 'authorization_code', code });
    assert.deepEqual(reuse, { status: 200, body: { error: 'invalid_code' } });
    assert.equal(sim.stats.codeExchanges, 1);
  });

  it('accepts parameters in the query string of a POST', async (t) => {
    const sim = await simulator(t);
    const query = new URLSearchParams({ ...CLIENT, grant_type: 'authorization_code', code: sim.issueGrantCode() });
    const response = await http.post(`${tokenUrl(sim)}?${query}`);
    assert.equal(typeof JSON.parse(response.body).access_token, 'string');
  });

  it('rejects the right client at the wrong DC with invalid_client', async (t) => {
    const sim = await simulator(t);
    const code = sim.issueGrantCode({ dc: 'eu' });
    const atUs = await postForm(tokenUrl(sim, 'com'), { ...CLIENT, grant_type: 'authorization_code', code });
    assert.deepEqual(atUs.body, { error: 'invalid_client' });
    const atEu = await postForm(tokenUrl(sim, 'eu'), { ...CLIENT, grant_type: 'authorization_code', code });
    assert.equal(atEu.body.api_domain, 'https://www.zohoapis.eu');
    // The refresh token and access token are bound to the EU DC too.
    assert.deepEqual((await refreshWith(sim, String(atEu.body.refresh_token), 'com')).body, { error: 'invalid_client' });
    const lists = (dc: string) => getJson(`${sim.campaignsUrl(dc)}/api/v1.1/getmailinglists?resfmt=JSON`, bearer(String(atEu.body.access_token)));
    assert.equal((await lists('com')).body.code, '1007');
    assert.equal((await lists('eu')).body.status, 'success');
  });

  it('accepts a multipart body with client credentials in a Basic auth header', async (t) => {
    const sim = await simulator(t);
    const form = new FormData();
    form.set('grant_type', 'authorization_code');
    form.set('code', sim.issueGrantCode());
    const basic = Buffer.from(`${CLIENT.client_id}:${CLIENT.client_secret}`).toString('base64');
    const response = await fetch(tokenUrl(sim), { method: 'POST', body: form, headers: { authorization: `Basic ${basic}` } });
    assert.equal(typeof ((await response.json()) as Record<string, unknown>).access_token, 'string');
  });

  it('names client errors: unknown client, wrong secret, client absent from a DC', async (t) => {
    const sim = await simulator(t, { clients: [{ clientId: '1000.US', clientSecret: 's', dcs: ['com'] }] });
    const exchange = (form: Record<string, string>, dc = 'com') => postForm(tokenUrl(sim, dc), { grant_type: 'authorization_code', code: 'x', ...form });
    assert.deepEqual((await exchange({ client_id: '1000.NOPE', client_secret: 's' })).body, { error: 'invalid_client' });
    assert.deepEqual((await exchange({ client_id: '1000.US', client_secret: 'wrong' })).body, { error: 'invalid_client_secret' });
    assert.deepEqual((await exchange({ client_id: '1000.US', client_secret: 's' }, 'eu')).body, { error: 'invalid_client' });
  });
});

describe('accounts: browser consent flow', () => {
  const redirectUri = 'https://shop.example/wp-json/bridge/zoho/callback';
  const authorize = (sim: ZohoSimulator, extra: Record<string, string> = {}) =>
    http.get(
      `${sim.accountsUrl('com')}/oauth/v2/auth?${new URLSearchParams({
        response_type: 'code',
        client_id: 'c1',
        scope: 'ZohoCampaigns.contact.ALL',
        redirect_uri: redirectUri,
        access_type: 'offline',
        state: 's-1',
        ...extra,
      })}`,
    );

  it('starts at the US server, redirects with the user DC, and enforces redirect_uri on exchange', async (t) => {
    const sim = await simulator(t, { userDc: 'eu', clients: [{ clientId: 'c1', clientSecret: 'k', redirectUris: [redirectUri] }] });
    const response = await authorize(sim);
    assert.equal(response.statusCode, 302);
    const location = String(response.headers.location);
    assert.ok(location.includes(`accounts-server=${encodeURIComponent(sim.accountsUrl('eu'))}`), location);
    const callback = new URL(location);
    assert.equal(callback.searchParams.get('state'), 's-1');
    assert.equal(callback.searchParams.get('location'), 'eu');
    const code = callback.searchParams.get('code')!;
    const form = { client_id: 'c1', client_secret: 'k', grant_type: 'authorization_code', code };
    assert.deepEqual((await postForm(tokenUrl(sim, 'eu'), { ...form, redirect_uri: 'https://evil.example/cb' })).body, { error: 'invalid_redirect_uri' });
    const tokens = await postForm(tokenUrl(sim, 'eu'), { ...form, redirect_uri: redirectUri });
    assert.equal(typeof tokens.body.refresh_token, 'string');

    // Re-consent yields no refresh token unless prompt=consent (docs/zoho-api.md, "Authorization").
    const again = async (extra: Record<string, string> = {}) => {
      const next = new URL(String((await authorize(sim, extra)).headers.location)).searchParams.get('code')!;
      return (await postForm(tokenUrl(sim, 'eu'), { ...form, code: next, redirect_uri: redirectUri })).body;
    };
    assert.equal((await again()).refresh_token, undefined);
    assert.equal(typeof (await again({ prompt: 'consent' })).refresh_token, 'string');
  });

  it('redirects with error=access_denied when the user denies', async (t) => {
    const sim = await simulator(t, { consent: 'deny', clients: [{ clientId: 'c1', clientSecret: 'k', redirectUris: [redirectUri] }] });
    const callback = new URL(String((await authorize(sim)).headers.location));
    assert.equal(callback.searchParams.get('error'), 'access_denied');
    assert.equal(callback.searchParams.get('code'), null);
    assert.equal((await authorize(sim, { redirect_uri: 'https://other.example/cb' })).statusCode, 400);
  });
});

describe('accounts: refresh and revoke', () => {
  it('allows 10 refreshes per refresh token per rolling 10 minutes, then Access Denied', async (t) => {
    const clock = manualClock();
    const sim = await simulator(t, { now: clock.now });
    const refreshToken = sim.createRefreshToken();
    for (let i = 0; i < 10; i += 1) {
      const { body } = await refreshWith(sim, refreshToken);
      assert.equal(typeof body.access_token, 'string', `refresh ${i + 1}`);
      assert.equal(body.refresh_token, undefined);
      clock.advance(1_000);
    }
    const throttled = await refreshWith(sim, refreshToken);
    assert.deepEqual(throttled, {
      status: 200,
      body: {
        error_description: 'You have made too many requests continuously. Please try again after some time.',
        error: 'Access Denied',
        status: 'failure',
      },
    });
    clock.advance(10 * 60_000 - 9_000); // the first refresh leaves the window
    assert.equal(typeof (await refreshWith(sim, refreshToken)).body.access_token, 'string');
    assert.equal(sim.stats.tokenRefreshes[refreshToken], 11);
    assert.equal(sim.stats.throttledRefreshes[refreshToken], 1);
  });

  it('can send the throttle body with HTTP 400', async (t) => {
    const sim = await simulator(t, { throttleStatus: 400, refreshThrottle: { limit: 1, windowMs: 60_000 } });
    const refreshToken = sim.createRefreshToken();
    await refreshWith(sim, refreshToken);
    const throttled = await refreshWith(sim, refreshToken);
    assert.equal(throttled.status, 400);
    assert.equal(throttled.body.error, 'Access Denied');
  });

  it('revokes a refresh token with its access tokens; reuse gives invalid_code and code 1007', async (t) => {
    const sim = await simulator(t);
    const refreshToken = sim.createRefreshToken();
    const accessToken = String((await refreshWith(sim, refreshToken)).body.access_token);
    const revoke = await http.post(`${sim.accountsUrl('com')}/oauth/v2/token/revoke?token=${refreshToken}`);
    assert.equal(revoke.statusCode, 200);
    assert.deepEqual((await refreshWith(sim, refreshToken)).body, { error: 'invalid_code' });
    const lists = await getJson(`${sim.campaignsUrl('com')}/api/v1.1/getmailinglists`, bearer(accessToken));
    assert.deepEqual(lists, { status: 200, body: { status: 'error', code: '1007', message: 'Unauthorized key.' } });
    const unknown = await http.post(`${sim.accountsUrl('com')}/oauth/v2/token/revoke?token=1000.nope`);
    assert.equal(unknown.statusCode, 400);

    const other = sim.createRefreshToken();
    assert.equal(sim.revokeRefreshToken(other), true);
    assert.deepEqual((await refreshWith(sim, other)).body, { error: 'invalid_code' });
  });

  it('caps live access tokens per refresh token and refresh tokens per user, dropping the oldest', async (t) => {
    const sim = await simulator(t, { maxActiveAccessTokens: 2, maxRefreshTokensPerUser: 2 });
    const refreshToken = sim.createRefreshToken();
    const minted = [];
    for (let i = 0; i < 3; i += 1) minted.push(String((await refreshWith(sim, refreshToken)).body.access_token));
    const listsWith = async (token: string) => (await getJson(`${sim.campaignsUrl('com')}/api/v1.1/getmailinglists`, bearer(token))).body.status;
    assert.deepEqual([await listsWith(minted[0]!), await listsWith(minted[1]!), await listsWith(minted[2]!)], ['error', 'success', 'success']);
    sim.createRefreshToken();
    sim.createRefreshToken(); // the third for this user and client pushes out the first
    assert.deepEqual((await refreshWith(sim, refreshToken)).body, { error: 'invalid_code' });
  });

  it('expires access tokens after expires_in; the invalid-token answer is configurable', async (t) => {
    const clock = manualClock();
    const sim = await simulator(t, { now: clock.now, invalidTokenResponse: 'http-401' });
    const accessToken = await accessTokenFor(sim);
    const lists = () => getJson(`${sim.campaignsUrl('com')}/api/v1.1/getmailinglists`, bearer(accessToken));
    assert.equal((await lists()).body.status, 'success');
    clock.advance(3600 * 1000);
    assert.deepEqual(await lists(), { status: 401, body: { status: 'error', code: '1007', message: 'Unauthorized key.' } });
  });
});

describe('campaigns: contacts', () => {
  it('subscribes, and answers 2501, 2001, 2004 and 2005 inside HTTP 200', async (t) => {
    const sim = await simulator(t);
    const token = await accessTokenFor(sim);
    const ok = await subscribe(sim, token, 'sim-customers', JSON.stringify({ 'Contact Email': 'Ann@Example.com', 'First Name': 'Ann', Nickname: 'ignored' }));
    assert.equal(ok.status, 200);
    assert.equal(ok.body.status, 'success');
    assert.equal(String(ok.body.code), '0');
    assert.deepEqual(sim.contacts('sim-customers').get('ann@example.com'), {
      status: 'active',
      fields: { 'Contact Email': 'Ann@Example.com', 'First Name': 'Ann' },
    });
    const error = async (listkey: string, contactinfo: string) => {
      const answer = await subscribe(sim, token, listkey, contactinfo);
      assert.equal(answer.status, 200);
      assert.equal(answer.body.status, 'error');
      return answer.body.code;
    };
    assert.equal(await error('no-such-list', '{"Contact Email":"a@example.com"}'), '2501');
    assert.equal(await error('sim-customers', '{"Contact Email": "a@example.com"'), '2001');
    assert.equal(await error('sim-customers', '{"First Name":"No email"}'), '2004');
    assert.equal(await error('sim-customers', '{"Contact Email":"not-an-email"}'), '2004');
    assert.equal(await error('sim-customers', '{"Contact Email":"info@example.com"}'), '2005');
  });

  it('sends the success code as number 0 and string "0" in turn', async (t) => {
    const sim = await simulator(t);
    const token = await accessTokenFor(sim);
    const codes = [];
    for (const name of ['a', 'b', 'c']) codes.push((await subscribe(sim, token, 'sim-customers', `{"Contact Email":"${name}@example.com"}`)).body.code);
    assert.deepEqual(codes, [0, '0', 0]);
  });

  it('keeps double opt-in contacts pending and unsubscribed contacts unsubscribed unless donotmail_resub', async (t) => {
    const sim = await simulator(t);
    const token = await accessTokenFor(sim);
    const doi = await subscribe(sim, token, 'sim-newsletter-doi', '{"Contact Email":"d@example.com"}');
    assert.match(String(doi.body.message), /confirmation email/);
    assert.equal(sim.contacts('sim-newsletter-doi').get('d@example.com')?.status, 'pending');

    await subscribe(sim, token, 'sim-customers', '{"Contact Email":"u@example.com"}');
    sim.setContactStatus('sim-customers', 'u@example.com', 'unsubscribed');
    await subscribe(sim, token, 'sim-customers', '{"Contact Email":"u@example.com","City":"Graz"}');
    assert.deepEqual(sim.contacts('sim-customers').get('u@example.com'), {
      status: 'unsubscribed',
      fields: { 'Contact Email': 'u@example.com', City: 'Graz' },
    });
    await subscribe(sim, token, 'sim-customers', '{"Contact Email":"u@example.com"}', { donotmail_resub: 'true' });
    assert.equal(sim.contacts('sim-customers').get('u@example.com')?.status, 'active');
  });

  it('unsubscribes, with 2103 for a contact not in the list', async (t) => {
    const sim = await simulator(t);
    const token = await accessTokenFor(sim);
    const unsubscribe = (email: string) =>
      postForm(
        `${sim.campaignsUrl('com')}/api/v1.1/json/listunsubscribe`,
        { listkey: 'sim-customers', resfmt: 'JSON', contactinfo: JSON.stringify({ 'Contact Email': email }) },
        bearer(token),
      );
    assert.equal((await unsubscribe('ghost@example.com')).body.code, '2103');
    await subscribe(sim, token, 'sim-customers', '{"Contact Email":"leaver@example.com"}');
    assert.equal((await unsubscribe('leaver@example.com')).body.message, 'User successfully unsubscribed.');
    assert.equal(sim.contacts('sim-customers').get('leaver@example.com')?.status, 'unsubscribed');
  });

  it('records a UTF-8 contactinfo byte-exact', async (t) => {
    const sim = await simulator(t);
    const token = await accessTokenFor(sim);
    const contactinfo = JSON.stringify({ 'Contact Email': 'zoe@example.com', 'First Name': 'Zoë Ñandú', 'Last Name': '山田 😀' });
    await subscribe(sim, token, 'sim-customers', contactinfo);
    const [call] = sim.callsTo('listsubscribe');
    assert.equal(call?.params.contactinfo, contactinfo);
    assert.deepEqual(call?.rawBody, Buffer.from(new URLSearchParams({ listkey: 'sim-customers', resfmt: 'JSON', contactinfo }).toString()));
    assert.equal(call?.response?.status, 200);
    assert.equal(sim.contacts('sim-customers').get('zoe@example.com')?.fields['Last Name'], '山田 😀');
  });
});

describe('campaigns: reads', () => {
  it('pages subscribers and ends with 2502; lists have string counts; allfields uses type=json', async (t) => {
    const sim = await simulator(t, { extraFields: [{ displayName: 'Customer Since' }] });
    const token = await accessTokenFor(sim);
    for (const name of ['a', 'b', 'c']) await subscribe(sim, token, 'sim-customers', `{"Contact Email":"${name}@example.com"}`);
    const page = (from: number) =>
      getJson(
        `${sim.campaignsUrl('com')}/api/v1.1/getlistsubscribers?listkey=sim-customers&resfmt=JSON&status=active&fromindex=${from}&range=2`,
        bearer(token),
      );
    assert.deepEqual(
      ((await page(1)).body.list_of_details as Array<{ contact_email: string }>).map((c) => c.contact_email),
      ['a@example.com', 'b@example.com'],
    );
    assert.equal(((await page(3)).body.list_of_details as unknown[]).length, 1);
    assert.deepEqual((await page(4)).body, {
      status: 'error',
      code: '2502',
      message: 'Yet,There are no contacts in this list.',
      uri: '/api/v1.1/getlistsubscribers',
      version: '1.1',
    });

    const lists = (await getJson(`${sim.campaignsUrl('com')}/api/v1.1/getmailinglists?resfmt=JSON&sort=asc&fromindex=1&range=10`, bearer(token))).body;
    const customers = (lists.list_of_details as Array<Record<string, unknown>>).find((l) => l.listkey === 'sim-customers');
    assert.equal(customers?.noofcontacts, '3');

    const fields = (await getJson(`${sim.campaignsUrl('com')}/api/v1.1/contact/allfields?type=json`, bearer(token))).body;
    const names = (fields.response as { fieldnames: { fieldname: Array<{ DISPLAY_NAME: string; IS_MANDATORY: boolean }> } }).fieldnames.fieldname;
    assert.deepEqual(names[0], { DISPLAY_NAME: 'Contact Email', FIELD_NAME: 'contact_email', IS_MANDATORY: true, FIELD_ID: '4000000000015' });
    assert.ok(names.some((f) => f.DISPLAY_NAME === 'Customer Since'));
  });

  it('checks the token scope per endpoint', async (t) => {
    const sim = await simulator(t);
    const readOnly = await accessTokenFor(sim, 'com', 'ZohoCampaigns.contact.READ');
    assert.equal((await getJson(`${sim.campaignsUrl('com')}/api/v1.1/getmailinglists`, bearer(readOnly))).body.status, 'success');
    assert.equal((await subscribe(sim, readOnly, 'sim-customers', '{"Contact Email":"s@example.com"}')).body.code, '2706');
  });

  it('answers a wrong URL with 1004 inside HTTP 200', async (t) => {
    const sim = await simulator(t);
    const answer = await getJson(`${sim.campaignsUrl('com')}/api/v1.1/nosuchthing`);
    assert.deepEqual(answer, { status: 200, body: { status: 'error', code: '1004', message: 'Wrong URL entered.' } });
  });
});

describe('campaigns: rate limits', () => {
  it('locks only the exceeded endpoint for the lock period and counts violations', async (t) => {
    const clock = manualClock();
    const sim = await simulator(t, { now: clock.now, limits: { listsubscribe: { windows: [{ limit: 3, windowMs: 60_000 }], lockMs: 30 * 60_000 } } });
    const token = await accessTokenFor(sim);
    const call = () => subscribe(sim, token, 'sim-customers', '{"Contact Email":"r@example.com"}');
    for (let i = 0; i < 3; i += 1) assert.equal((await call()).body.status, 'success');
    const locked = await call();
    assert.deepEqual(locked, { status: 200, body: { status: 'error', code: '2008', message: 'Calls limit exceeded' } });
    const lists = await getJson(`${sim.campaignsUrl('com')}/api/v1.1/getmailinglists`, bearer(token));
    assert.equal(lists.body.status, 'success', 'other endpoints keep working');
    clock.advance(5 * 60_000); // the minute window is clear, but the lock is not over
    assert.equal((await call()).body.code, '2008');
    clock.advance(25 * 60_000);
    assert.equal((await call()).body.status, 'success');
    assert.deepEqual(sim.stats.rateLimitViolations, { listsubscribe: 2 });
    assert.deepEqual(sim.stats.lockouts, { listsubscribe: 1 });
  });
});

describe('faults', () => {
  const listsUrl = (sim: ZohoSimulator) => `${sim.campaignsUrl('com')}/api/v1.1/getmailinglists`;

  it('answers HTML error pages, HTML with 200, truncated JSON and coded errors, in FIFO order', async (t) => {
    const sim = await simulator(t);
    const token = await accessTokenFor(sim);
    sim.injectFault({ endpoint: 'getmailinglists', kind: 'http500' });
    sim.injectFault({ endpoint: 'getmailinglists', kind: 'http503' });
    sim.injectFault({ endpoint: 'getmailinglists', kind: 'html' });
    sim.injectFault({ endpoint: 'getmailinglists', kind: 'malformed-json' });
    sim.injectFault({ endpoint: 'getmailinglists', kind: 'code', code: 2402, message: 'Display error.', times: 2 });
    const get = () => http.get(listsUrl(sim), { headers: bearer(token) });
    const r500 = await get();
    assert.equal(r500.statusCode, 500);
    assert.match(String(r500.headers['content-type']), /text\/html/);
    assert.equal((await get()).statusCode, 503);
    const page = await get();
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /^<!DOCTYPE html>/);
    const truncated = await get();
    assert.throws(() => JSON.parse(truncated.body), SyntaxError);
    for (let i = 0; i < 2; i += 1) assert.deepEqual(JSON.parse((await get()).body), { status: 'error', code: 2402, message: 'Display error.' });
    assert.equal(JSON.parse((await get()).body).status, 'success');
    assert.deepEqual(
      sim.calls.filter((c) => c.endpoint === 'getmailinglists').map((c) => c.fault),
      ['http500', 'http503', 'html', 'malformed-json', 'code', 'code', undefined],
    );
  });

  it('holds a request (timeout), resets a socket, and answers a delayed request normally', async (t) => {
    const sim = await simulator(t);
    const token = await accessTokenFor(sim);
    sim.injectFault({ endpoint: 'getmailinglists', kind: 'timeout' });
    await assert.rejects(http.get(listsUrl(sim), { headers: bearer(token), timeout: { request: 200 } }), { code: 'ETIMEDOUT' });
    sim.injectFault({ endpoint: 'token', kind: 'reset' });
    await assert.rejects(http.post(tokenUrl(sim), { form: { grant_type: 'refresh_token' } }), (error: NodeJS.ErrnoException) =>
      ['ECONNRESET', 'EPIPE'].includes(error.code ?? ''),
    );
    sim.injectFault({ endpoint: 'getmailinglists', kind: 'timeout', delayMs: 150 });
    const started = Date.now();
    const slow = await getJson(listsUrl(sim), bearer(token));
    assert.ok(Date.now() - started >= 140);
    assert.equal(slow.body.status, 'success');
  });

  it('closes promptly while a request is held forever', async () => {
    const sim = await startZohoSimulator();
    sim.injectFault({ endpoint: '*', kind: 'timeout' });
    const pending = http.get(`${sim.baseUrl}/`).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await sim.close();
    assert.ok((await pending) instanceof Error);
  });
});

describe('reset', () => {
  it('forgets tokens, contacts, calls and stats but keeps serving', async (t) => {
    const sim = await simulator(t);
    const token = await accessTokenFor(sim);
    await subscribe(sim, token, 'sim-customers', '{"Contact Email":"x@example.com"}');
    sim.reset();
    assert.equal(sim.calls.length, 0);
    assert.equal(sim.contacts('sim-customers').size, 0);
    assert.equal(sim.stats.codeExchanges, 0);
    assert.equal((await subscribe(sim, token, 'sim-customers', '{"Contact Email":"x@example.com"}')).body.code, '1007');
    assert.throws(() => sim.contacts('no-such-list'), /Unknown listkey/);
  });
});
