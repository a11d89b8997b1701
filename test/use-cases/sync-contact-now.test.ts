// "Sync this customer now": from the customer's page (a plain form with its CSRF token) and from
// the JSON API, the customer's newest stored state reaches Zoho through the sync queue, even when
// the bridge believes Zoho has it already; the sync log names who asked; consent still decides.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { textOf, type Browser } from '../support/browser.ts';
import { signedInBrowser } from '../support/owner.ts';
import { CUSTOMERS, deliver, listsOf, settled, wooTime } from '../support/sync.ts';
import { customerBody } from '../support/woocommerce.ts';

describe('sync this customer now', () => {
  let bridge: TestBridge;
  let browser: Browser;

  /** listsubscribe calls Zoho received for this address. */
  const subscribeCalls = (email: string) =>
    bridge.sim.callsTo('listsubscribe').filter((call) => (call.params.contactinfo ?? '').includes(`"Contact Email":"${email}"`));

  before(async () => {
    bridge = await startBridge();
    browser = await signedInBrowser(bridge);
    await deliver(
      bridge,
      'customer.created',
      customerBody({ id: 70, email: 'ana@example.com', first_name: 'Ana', last_name: 'Ng', date_modified_gmt: wooTime(0) }),
    );
  });
  after(() => bridge.close());

  it('sends the stored customer to Zoho again from the customer page, and the log says the owner asked', async () => {
    assert.deepEqual(listsOf(bridge.sim, 'ana@example.com'), [CUSTOMERS]);
    const callsBefore = subscribeCalls('ana@example.com').length;
    const page = await browser.get('/admin/contacts/ana%40example.com');
    assert.match(textOf(page.body), /Sync this customer now Sends their newest details and lists to Zoho again/);

    const after = await browser.submit(page, '/admin/contacts/ana%40example.com/sync');
    assert.equal(new URL(after.url).pathname, '/admin/contacts/ana%40example.com', 'back on the customer page');
    assert.match(textOf(after.body), /On its way: this customer’s newest details go to Zoho in a moment, through the usual queue\./);
    assert.match(textOf(after.body), /Sync requested by the owner/, 'the new change is listed on the page');

    const requested = await bridge.services.db.webhookEvent.findFirstOrThrow({ where: { topic: 'bridge.sync_requested' }, orderBy: { id: 'desc' } });
    assert.equal(requested.contactKey, '70');
    const done = await settled(bridge, requested.id.toString());
    assert.equal(done.status, 'synced');
    assert.equal(subscribeCalls('ana@example.com').length, callsBefore + 1, 'Zoho got her details once more, though the bridge believed it had them');
    assert.deepEqual(listsOf(bridge.sim, 'ana@example.com'), [CUSTOMERS]);

    const log = await browser.get('/admin/events?q=ana%40example.com');
    const row = new RegExp(`data-event="${requested.id}"[\\s\\S]*?Sync requested by the owner[\\s\\S]*?Sent to Zoho[\\s\\S]*?Put on Customers\\.`);
    assert.match(log.body, row, 'the log row says who asked and what was sent');
    const detail = await browser.get(`/admin/events/${requested.id}`);
    assert.match(textOf(detail.body), /Why it was sent You pressed “Sync this customer now”/);
  });

  it('refuses a form without its CSRF token, and says so when the customer is not stored', async () => {
    const forged = await browser.post('/admin/contacts/ana%40example.com/sync', { store: 'default', contact: '70' });
    assert.equal(forged.status, 403);
    const page = await browser.get('/admin/contacts/ana%40example.com');
    const unknown = await browser.submit(page, '/admin/contacts/ana%40example.com/sync', { contact: '999' });
    assert.match(textOf(unknown.body), /The bridge has no details of that customer stored, so there was nothing to send\./);
    assert.equal(await bridge.services.db.webhookEvent.count({ where: { topic: 'bridge.sync_requested', contactKey: '999' } }), 0);
  });

  it('still keeps a customer who refused consent off every list', async () => {
    const page = await browser.get('/admin/settings');
    await browser.submit(page, '/admin/settings', {
      list_customers: CUSTOMERS,
      consent_metaKey: 'newsletter_opt_in',
      source: 'first_name',
      zohoField: 'First Name',
    });
    await deliver(
      bridge,
      'customer.created',
      customerBody({
        id: 71,
        email: 'bo@example.com',
        first_name: 'Bo',
        date_modified_gmt: wooTime(1),
        meta_data: [{ id: 1, key: 'newsletter_opt_in', value: 'no' }],
      }),
    );
    const result = await bridge.services.syncContactNow.contact({ storeId: 'default', customerKey: '71' });
    assert.ok(result.ok && result.queued);
    const done = await settled(bridge, result.eventIds[0]!.toString());
    assert.equal(done.status, 'synced');
    assert.deepEqual(listsOf(bridge.sim, 'bo@example.com'), [], 'no list without consent');
    assert.equal(subscribeCalls('bo@example.com').length, 0);
    const restore = await browser.get('/admin/settings');
    await browser.submit(restore, '/admin/settings', { list_customers: CUSTOMERS, source: 'first_name', zohoField: 'First Name' });
  });

  it('is in the JSON API: POST /contacts/{email}/sync queues it and answers with the new change', async () => {
    const tokens = await browser.get('/admin/api-tokens');
    const made = await browser.submit(tokens, '/admin/api-tokens', { name: 'Support desk' });
    const token = /<code class="secret">(wzb_[\w-]{43})<\/code>/.exec(made.body)![1]!;
    const post = (email: string, body?: object) =>
      fetch(`${bridge.url}/api/v1/contacts/${encodeURIComponent(email)}/sync`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
    const callsBefore = subscribeCalls('ana@example.com').length;

    const answer = await post('ANA@example.com');
    assert.equal(answer.status, 202);
    const json = (await answer.json()) as { ok: boolean; events: Array<{ id: string; topic: string; topicLabel: string; person: { email: string } }> };
    assert.equal(json.events.length, 1);
    assert.equal(json.events[0]!.topicLabel, 'Sync requested by the owner');
    assert.equal(json.events[0]!.person.email, 'ana@example.com');
    await settled(bridge, json.events[0]!.id);
    await waitFor('the call to reach Zoho', async () => subscribeCalls('ana@example.com').length === callsBefore + 1);

    assert.equal((await post('nobody@example.com')).status, 404);
    assert.equal((await post('ana@example.com', { store: 'another-store' })).status, 404, 'only in the store asked for');
    const withoutToken = await fetch(`${bridge.url}/api/v1/contacts/ana%40example.com/sync`, { method: 'POST' });
    assert.equal(withoutToken.status, 401);
  });
});
