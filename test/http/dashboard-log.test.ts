// The sync log over HTTP, as a signed-in browser uses it: filters and pages, search by email and
// customer number, retrying one or all failed changes (after confirming), discarding, and the
// history of one email address across two stores.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EventEnqueuer } from '../../src/queue/enqueue-events.ts';
import { EventActions } from '../../src/use-cases/event-actions.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { Browser, textOf, type Page } from '../support/browser.ts';
import { signedInBrowser } from '../support/owner.ts';
import { deliver, listsOf, settled, wooTime } from '../support/sync.ts';
import { customerBody, sendDelivery } from '../support/woocommerce.ts';

const OUTLET_SECRET = 'outlet-secret-0123456789';

/** Event ids in the order the page lists them. */
function listedIds(page: Page): string[] {
  return [...page.body.matchAll(/<tr class="event" data-event="(\d+)">/g)].map((match) => match[1]!);
}

describe('the sync log pages', () => {
  let bridge: TestBridge;
  let browser: Browser;
  const ids: Record<string, string> = {};

  async function deliverTo(store: 'default' | 'outlet', topic: string, body: string) {
    const response = await sendDelivery(`${bridge.url}/webhooks/woocommerce/${store}`, { topic, body, secret: store === 'outlet' ? OUTLET_SECRET : undefined });
    assert.equal(response.status, 200, response.body);
    return settled(bridge, response.json().event as string);
  }

  before(async () => {
    // One try per change: an injected Zoho outage fails a change at once.
    bridge = await startBridge({ env: { SYNC_ATTEMPTS: '1' } });
    await bridge.services.repositories.stores.create({ id: 'outlet', name: 'Outlet', url: 'https://outlet.example.com', webhookSecret: OUTLET_SECRET });
    browser = await signedInBrowser(bridge);
    ids.ana = (
      await deliver(bridge, 'customer.created', customerBody({ id: 41, email: 'ana@example.com', first_name: 'Ana', date_modified_gmt: wooTime(0) }))
    ).id.toString();
    ids.zoe = (
      await deliver(bridge, 'customer.created', customerBody({ id: 43, email: 'zoe@example', first_name: 'Zoë', date_modified_gmt: wooTime(1) }))
    ).id.toString();
    ids.anaUpdated = (
      await deliver(
        bridge,
        'customer.updated',
        customerBody({ id: 41, email: 'ana@example.com', first_name: 'Ana', last_name: 'Ng', date_modified_gmt: wooTime(2) }),
      )
    ).id.toString();
    ids.anaOutlet = (
      await deliverTo(
        'outlet',
        'customer.created',
        customerBody({ id: 7, email: 'Ana@Example.com', first_name: 'Ana', last_name: 'Outlet', date_modified_gmt: wooTime(3) }),
      )
    ).id.toString();
    bridge.sim.injectFault({ endpoint: 'listsubscribe', kind: 'http503', times: 3 });
    ids.ben = (
      await deliver(bridge, 'customer.created', customerBody({ id: 44, email: 'ben@example.com', first_name: 'Ben', date_modified_gmt: wooTime(4) }))
    ).id.toString();
    ids.cleo = (
      await deliver(bridge, 'customer.created', customerBody({ id: 45, email: 'cleo@example.com', first_name: 'Cleo', date_modified_gmt: wooTime(5) }))
    ).id.toString();
    ids.dan = (
      await deliverTo('outlet', 'customer.created', customerBody({ id: 8, email: 'dan@example.com', first_name: 'Dan', date_modified_gmt: wooTime(6) }))
    ).id.toString();
    for (const name of ['zoe', 'ben', 'cleo', 'dan']) {
      assert.equal((await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: BigInt(ids[name]!) } })).status, 'failed', name);
    }
  });
  after(() => bridge.close());

  it('lists changes newest first, saying who, what, the outcome and Zoho’s answer in plain words', async () => {
    const page = await browser.get('/admin/events');
    assert.equal(page.status, 200);
    assert.deepEqual(listedIds(page), [ids.dan, ids.cleo, ids.ben, ids.anaOutlet, ids.anaUpdated, ids.zoe, ids.ana]);
    const text = textOf(page.body);
    assert.match(text, /7 changes in the log/);
    assert.match(
      text,
      /Zoë Müller zoe@example Customer #43 New customer shop\.example\.com Failed Zoho says this email address is not valid\. Fix it in WooCommerce \(the customer's account email\), then press Retry\. Put on Customers: refused/,
    );
    assert.match(
      text,
      /Ben Müller ben@example\.com Customer #44 New customer shop\.example\.com Failed Zoho had a problem on its side \(HTTP 503\)\. The bridge has stopped trying: press Retry to send it again\./,
    );
    assert.match(text, /Ana Ng ana@example\.com Customer #41 Customer changed shop\.example\.com Sent to Zoho Put on Customers\./);
    assert.match(text, /Retry all 4 failed changes/);
  });

  it('filters by status, change, store and day, and keeps the filter in its links', async () => {
    const failed = await browser.get('/admin/events?status=failed');
    assert.deepEqual(listedIds(failed), [ids.dan, ids.cleo, ids.ben, ids.zoe]);
    assert.match(textOf(failed.body), /4 changes match these filters/);
    const outletFailed = await browser.get('/admin/events?status=failed&store=outlet');
    assert.deepEqual(listedIds(outletFailed), [ids.dan]);
    assert.match(outletFailed.body, /href="\/admin\/events\/retry\?status=failed&amp;store=outlet"/);
    assert.deepEqual(listedIds(await browser.get('/admin/events?topic=customer.updated')), [ids.anaUpdated]);
    assert.deepEqual(listedIds(await browser.get('/admin/events?status=synced&store=default')), [ids.anaUpdated, ids.ana]);
    const today = new Date().toISOString().slice(0, 10);
    assert.equal(listedIds(await browser.get(`/admin/events?from=${today}&to=${today}`)).length, 7);
    assert.deepEqual(listedIds(await browser.get('/admin/events?from=2001-01-01&to=2001-01-31')), []);
    // Nonsense in the query is ignored rather than failing the page.
    const odd = await browser.get('/admin/events?status=%3Cscript%3E&from=yesterday&before=x');
    assert.equal(odd.status, 200);
    assert.equal(listedIds(odd).length, 7);
  });

  it('finds a person by email in any capitals, by customer number, or by name, in every store', async () => {
    assert.deepEqual(listedIds(await browser.get('/admin/events?q=ANA%40example.com')), [ids.anaOutlet, ids.anaUpdated, ids.ana]);
    assert.deepEqual(listedIds(await browser.get('/admin/events?q=ana%40example.com&store=outlet')), [ids.anaOutlet]);
    assert.deepEqual(listedIds(await browser.get('/admin/events?q=43')), [ids.zoe]);
    assert.deepEqual(listedIds(await browser.get('/admin/events?q=%237')), [ids.anaOutlet]);
    assert.deepEqual(listedIds(await browser.get('/admin/events?q=outlet')), [ids.anaOutlet], 'part of a name');
    const none = await browser.get('/admin/events?q=nobody%40example.com');
    assert.deepEqual(listedIds(none), []);
    assert.match(textOf(none.body), /Nothing matches\. Search by the full email address or the customer number/);
  });

  it('pages through a long log by id, without gaps or repeats, in both directions', async () => {
    const { repositories } = bridge.services;
    await repositories.stores.create({ id: 'bulk', name: 'Bulk', url: 'https://bulk.example.com' });
    for (let n = 0; n < 120; n++) {
      const body = Buffer.from(customerBody({ id: 1000 + n, email: `bulk${n}@example.com` }));
      await repositories.events.insertUnlessStored({
        storeId: 'bulk',
        topic: 'customer.updated',
        resource: 'customer',
        resourceId: String(1000 + n),
        contactKey: String(1000 + n),
        webhookId: undefined,
        deliveryId: undefined,
        bodySha256: `bulk-${n}`,
        body,
        headers: {},
        modifiedAt: undefined,
        status: 'skipped',
        statusReason: 'Seeded for the pagination test.',
      });
    }
    const first = await browser.get('/admin/events?store=bulk');
    assert.match(textOf(first.body), /120 changes match these filters/);
    const seen = listedIds(first);
    assert.equal(seen.length, 50);
    assert.doesNotMatch(first.body, /rel="prev"/, 'the first page has no newer page');
    let page = first;
    for (;;) {
      const older = /href="([^"]+)" rel="next"/.exec(page.body)?.[1];
      if (!older) break;
      page = await browser.get(older.replaceAll('&amp;', '&'));
      seen.push(...listedIds(page));
    }
    assert.equal(seen.length, 120);
    assert.equal(new Set(seen).size, 120, 'no row twice');
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => Number(b) - Number(a)),
      'newest first throughout',
    );
    const newer = /href="([^"]+)" rel="prev"/.exec(page.body)?.[1];
    assert.ok(newer, 'the last page links back');
    const back = await browser.get(newer.replaceAll('&amp;', '&'));
    assert.deepEqual(listedIds(back), seen.slice(50, 100));
  });

  it('retries one failed change: it is sent again and its new outcome shows in the log', async () => {
    const detail = await browser.get(`/admin/events/${ids.ben}`);
    assert.match(textOf(detail.body), /Calls to Zoho .* HTTP 503 .* The bridge has stopped trying: press Retry to send it again\./);
    const retried = await browser.submit(detail, `/admin/events/${ids.ben}/retry`);
    assert.equal(new URL(retried.url).pathname, `/admin/events/${ids.ben}`);
    assert.match(textOf(retried.body), /Sent to Zoho again\. The outcome appears below in a few seconds/);
    const event = await settled(bridge, ids.ben!);
    assert.equal(event.status, 'synced');
    assert.deepEqual(listsOf(bridge.sim, 'ben@example.com'), ['sim-customers']);
    const row = textOf((await browser.get('/admin/events?q=ben%40example.com')).body);
    assert.match(row, /Ben Müller .* Sent to Zoho Put on Customers\./);
    const after = textOf((await browser.get(`/admin/events/${ids.ben}`)).body);
    assert.match(after, /HTTP 503 .* HTTP 200, code 0 .* Zoho put the customer on Customers with their details\./);
    assert.doesNotMatch((await browser.get(`/admin/events/${ids.ben}`)).body, /action="\/admin\/events\/\d+\/retry"/, 'no Retry button once sent');
  });

  it('says so when a change is retried that has not failed, and refuses a form without its CSRF token', async () => {
    const detail = await browser.get(`/admin/events/${ids.ana}`);
    const again = await browser.post(`/admin/events/${ids.ana}/retry`, { _csrf: /name="_csrf" value="([^"]+)"/.exec(detail.body)![1]! });
    assert.match(textOf(again.body), /Nothing to do: this change has not failed/);
    const forged = await browser.post(`/admin/events/${ids.zoe}/retry`, {});
    assert.equal(forged.status, 403);
    assert.match(textOf(forged.body), /This form has expired/);
    assert.equal((await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: BigInt(ids.zoe!) } })).status, 'failed');
    const outsider = await new Browser(bridge.url).get(`/admin/events/${ids.zoe}`, { follow: false });
    assert.equal(outsider.status, 303, 'not signed in: off to the sign-in page');
    assert.equal((await browser.get('/admin/events/999999')).status, 404);
  });

  it('retries every failed change the filter matches, after showing how many and asking to confirm', async () => {
    const list = await browser.get('/admin/events?status=failed&store=default');
    assert.deepEqual(listedIds(list), [ids.cleo, ids.zoe]);
    const confirm = await browser.get(/href="(\/admin\/events\/retry\?[^"]+)"/.exec(list.body)![1]!.replaceAll('&amp;', '&'));
    assert.match(textOf(confirm.body), /Retry failed changes\? 2 failed changes match the filters you chose\./);
    assert.equal(await bridge.services.db.webhookEvent.count({ where: { status: 'failed' } }), 3, 'nothing is retried before confirming');

    const done = await browser.submit(confirm, '/admin/events/retry');
    assert.match(textOf(done.body), /2 failed changes are being sent to Zoho again/);
    assert.equal(new URL(done.url).search, '?store=default', 'back to the log, without the "failed" filter that would hide them');
    assert.equal((await settled(bridge, ids.cleo!)).status, 'synced');
    const zoe = await settled(bridge, ids.zoe!);
    assert.equal(zoe.status, 'failed', 'the invalid address fails again, with the same explanation');
    assert.equal(await bridge.services.db.syncAttempt.count({ where: { eventId: BigInt(ids.zoe!) } }), 2);
    assert.equal(
      (await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: BigInt(ids.dan!) } })).status,
      'failed',
      'the other store is untouched',
    );
  });

  it('retries a change that a later correction replaced: it ends sent, with the newest details', async () => {
    const corrected = await deliver(
      bridge,
      'customer.updated',
      customerBody({ id: 43, email: 'zoe@example.com', first_name: 'Zoë', date_modified_gmt: wooTime(20) }),
    );
    assert.equal(corrected.status, 'synced');
    const detail = await browser.get(`/admin/events/${ids.zoe}`);
    assert.match(textOf(detail.body), /Since then, a newer change for this customer reached Zoho \(listed below\)\. Press Retry/);
    assert.match(textOf(detail.body), /Later changes for this customer .* Customer changed.*Sent to Zoho/);
    await browser.submit(detail, `/admin/events/${ids.zoe}/retry`);
    const retried = await settled(bridge, ids.zoe!);
    assert.equal(retried.status, 'synced');
    assert.equal(retried.statusReason, 'Zoho already matches this state; no call needed; retried with the newer details WooCommerce sent since.');
    assert.deepEqual(listsOf(bridge.sim, 'zoe@example.com'), ['sim-customers']);
    assert.match(
      textOf((await browser.get(`/admin/events/${ids.zoe}`)).body),
      /What happened Nothing to send Zoho already had this customer’s newest details, so nothing more needed sending\./,
    );
  });

  it('retries more failed changes than one batch holds, each exactly once', async () => {
    const { repositories, db } = bridge.services;
    await repositories.stores.create({ id: 'many', name: 'Many', url: 'https://many.example.com' });
    for (let n = 0; n < 45; n++) {
      const body = Buffer.from(customerBody({ id: 5000 + n, email: `bad${n}@nowhere`, date_modified_gmt: wooTime(10) }));
      await repositories.events.insertUnlessStored({
        storeId: 'many',
        topic: 'customer.created',
        resource: 'customer',
        resourceId: String(5000 + n),
        contactKey: String(5000 + n),
        webhookId: undefined,
        deliveryId: undefined,
        bodySha256: `many-${n}`,
        body,
        headers: {},
        modifiedAt: undefined,
        status: 'received',
        statusReason: undefined,
      });
    }
    await db.webhookEvent.updateMany({ where: { storeId: 'many' }, data: { status: 'failed', statusReason: 'Seeded as failed.' } });
    // Batches of 10: invalid addresses fail again within milliseconds, while later batches are
    // still being queued; a walk that looked at them again would count (and send) them twice.
    const enqueuer = new EventEnqueuer(bridge.services.syncQueue, 1, bridge.services.redis, bridge.services.installation);
    const actions = new EventActions({ ...bridge.services.repositories, enqueuer, batchSize: 10 });
    assert.equal(await actions.countFailed({ store: 'many' }), 45);
    assert.equal(await actions.retryMatching({ store: 'many' }), 45);
    await waitFor(
      'the retried changes to settle',
      async () => (await db.webhookEvent.count({ where: { storeId: 'many', status: { not: 'failed' } } })) === 0,
      60_000,
    );
    const perEvent = await db.syncAttempt.groupBy({ by: ['eventId'], where: { storeId: 'many' }, _count: { _all: true } });
    assert.equal(perEvent.length, 45);
    assert.ok(
      perEvent.every((row) => row._count._all === 1),
      'one call per event',
    );
  });

  it('discards a failed change without calling Zoho', async () => {
    const calls = bridge.sim.callsTo('listsubscribe').length;
    const detail = await browser.get(`/admin/events/${ids.dan}`);
    const discarded = await browser.submit(detail, `/admin/events/${ids.dan}/discard`);
    assert.match(
      textOf(discarded.body),
      /Discarded: the bridge will not send this change to Zoho\. .* Nothing to send Discarded by the owner on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\. Nothing was sent to Zoho\./,
    );
    assert.equal((await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: BigInt(ids.dan!) } })).status, 'skipped');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(bridge.sim.callsTo('listsubscribe').length, calls);
    const confirm = await browser.get('/admin/events/retry?store=outlet');
    assert.match(textOf(confirm.body), /No failed change matches these filters: there is nothing to retry\./);
  });

  it('shows everything about one email address, across both stores', async () => {
    const page = await browser.get('/admin/contacts?email=ana%40example.com');
    assert.equal(new URL(page.url).pathname, '/admin/contacts/ana%40example.com');
    const text = textOf(page.body);
    assert.match(page.body, /href="https:\/\/shop\.example\.com\/wp-admin\/user-edit\.php\?user_id=41"/, 'the customer links to their WordPress edit page');
    assert.match(
      text,
      /Ana Ng · shop\.example\.com Customer number #41 · Edit in WordPress \(opens the store's admin in a new tab\) Email in WooCommerce ana@example\.com On Zoho lists Customers/,
    );
    assert.match(
      text,
      /Ana Outlet · Outlet Customer number #7 · Edit in WordPress \(opens the store's admin in a new tab\) Email in WooCommerce Ana@Example\.com On Zoho lists Customers/,
    );
    assert.deepEqual(listedIds(page), [ids.anaOutlet, ids.anaUpdated, ids.ana]);
    const unknown = await browser.get('/admin/contacts/nobody%40example.com');
    assert.match(textOf(unknown.body), /The bridge has never heard of this address/);
  });

  it('counts the outcomes per store on the overview, with links to them', async () => {
    await waitFor(
      'the retries to settle',
      async () => (await bridge.services.db.webhookEvent.count({ where: { status: { in: ['received', 'queued'] } } })) === 0,
    );
    const overview = await browser.get('/admin');
    const text = textOf(overview.body);
    assert.match(text, /shop\.example\.com \d+ sent in the last 24 h 0 failed 0 waiting for Zoho 0 in line Changes, last 30 days/);
    assert.match(text, /Outlet 1 sent in the last 24 h 0 failed/);
    assert.match(text, /Many 0 sent in the last 24 h 45 failed 0 waiting for Zoho 0 in line 45 changes could not be sent to Zoho\. See why, fix and retry →/);
    assert.match(overview.body, /href="\/admin\/events\?status=failed&amp;store=many"/);
    assert.match(text, /Zoho allowance \d+ of 500 additions this minute \d+ of 12,500 additions this hour \d+ of 75,000 additions this day/);
  });
});
