// Connecting Zoho Campaigns in the browser, against the Zoho simulator over real HTTP: the whole
// flow a new user follows, and every way it can go wrong, each with a page that says what to do.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { Browser, textOf, type Page } from '../support/browser.ts';
import { callbackUrlFromZoho, connectInBrowser, OWNER_PASSWORD, signedInBrowser } from '../support/owner.ts';
import { customerBody, sendDelivery } from '../support/woocommerce.ts';

const exchanges = (bridge: TestBridge) => bridge.sim.stats.codeExchanges;

describe('connecting Zoho Campaigns in the browser', () => {
  let bridge: TestBridge;
  const pages: Page[] = [];
  before(async () => {
    bridge = await startBridge({ zohoConnected: false, listKey: null, captureLogs: true });
  });
  after(() => bridge.close());

  it('takes a new user from the first page to a connected account and a chosen list, in the browser', async () => {
    const browser = new Browser(bridge.url);
    const setup = await browser.get('/');
    const overview = await browser.submit(setup, '/admin/setup', { code: bridge.setupCode(), password: OWNER_PASSWORD, confirm: OWNER_PASSWORD });
    assert.match(textOf(overview.body), /Zoho Campaigns Not connected Connect your Zoho Campaigns account/);
    assert.match(overview.body, /href="\/oauth\/zoho\/start">Connect Zoho Campaigns</);
    // A customer arrives before Zoho is connected: stored, and waiting.
    const early = await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body: customerBody({ id: 500, email: 'early@example.com' }) });
    const earlyId = BigInt(early.json().event as string);
    await waitFor(
      'the early delivery to wait',
      async () => (await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: earlyId } })).status === 'waiting',
    );

    const lists = await connectInBrowser(browser);
    pages.push(overview, lists);
    const [start, consent, callback, listsHop] = lists.hops;
    // 1. The bridge sends the browser to the US accounts server with the documented parameters.
    const authorize = new URL(start!.location!);
    assert.equal(`${authorize.origin}${authorize.pathname}`, `${bridge.sim.accountsUrl('com')}/oauth/v2/auth`);
    const params = Object.fromEntries(authorize.searchParams);
    assert.deepEqual(
      { ...params, state: 'x' },
      {
        response_type: 'code',
        client_id: '1000.SIMCLIENT',
        scope: 'ZohoCampaigns.contact.ALL',
        redirect_uri: `${bridge.url}/oauth/zoho/callback`,
        access_type: 'offline',
        prompt: 'consent',
        state: 'x',
      },
    );
    assert.match(params.state!, /^[\w-]{43}$/);
    // 2. Zoho comes back with code, location and accounts-server; the bridge exchanges the code.
    assert.equal(consent!.status, 302);
    const back = new URL(callback!.url);
    assert.equal(back.searchParams.get('location'), 'us');
    assert.equal(back.searchParams.get('accounts-server'), bridge.sim.accountsUrl('com'));
    assert.equal(callback!.status, 303);
    assert.equal(callback!.location, '/admin/zoho/lists');
    assert.equal(exchanges(bridge), 1);
    // 3. The owner sees the account's lists and picks them.
    assert.equal(listsHop!.status, 200);
    const listsText = textOf(lists.body);
    assert.match(listsText, /Zoho Campaigns is connected \(United States \(zoho\.com\)\)/);
    for (const name of ['Customers', 'Active subscribers', 'Lapsed customers', 'Newsletter (double opt-in)']) assert.ok(listsText.includes(name), name);

    const saved = await browser.submit(lists, '/admin/zoho/lists', { customers: 'sim-customers', activeSubscribers: 'sim-active-subscribers', lapsed: '' });
    pages.push(saved);
    assert.equal(new URL(saved.url).pathname, '/admin');
    const savedText = textOf(saved.body);
    assert.match(savedText, /Saved\. Customers now go to: Customers \(every customer\), Active subscribers \(active subscribers\)/);
    assert.match(savedText, /Connected to your Zoho Campaigns account in United States \(zoho\.com\)/);
    assert.match(savedText, /Every customer Customers Active subscribers Active subscribers Former subscribers not used/);

    const connection = await bridge.services.db.zohoConnection.findUniqueOrThrow({ where: { id: 1 } });
    assert.equal(connection.origin, 'browser');
    assert.equal(connection.dataCentre, 'com');
    assert.equal(connection.accountsServer, bridge.sim.accountsUrl('com'));
    assert.equal(connection.state, 'connected');
    assert.doesNotMatch(connection.refreshTokenEnc, /^1000\./, 'the refresh token is stored encrypted');
    const store = await bridge.services.db.store.findUniqueOrThrow({ where: { id: 'default' } });
    assert.deepEqual((store.settings as { lists: unknown }).lists, { customers: 'sim-customers', activeSubscribers: 'sim-active-subscribers' });

    // 4. The delivery that waited goes through at once, and new customers reach the chosen list.
    await waitFor('the early delivery to sync', async () => bridge.sim.contacts('sim-customers').get('early@example.com')?.status === 'active', 5_000);
    const delivery = await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body: customerBody({ id: 501, email: 'first@example.com' }) });
    const eventId = delivery.json().event as string;
    await waitFor('the customer in Zoho', async () => bridge.sim.contacts('sim-customers').get('first@example.com')?.status === 'active');

    // Nothing secret was shown, logged or queued along the way.
    const jobs = await bridge.services.syncQueue.getJobs(['completed', 'waiting', 'active', 'delayed', 'failed']);
    const queued = JSON.stringify(jobs.map((job) => job.data));
    const secrets = [
      back.searchParams.get('code')!,
      bridge.services.repositories.zohoConnection.decryptRefreshToken(connection),
      ...bridge.sim.callsTo('listsubscribe').map((call) => call.headers.authorization!.replace('Zoho-oauthtoken ', '')),
      'sim-secret',
      OWNER_PASSWORD,
    ];
    const logs = bridge.logs.join('\n');
    assert.ok(logs.includes('/oauth/zoho/callback?state=%5Bredacted%5D&code=%5Bredacted%5D'), 'the callback request is logged, its code blanked');
    for (const secret of secrets) {
      assert.ok(!logs.includes(secret), `a secret appears in the logs: ${secret.slice(0, 8)}…`);
      assert.ok(!pages.some((page) => page.body.includes(secret)), `a secret appears on a page: ${secret.slice(0, 8)}…`);
      assert.ok(!queued.includes(secret), `a secret appears in a queued job: ${secret.slice(0, 8)}…`);
    }
    const jobData = { eventIds: [eventId], installation: bridge.services.installation.id };
    assert.ok(
      jobs.some((job) => JSON.stringify(job.data) === JSON.stringify(jobData)),
      "the delivery was queued by its id (and the installation's) alone",
    );
    // Customer addresses stay out of info-level lines; the sync still says what it did.
    const infoLines = bridge.logs.map((line) => JSON.parse(line) as { level: number; msg: string }).filter((line) => line.level >= 30);
    assert.ok(
      infoLines.some((line) => /^subscribed to sim-customers \(event \d+\)$/.test(line.msg)),
      'the sync is logged',
    );
    assert.ok(!infoLines.some((line) => JSON.stringify(line).includes('early@example.com')), 'an email address in an info-level line');
  });

  it('explains a reloaded callback page (its code is used) without sending the code to Zoho again', async () => {
    const browser = await signedInBrowser(bridge);
    const callbackUrl = await callbackUrlFromZoho(browser);
    const first = await browser.get(callbackUrl.toString());
    assert.equal(first.status, 200);
    const exchanged = exchanges(bridge);

    const reload = await browser.get(callbackUrl.toString());
    assert.equal(reload.status, 400);
    const text = textOf(reload.body);
    assert.match(text, /This approval was already used or has expired/);
    assert.match(text, /reloaded or opened twice/);
    assert.match(text, /Zoho Campaigns is connected and working, so nothing is lost/);
    assert.equal(exchanges(bridge), exchanged);
    assert.equal(bridge.sim.callsTo('token').filter((call) => call.params.code === callbackUrl.searchParams.get('code')).length, 1);
  });

  it('says the same when Zoho itself answers invalid_code (an expired code)', async () => {
    const browser = await signedInBrowser(bridge);
    bridge.sim.injectFault({ endpoint: 'token', kind: 'code', code: 'invalid_code' });
    const page = await connectInBrowser(browser);
    assert.equal(page.status, 400);
    assert.match(textOf(page.body), /This approval was already used or has expired .* expired/);
  });

  it('ignores a callback that was not started in this browser, and one with a changed state', async () => {
    const owner = await signedInBrowser(bridge);
    const other = await signedInBrowser(bridge);
    const before = exchanges(bridge);

    const callbackUrl = await callbackUrlFromZoho(owner);
    const elsewhere = await other.get(callbackUrl.toString());
    assert.equal(elsewhere.status, 400);
    assert.match(textOf(elsewhere.body), /This approval did not start here .* nothing was sent to Zoho/);
    // Seen by another browser, the state is burnt for its own browser too.
    assert.equal((await owner.get(callbackUrl.toString())).status, 400);

    const tampered = await callbackUrlFromZoho(owner);
    tampered.searchParams.set('state', 'A'.repeat(43));
    const forged = await owner.get(tampered.toString());
    assert.equal(forged.status, 400);
    assert.match(textOf(forged.body), /This approval did not start here/);
    assert.equal(exchanges(bridge), before);
  });

  it("never sends the code to an accounts server that is not one of Zoho's", async () => {
    const browser = await signedInBrowser(bridge);
    const tokenCalls = bridge.sim.callsTo('token').length;
    for (const [server, location] of [
      ['https://accounts.zoho.evil.example', 'us'],
      [bridge.sim.accountsUrl('eu'), 'us'],
    ] as const) {
      const callbackUrl = await callbackUrlFromZoho(browser);
      callbackUrl.searchParams.set('accounts-server', server);
      callbackUrl.searchParams.set('location', location);
      const page = await browser.get(callbackUrl.toString());
      assert.equal(page.status, 400);
      assert.match(textOf(page.body), /Zoho answered from an unknown address .* nothing was sent to it/);
    }
    assert.equal(bridge.sim.callsTo('token').length, tokenCalls);
  });

  it('explains a denied consent', async () => {
    const browser = await signedInBrowser(bridge);
    bridge.sim.setConsent('deny');
    try {
      const page = await connectInBrowser(browser);
      assert.equal(page.status, 400);
      assert.match(textOf(page.body), /Zoho did not give access .* "Reject" was clicked/);
      assert.match(page.body, /href="\/oauth\/zoho\/start">Connect Zoho Campaigns</);
    } finally {
      bridge.sim.setConsent('allow');
    }
  });

  it('explains that Zoho could not be reached, and keeps the connection it had', async () => {
    const browser = await signedInBrowser(bridge);
    const before = await bridge.services.db.zohoConnection.findUniqueOrThrow({ where: { id: 1 } });
    bridge.sim.injectFault({ endpoint: 'token', kind: 'reset' });
    const page = await connectInBrowser(browser);
    assert.equal(page.status, 502);
    assert.match(textOf(page.body), /Zoho could not be reached .* Nothing was saved/);
    const afterwards = await bridge.services.db.zohoConnection.findUniqueOrThrow({ where: { id: 1 } });
    assert.equal(afterwards.refreshTokenEnc, before.refreshTokenEnc);
  });

  it('reconnecting replaces the refresh token and revokes the old one at Zoho', async () => {
    const browser = await signedInBrowser(bridge);
    const before = await bridge.services.db.zohoConnection.findUniqueOrThrow({ where: { id: 1 } });
    const oldToken = bridge.services.repositories.zohoConnection.decryptRefreshToken(before);
    const page = await connectInBrowser(browser);
    assert.equal(new URL(page.url).pathname, '/admin/zoho/lists');
    const afterwards = await bridge.services.db.zohoConnection.findUniqueOrThrow({ where: { id: 1 } });
    assert.notEqual(bridge.services.repositories.zohoConnection.decryptRefreshToken(afterwards), oldToken);
    assert.ok(bridge.sim.callsTo('revoke').some((call) => call.params.token === oldToken));
  });

  it('disconnects on request: the refresh token is revoked at Zoho and forgotten', async () => {
    const browser = await signedInBrowser(bridge);
    const connection = await bridge.services.db.zohoConnection.findUniqueOrThrow({ where: { id: 1 } });
    const refreshToken = bridge.services.repositories.zohoConnection.decryptRefreshToken(connection);
    const confirm = await browser.get('/admin/zoho/disconnect');
    assert.match(textOf(confirm.body), /Disconnect Zoho Campaigns\? .* Changes from your store are still received and kept/);
    const overview = await browser.submit(confirm, '/admin/zoho/disconnect');
    assert.match(textOf(overview.body), /Zoho Campaigns is disconnected and its access was given back to Zoho/);
    assert.match(textOf(overview.body), /Not connected/);
    assert.equal(await bridge.services.db.zohoConnection.findUnique({ where: { id: 1 } }), null);
    assert.ok(bridge.sim.callsTo('revoke').some((call) => call.params.token === refreshToken && call.response?.status === 200));
    const refresh = await bridge.services.zoho.accounts.refresh(
      connection.accountsServer,
      { clientId: '1000.SIMCLIENT', clientSecret: 'sim-secret' },
      refreshToken,
    );
    assert.deepEqual(refresh.ok ? 'refreshed' : refresh.kind, 'invalid_code');
  });
});

describe('connecting from another data centre', () => {
  const bridges: TestBridge[] = [];
  after(() => Promise.all(bridges.map((bridge) => bridge.close())));

  it('exchanges the code at the accounts server Zoho names (EU) and uses that data centre', async () => {
    const bridge = await startBridge({ zohoConnected: false, workers: false, simulator: { userDc: 'eu' } });
    bridges.push(bridge);
    const page = await connectInBrowser(await signedInBrowser(bridge));
    assert.equal(new URL(page.url).pathname, '/admin/zoho/lists');
    assert.match(textOf(page.body), /connected \(Europe \(zoho\.eu\)\)/);
    const exchange = bridge.sim.callsTo('token').find((call) => call.params.grant_type === 'authorization_code');
    assert.equal(exchange?.dc, 'eu');
    assert.equal(bridge.sim.callsTo('getmailinglists').at(-1)?.dc, 'eu');
    const connection = await bridge.services.db.zohoConnection.findUniqueOrThrow({ where: { id: 1 } });
    assert.deepEqual([connection.dataCentre, connection.campaignsUrl], ['eu', bridge.sim.campaignsUrl('eu')]);
  });

  it("explains invalid_client when the client is not enabled in the user's data centre", async () => {
    const bridge = await startBridge({
      zohoConnected: false,
      workers: false,
      simulator: { userDc: 'eu', clients: [{ clientId: '1000.SIMCLIENT', clientSecret: 'sim-secret', dcs: ['com'] }] },
    });
    bridges.push(bridge);
    const page = await connectInBrowser(await signedInBrowser(bridge));
    assert.equal(page.status, 400);
    const text = textOf(page.body);
    assert.match(text, /Zoho does not know this bridge in your data centre/);
    assert.match(text, /Your Zoho account is in the Europe \(zoho\.eu\) data centre/);
    assert.match(text, /turn on "Multi-DC" and enable your data centre/);
    assert.equal(await bridge.services.db.zohoConnection.findUnique({ where: { id: 1 } }), null);
  });

  it('tells the owner what is missing when no Zoho client is configured', async () => {
    const bridge = await startBridge({ zohoConnected: false, workers: false, env: { ZOHO_CLIENT_ID: '', ZOHO_CLIENT_SECRET: '' } });
    bridges.push(bridge);
    const browser = await signedInBrowser(bridge);
    const overview = await browser.get('/admin');
    const zohoCard = textOf(/<section[^>]*id="zoho">([\s\S]*?)<\/section>/.exec(overview.body)![1]!);
    assert.match(
      zohoCard,
      new RegExp(
        `needs its own Zoho API client: a server-based client made once in Zoho’s API console ?, with ${bridge.config.publicUrl}/oauth/zoho/callback as its redirect address\\. Whoever runs the bridge gives it that client’s ID and secret and restarts it`,
      ),
    );
    assert.match(overview.body, /<a href="https:\/\/api-console\.zoho\.com\/">Zoho’s API console<\/a>/, 'the console is linked');
    assert.doesNotMatch(zohoCard, /ZOHO_|[A-Z]+_[A-Z]+/, 'no setting of the environment is named');
    assert.doesNotMatch(overview.body, /oauth\/zoho\/start/);
    const start = await browser.get('/oauth/zoho/start');
    assert.equal(start.status, 400);
    assert.match(textOf(start.body), /The bridge is not set up for Zoho yet/);
    assert.equal(bridge.sim.calls.length, 0);
  });
});
