// Issue 25 in Chromium: a big store's owner previews the import, sees both phases of the fast way
// and how long each takes (from a sample of the store), starts it, and watches everyone who may be
// added that way reach their Zoho list in phase 1 while names and details follow one by one.
// Zoho and WooCommerce are the simulators; the store has a consent setting and a double opt-in list.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { DEFAULT_STORE_ID } from '../../src/db/stores.ts';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../tools/woocommerce-simulator/index.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { launchChromium, screenshots, signInInBrowser, type OwnerTab } from '../support/chromium.ts';

const CUSTOMERS = 'sim-customers';
const DOUBLE_OPT_IN = 'sim-newsletter-doi';

describe('the owner of a big store imports it the fast way, in the browser', () => {
  let bridge: TestBridge;
  let shop: WooCommerceSimulator;
  let browser: Browser;
  let tab: OwnerTab;
  const agreed: string[] = [];
  const refused: string[] = [];
  const unanswered: string[] = [];

  before(async () => {
    browser = await launchChromium();
    bridge = await startBridge();
    shop = await startWooCommerceSimulator({ customers: 600, subscriptions: 0 });
    await bridge.services.repositories.stores.updateSettings(DEFAULT_STORE_ID, {
      lists: { customers: CUSTOMERS },
      consent: { metaKey: 'newsletter', doubleOptInList: DOUBLE_OPT_IN },
    });
    // Every 6th said no, every 9th gave no answer, the rest agreed at checkout.
    shop.customers.forEach((customer, index) => {
      if (!['customer', 'subscriber'].includes(String(customer.role))) return;
      const email = String(customer.email);
      if (index % 6 === 0) {
        customer.meta_data = [{ id: 1, key: 'newsletter', value: 'no' }];
        refused.push(email);
      } else if (index % 9 === 0) unanswered.push(email);
      else {
        customer.meta_data = [{ id: 1, key: 'newsletter', value: 'yes' }];
        agreed.push(email);
      }
    });
    const connected = await bridge.services.setup.connectStore.connect(DEFAULT_STORE_ID, {
      url: shop.baseUrl,
      consumerKey: shop.consumerKey,
      consumerSecret: shop.consumerSecret,
    });
    assert.ok(connected.ok);
    // A day's allowance small enough to make one by one take hours for 600 people, and a preview
    // that reads 200 of them, as it reads the first pages of a store of 100,000.
    // The pages and the import job share this use case: changed in place, both see it.
    Object.assign(bridge.services.setup.importStore.deps, { pacing: { dailyBudget: 2_400, burst: 20 }, previewSample: 200 });
    tab = await signInInBrowser(browser, bridge);
  });
  after(async () => {
    await browser?.close();
    await shop?.close();
    await bridge?.close();
  });

  it('the preview shows both phases and how long each takes, estimated from the first pages', async () => {
    const { page } = tab;
    shop.requests.length = 0;
    await page.goto(`/admin/stores/${DEFAULT_STORE_ID}/import`);
    const customerPages = shop.requests.filter((request) => request.path.endsWith('/customers')).map((request) => request.query.page);
    assert.deepEqual(customerPages, ['1', '2'], 'two pages of 100 read for the preview, not six');
    assert.match(await page.locator('#sample-note').innerText(), /counted from the first 200 accounts and scaled up\. The import itself reads everyone\./);

    const how = page.locator('#how');
    assert.equal(await page.getByRole('radio', { name: /^Fast/ }).isChecked(), true, 'recommended: one by one would take hours');
    assert.match(await how.innerText(), /Fast: everyone on their lists first, then their names and details \(recommended for your store\)/);
    assert.match(
      await page.locator('#fast-phases').innerText(),
      /On their lists: up to [\d,]+ additions to your lists by Zoho’s bulk add, thousands a minute: (under a minute|about \d+ minutes?)\./,
    );
    assert.match(await page.locator('#fast-phases').innerText(), /Names and details: then sent one by one, .*: about \d+ hours\./);
    assert.match(await page.locator('#one-by-one').innerText(), /the last person is on their list in about \d+ hours\./);
    assert.match(await page.locator('#fast-rules').innerText(), /never adds anyone to your double opt-in list .*: [\d,]+ places on lists go one by one\./);
    assert.doesNotMatch(await page.locator('main').innerText(), /`|addlistsubscribersinbulk|listsubscribe|npx/, 'plain words, no API names or commands');
    await screenshots(page, 'fast-import-1-preview');
  });

  it('the radios work from the keyboard', async () => {
    const { page } = tab;
    await page.getByRole('radio', { name: /^Fast/ }).focus();
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.getByRole('radio', { name: /^One by one/ }).isChecked(), true);
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.getByRole('radio', { name: /^Fast/ }).isChecked(), true);
  });

  it('phase 1 puts everyone who agreed on the list, the page following it live; names and details follow', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'Start the import' }).click();
    await page.waitForURL((url) => url.pathname === `/admin/stores/${DEFAULT_STORE_ID}/import`);
    const phases = page.locator('#phases');
    assert.match(await phases.innerText(), /On their lists:[\s\S]*Names and details:/);
    await screenshots(page, 'fast-import-2-phase-one');
    await waitFor('phase 1 to finish, shown by itself', async () => /Done: [\d,]+ people put on their lists/.test(await phases.innerText()), 60_000);
    // Whom the first jobs of phase 2 (its burst) synced before their page came is on the list already.
    const added = Number(/Done: ([\d,]+) people/.exec(await phases.innerText())![1]!.replace(/,/g, ''));
    assert.ok(added <= agreed.length && added >= agreed.length - 20, `added ${added} of ${agreed.length}`);
    await screenshots(page, 'fast-import-3-on-their-lists');

    const bulkCalls = bridge.sim.callsTo('addlistsubscribersinbulk');
    assert.ok(bulkCalls.length >= Math.ceil(agreed.length / 10));
    assert.ok(
      bulkCalls.every((call) => call.params.listkey === CUSTOMERS),
      'never the double opt-in list',
    );
    const sent = new Set(bulkCalls.flatMap((call) => call.params.emailids!.split(',')));
    for (const email of [...refused, ...unanswered]) assert.ok(!sent.has(email), `${email} was not bulk-added`);
    const onList = bridge.sim.contacts(CUSTOMERS);
    for (const email of agreed) assert.equal(onList.get(email.toLowerCase())?.status, 'active', email);
    assert.match(await page.locator('#progress').innerText(), /Names and details: \d+ of \d+ done/);
    assert.deepEqual(bridge.sim.stats.rateLimitViolations, {});
    assert.deepEqual(tab.dialogs, []);
  });
});
