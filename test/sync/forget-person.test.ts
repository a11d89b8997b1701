// Erasure (docs/security.md, "Erasure"): `forget <email>`, the customer page's button and
// DELETE /api/v1/contacts/{email} remove everything the bridge stores about one address, say what
// was removed, and optionally unsubscribe it in Zoho first; a later delivery is a new customer.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { forgottenAddress } from '../../src/use-cases/forget-person.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { csrfTokenOf, textOf, type Browser } from '../support/browser.ts';
import { runCli } from '../support/cli.ts';
import { signedInBrowser } from '../support/owner.ts';
import { CUSTOMERS, deliver, statusesOf } from '../support/sync.ts';
import { customerBody, sendDelivery, subscriptionBody } from '../support/woocommerce.ts';

describe('forgetting a person', () => {
  let bridge: TestBridge;
  let browser: Browser;
  before(async () => {
    bridge = await startBridge();
    browser = await signedInBrowser(bridge);
  });
  after(() => bridge.close());

  /** Everything the database holds that names the address or the customer. */
  async function tracesOf(email: string, customerId: number) {
    const db = bridge.services.db;
    const key = String(customerId);
    return {
      contacts: await db.contact.count({ where: { OR: [{ email }, { customerKey: key }] } }),
      events: await db.webhookEvent.count({ where: { OR: [{ contactKey: key }, { resourceId: key, resource: 'customer' }] } }),
      subscriptions: await db.subscription.count({ where: { customerKey: key } }),
      logEntries: await db.syncAttempt.count({ where: { email } }),
      refusals: (await db.rejectedDelivery.findMany()).filter((row) => row.body && Buffer.from(row.body).toString('utf8').includes(email)).length,
    };
  }
  const none = { contacts: 0, events: 0, subscriptions: 0, logEntries: 0, refusals: 0 };

  async function someone(customerId: number, email: string) {
    await deliver(bridge, 'customer.created', customerBody({ id: customerId, email, first_name: 'Ana', last_name: 'Forgettable', billing: { email } }));
    await deliver(bridge, 'subscription.updated', subscriptionBody({ id: 9000 + customerId, customer_id: customerId }));
  }

  it('forget <email> --unsubscribe: unsubscribes in Zoho, removes everything, keeps the log count, says what it did', async () => {
    const email = 'ana.forget@example.com';
    await someone(4301, email);
    await someone(4302, 'bob.stays@example.com');
    await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body: customerBody({ id: 4301, email }), secret: 'wrong' });
    const before = await tracesOf(email, 4301);
    assert.ok(
      before.contacts === 1 && before.events >= 2 && before.subscriptions === 1 && before.logEntries >= 1 && before.refusals === 1,
      JSON.stringify(before),
    );
    const attemptsBefore = await bridge.services.db.syncAttempt.count();
    assert.equal(statusesOf(bridge.sim, email)[CUSTOMERS], 'active');
    // An import's bulk add had sent both addresses and not read the list back yet.
    const { backfillRuns, bulkAdditions } = bridge.services.repositories;
    const importRun = await backfillRuns.start('default', 'customers', { bulkFirst: true });
    await bulkAdditions.record(importRun.id, CUSTOMERS, [
      { email: 'Ana.Forget@example.com', contactKey: '4301' },
      { email: 'bob.stays@example.com', contactKey: '4302' },
    ]);

    const run = await runCli(bridge, ['forget', email, '--unsubscribe']);
    assert.equal(run.exitCode, undefined, run.text());
    assert.match(
      run.text(),
      new RegExp(
        `Removed 1 contact, ${before.events} deliveries, 1 subscription and 1 refused delivery; ${before.logEntries} sync log entr(y keeps its|ies keep their) place with the address replaced by a code\\. Unsubscribed in Zoho from: ${CUSTOMERS}\\.`,
      ),
    );
    assert.match(run.text(), /treated as a new customer/);

    assert.equal(statusesOf(bridge.sim, email)[CUSTOMERS], 'unsubscribed');
    assert.deepEqual(await tracesOf(email, 4301), none);
    assert.deepEqual(
      (await bridge.services.db.bulkAddition.findMany()).map((row) => row.email),
      ['bob.stays@example.com'],
      'gone from the import’s check too',
    );
    assert.equal(await bridge.services.db.syncAttempt.count(), attemptsBefore, 'the sync log keeps its count');
    assert.equal(await bridge.services.db.syncAttempt.count({ where: { email: forgottenAddress(email) } }), before.logEntries);
    const bob = await tracesOf('bob.stays@example.com', 4302);
    assert.ok(bob.contacts === 1 && bob.events >= 2 && bob.subscriptions === 1, 'nobody else is touched');

    // A later delivery about the address is a new customer, synced as any other.
    const again = await deliver(bridge, 'customer.updated', customerBody({ id: 4301, email, first_name: 'Ana' }));
    assert.equal(again.status, 'synced');
    assert.equal((await tracesOf(email, 4301)).contacts, 1);
  });

  it("the customer page asks first, needs the form's CSRF token, and says what was removed", async () => {
    const email = 'dora.forget@example.com';
    await someone(4303, email);
    const contactPage = await browser.get(`/admin/contacts/${encodeURIComponent(email)}`);
    assert.match(textOf(contactPage.body), /Forget this person/);
    const href = /href="([^"]+\/forget)"/.exec(contactPage.body)![1]!;
    const confirm = await browser.get(href);
    assert.match(textOf(confirm.body), /Forget this person\? .*This cannot be undone/);
    assert.equal((await tracesOf(email, 4303)).contacts, 1, 'opening the confirmation removes nothing');

    const forged = await browser.post(href, { unsubscribe: 'yes' });
    assert.equal(forged.status, 403);
    const wrong = await browser.post(href, { _csrf: 'not-a-token', unsubscribe: 'yes' });
    assert.equal(wrong.status, 403);
    assert.equal((await tracesOf(email, 4303)).contacts, 1);

    const done = await browser.post(href, { _csrf: csrfTokenOf(confirm.body) });
    assert.equal(done.status, 200);
    assert.match(textOf(done.body), /Forgotten Removed 1 contact, \d+ deliveries, 1 subscription and 0 refused deliveries/);
    assert.doesNotMatch(textOf(done.body), /Unsubscribed in Zoho/, 'the box was left unticked');
    assert.equal(statusesOf(bridge.sim, email)[CUSTOMERS], 'active', 'without the option Zoho is not touched');
    assert.deepEqual(await tracesOf(email, 4303), none);
  });

  it('DELETE /api/v1/contacts/{email} needs a token, answers what was removed, and is in the OpenAPI description', async () => {
    const email = 'carl.forget@example.com';
    await someone(4304, email);
    const url = `${bridge.url}/api/v1/contacts/${encodeURIComponent(email)}?unsubscribe=true`;
    assert.equal((await fetch(url, { method: 'DELETE' })).status, 401);
    assert.equal((await tracesOf(email, 4304)).contacts, 1);

    const page = await browser.get('/admin/api-tokens');
    const made = await browser.submit(page, '/admin/api-tokens', { name: 'Erasure' });
    const token = /<code class="secret">(wzb_[\w-]{43})<\/code>/.exec(made.body)![1]!;
    const response = await fetch(url, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { ok: boolean; removed: Record<string, number>; unsubscribedFrom: string[]; message: string };
    assert.equal(body.ok, true);
    assert.equal(body.removed.contacts, 1);
    assert.equal(body.removed.subscriptions, 1);
    assert.ok((body.removed.deliveries ?? 0) >= 2);
    assert.deepEqual(body.unsubscribedFrom, [CUSTOMERS]);
    assert.equal(statusesOf(bridge.sim, email)[CUSTOMERS], 'unsubscribed');
    assert.deepEqual(await tracesOf(email, 4304), none);

    const openapi = (await (await fetch(`${bridge.url}/api/v1/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    assert.ok(openapi.paths['/api/v1/contacts/{email}']?.delete, 'DELETE is described');
  });
});
