// "Sync this customer now" in Chromium: the owner presses it on a customer's page, is told it is
// on its way, sees the new change in the customer's list turn to "Sent to Zoho" without a reload,
// and Zoho receives the customer again. The same button works with JavaScript turned off.
// Photographed light and dark, desktop and phone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { launchChromium, screenshots, signInInBrowser, type OwnerTab } from '../support/chromium.ts';
import { CUSTOMERS, deliver, listsOf, wooTime } from '../support/sync.ts';
import { customerBody } from '../support/woocommerce.ts';

describe('sync this customer now, in a browser', () => {
  let bridge: TestBridge;
  let browser: Browser;
  let tab: OwnerTab;
  const cspViolations: string[] = [];

  const callsFor = (email: string) =>
    bridge.sim.callsTo('listsubscribe').filter((call) => JSON.parse(call.params.contactinfo ?? '{}')['Contact Email'] === email);

  before(async () => {
    browser = await launchChromium();
    bridge = await startBridge();
    await deliver(
      bridge,
      'customer.created',
      customerBody({ id: 90, email: 'ana@example.com', first_name: 'Ana', last_name: 'Ng', date_modified_gmt: wooTime(0) }),
    );
    tab = await signInInBrowser(browser, bridge);
    tab.page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
  });
  after(async () => {
    await browser?.close();
    await bridge?.close();
  });

  it('sends the customer again when the owner presses the button, and shows it arrive', async () => {
    const { page } = tab;
    await page.goto('/admin/contacts/ana%40example.com');
    await screenshots(page, 'contact-sync-now');
    const calls = callsFor('ana@example.com').length;
    let navigations = 0;

    await page.getByRole('button', { name: 'Sync this customer now' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/contacts/ana%40example.com');
    page.on('framenavigated', () => navigations++);
    assert.match(await page.getByRole('status').innerText(), /^On its way: this customer’s newest details go to Zoho in a moment/);
    const newest = page.locator('tr.event').first();
    assert.match(await newest.innerText(), /Sync requested by the owner/);
    await newest.locator('.badge', { hasText: 'Sent to Zoho' }).waitFor({ timeout: 20_000 });
    assert.equal(navigations, 0, 'its status arrived without a reload');
    assert.match(await newest.innerText(), /Put on Customers\./);
    await waitFor('Zoho to receive Ana again', async () => callsFor('ana@example.com').length === calls + 1);
    assert.deepEqual(listsOf(bridge.sim, 'ana@example.com'), [CUSTOMERS]);
    await screenshots(page, 'contact-sync-now-sent');
    assert.deepEqual(cspViolations, []);
  });

  it('works with JavaScript turned off', async () => {
    const noScript = await browser.newContext({ baseURL: bridge.url, javaScriptEnabled: false, storageState: await tab.context.storageState() });
    const page = await noScript.newPage();
    await page.goto('/admin/contacts/ana%40example.com');
    const calls = callsFor('ana@example.com').length;
    await page.getByRole('button', { name: 'Sync this customer now' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/contacts/ana%40example.com');
    assert.match(await page.getByRole('status').innerText(), /^On its way/);
    await waitFor('Zoho to receive Ana once more', async () => callsFor('ana@example.com').length === calls + 1);
    await noScript.close();
  });
});
