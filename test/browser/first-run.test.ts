// Issue 21's promise, in Chromium: from an empty bridge to imported customers on the right Zoho
// lists, every step done in the browser. Zoho is the simulator; WooCommerce is the simulator with
// its REST API on plain http (so every call is OAuth 1.0a-signed): keys, webhooks, customers and
// subscriptions over several pages, a wrong key, and a webhook WooCommerce disabled.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { ImportStore } from '../../src/use-cases/import-store.ts';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../tools/woocommerce-simulator/index.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { launchChromium, screenshots, signInInBrowser, type OwnerTab } from '../support/chromium.ts';

describe('a new store owner sets everything up in the browser', () => {
  let bridge: TestBridge;
  let shop: WooCommerceSimulator;
  let browser: Browser;
  let tab: OwnerTab;
  const step = (key: string) => tab.page.locator(`#step-${key}`);

  before(async () => {
    browser = await launchChromium();
    bridge = await startBridge({ zohoConnected: false, listKey: null });
    // 130 accounts (two pages of 100), some of them administrators; 12 subscriptions.
    shop = await startWooCommerceSimulator({ customers: 130, subscriptions: 12 });
    tab = await signInInBrowser(browser, bridge);
  });
  after(async () => {
    await browser?.close();
    await shop?.close();
    await bridge?.close();
  });

  it('1. the overview shows the checklist, and connecting Zoho is the first step', async () => {
    const { page } = tab;
    assert.match(await step('zoho').innerText(), /Next\s+1\. Connect Zoho Campaigns/);
    assert.match(await step('import').innerText(), /Not yet\s+6\. Import your existing customers/);
    await screenshots(page, 'first-run-1-checklist');
    await step('zoho').getByRole('link', { name: 'Connect Zoho Campaigns' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/zoho/lists');
  });

  it('2. the owner chooses the lists', async () => {
    const { page } = tab;
    await page.getByLabel(/^Every customer/).selectOption('sim-customers');
    await page.getByLabel(/^Active subscribers/).selectOption('sim-active-subscribers');
    await screenshots(page, 'first-run-2-lists');
    await page.getByRole('button', { name: 'Save lists' }).click();
    await page.waitForURL((url) => url.pathname === '/admin');
    assert.match(await step('lists').innerText(), /Done\s+2\. Choose the lists/);
    assert.match(await step('store').innerText(), /Next\s+3\. Connect your store/);
  });

  it('3. a wrong key is refused in words; the right one connects the store', async () => {
    const { page } = tab;
    await step('store').getByRole('link', { name: 'Connect your store' }).click();
    await page.getByLabel('Your store’s address').fill(shop.baseUrl);
    await page.getByLabel('Consumer key').fill(shop.consumerKey);
    await page.getByLabel('Consumer secret').fill('cs_this_is_not_the_secret_0000000000000000');
    await page.getByRole('button', { name: 'Check and connect' }).click();
    const problem = page.locator('#problems');
    assert.match(
      await problem.innerText(),
      /The store was not connected[\s\S]*The store does not know this key: the consumer key or the consumer secret is wrong/,
    );
    assert.equal(await page.getByLabel('Consumer key').getAttribute('aria-invalid'), 'true');
    await screenshots(page, 'first-run-3-wrong-key');

    await page.getByLabel('Consumer secret').fill(shop.consumerSecret);
    await page.getByRole('button', { name: 'Check and connect' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/start');
    assert.match(await page.locator('.flash').innerText(), /Connected to http:\/\/127\.0\.0\.1:\d+\. Next: create the webhooks\./);
    assert.match(await step('webhooks').innerText(), /Next\s+4\. Create the webhooks/);
    await screenshots(page, 'first-run-4-store-connected');
  });

  it('4. one click creates every webhook; each topic shows its state; a second click changes nothing', async () => {
    const { page } = tab;
    await step('webhooks').getByRole('button', { name: 'Create the webhooks' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/start');
    assert.match(await page.locator('.flash').innerText(), /Done: 7 webhooks created or repaired in WooCommerce\./);
    const topics = await step('webhooks').locator('table.topics tbody tr').allInnerTexts();
    assert.equal(topics.length, 7);
    assert.ok(
      topics.every((row) => /Active/.test(row)),
      topics.join(' | '),
    );
    assert.equal(shop.webhooks.webhooks.size, 7);
    await screenshots(page, 'first-run-5-webhooks');

    await step('webhooks').getByRole('button', { name: 'Check and repair the webhooks' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/start');
    assert.match(await page.locator('.flash').innerText(), /Every webhook was already active in WooCommerce; nothing needed changing\./);
    assert.equal(shop.webhooks.webhooks.size, 7);
  });

  it('5. the ping shows, then a real delivery arrives live, without a reload', async () => {
    const { page } = tab;
    assert.match(await step('delivery').innerText(), /WooCommerce’s test message arrived/);
    await waitFor('live.js to take over', async () => /This updates by itself/.test(await page.locator('#checklist [data-field="hint"]').innerText()));
    await screenshots(page, 'first-run-6-ping');
    // The owner changes a customer in WordPress; WooCommerce delivers customer.updated.
    const customer = shop.customers.find((entry) => entry.role === 'customer')!;
    const navigations: string[] = [];
    page.on('framenavigated', (frame) => navigations.push(frame.url()));
    await shop.updateCustomer(Number(customer.id), { first_name: 'Zoë' });
    await waitFor(
      'the delivery step to turn done by itself',
      async () => /Done\s+5\. See the first delivery arrive/.test(await step('delivery').innerText()),
      20_000,
    );
    assert.match(await step('delivery').innerText(), /A change arrived from WooCommerce: Customer changed\./);
    assert.ok(navigations.length <= 1, 'at most live.js reloading the page once because a step finished');
    await screenshots(page, 'first-run-7-first-delivery');
  });

  it('6. a webhook WooCommerce disabled is repaired from the overview in one click', async () => {
    const { page } = tab;
    const hook = [...shop.webhooks.webhooks.values()].find((entry) => entry.topic === 'customer.deleted')!;
    shop.webhooks.disableAfterFailures(hook.id);
    await bridge.services.webhookWatch.checkAll();
    await page.goto('/admin');
    const attention = page.locator('.attention');
    assert.match(await attention.innerText(), /The webhooks need attention: WooCommerce disabled customer\.deleted/);
    assert.doesNotMatch(await page.locator('main').innerText(), /`|npx|woo-zoho-bridge /, 'no command in the page text');
    await screenshots(page, 'first-run-8-disabled-webhook');
    await attention.getByRole('button', { name: 'Repair the webhooks' }).click();
    await page.waitForURL((url) => url.pathname === '/admin');
    assert.match(await page.locator('.flash').innerText(), /Done: 1 webhook created or repaired in WooCommerce\./);
    assert.equal(hook.status, 'active');
    assert.equal(await page.locator('.attention').count(), 0);
  });

  it('7. the import: a preview, a live progress bar, then a summary; the customers are on the right Zoho lists', async () => {
    const { page } = tab;
    await step('import').getByRole('link', { name: 'See who would be imported' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/stores/default/import');
    const preview = await page.locator('#preview').innerText();
    assert.match(preview, /Customers\s+\d+\s+1/, 'Zoë, whose change was delivered, is on it already');
    assert.match(preview, /Active subscribers\s+\d+\s+0/);
    assert.match(preview, /accounts have a WordPress role that is not synced \(synced: customer, subscriber\): \d+ administrator/);
    assert.match(preview, /the last person is on their list in (under a minute|about 1 minute)/);
    assert.equal(await page.getByRole('radio', { name: /One by one/ }).isChecked(), true, 'a small store: one by one is the default');
    await screenshots(page, 'first-run-9-preview');

    // The rest need not wait for Zoho's pace (the preview above said what the real pace means).
    bridge.services.setup.importStore = new ImportStore({ ...bridge.services.setup.importStore.deps, pacing: { minSpacingMs: 5 } });
    await page.getByRole('button', { name: 'Start the import' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/stores/default/import');
    assert.match(await page.locator('#progress').innerText(), /Importing|Imported/);
    await screenshots(page, 'first-run-10-importing');
    await waitFor('the summary, shown by itself', async () => /Imported/.test(await page.locator('#progress h2').innerText()), 30_000);
    const summary = await page.locator('#progress').innerText();
    assert.match(summary, /Done\s+\d+ \(sent to Zoho, or nothing needed sending\)/);
    assert.match(summary, /Failed\s+none/);
    await screenshots(page, 'first-run-11-imported');

    const wanted = shop.customers
      .filter((entry) => entry.role === 'customer' || entry.role === 'subscriber')
      .map((entry) => String(entry.email))
      .sort();
    assert.deepEqual([...bridge.sim.contacts('sim-customers').keys()].sort(), wanted, 'every customer and subscriber, and no administrator, on Customers');
    const active = shop.subscriptions
      .filter((entry) => entry.status === 'active' || entry.status === 'pending-cancel')
      .map((entry) => String((entry.billing as { email: string }).email))
      .sort();
    assert.deepEqual([...bridge.sim.contacts('sim-active-subscribers').keys()].sort(), active, 'active subscribers on their list');

    await page.getByRole('link', { name: 'Open the sync log' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/events');
    await page.goto('/admin');
    assert.match(await page.locator('main').innerText(), /Getting started: the setup steps, all done\./);
    await screenshots(page, 'first-run-12-overview-done');
    assert.deepEqual(tab.dialogs, []);
  });

  it('the pages load only the bridge’s own script, and work without JavaScript', async () => {
    const response = await tab.page.goto('/admin/start');
    assert.match(response!.headers()['content-security-policy'] ?? '', /script-src 'self'; connect-src 'self'/);
    assert.equal(await tab.page.locator('script:not([src])').count(), 0, 'no inline script');
    const noScript = await browser.newContext({ javaScriptEnabled: false, baseURL: bridge.url, storageState: await tab.context.storageState() });
    try {
      const page = await noScript.newPage();
      await page.goto('/admin/stores/default/import');
      assert.match(await page.locator('#progress').innerText(), /Imported[\s\S]*Open the sync log/);
      await page.goto('/admin/start');
      assert.match(await page.locator('#checklist [data-field="hint"]').innerText(), /Reload the page to see new progress/);
      assert.equal(await page.locator('#step-import .badge').innerText(), 'Done');
    } finally {
      await noScript.close();
    }
  });
});
