// The dashboard's promise, tried in a real browser the way a new store owner would: one customer
// did not reach Zoho; the owner finds out why and fixes it, from the pages alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { launchChromium, screenshots, signInInBrowser, type OwnerTab } from '../support/chromium.ts';
import { deliver, listsOf, settled, wooTime } from '../support/sync.ts';
import { customerBody, sendDelivery } from '../support/woocommerce.ts';

describe('a store owner finds why a customer did not reach Zoho, and fixes it', () => {
  let bridge: TestBridge;
  let browser: Browser;
  let tab: OwnerTab;
  let zoeEventId: bigint;

  before(async () => {
    browser = await launchChromium();
    bridge = await startBridge();
    await deliver(
      bridge,
      'customer.created',
      customerBody({ id: 40, email: 'ana@example.com', first_name: 'Ana', last_name: 'Ng', date_modified_gmt: wooTime(0) }),
    );
    // Zoë typed her address without the end of the domain; WooCommerce let it through, Zoho does not.
    const zoe = await deliver(
      bridge,
      'customer.created',
      customerBody({ id: 41, email: 'zoe@example', first_name: 'Zoë', last_name: 'Lambert', date_modified_gmt: wooTime(1) }),
    );
    assert.equal(zoe.status, 'failed', 'Zoho refused the address');
    zoeEventId = zoe.id;
    await deliver(
      bridge,
      'customer.created',
      customerBody({ id: 42, email: 'ben@example.com', first_name: 'Ben', last_name: 'Okafor', date_modified_gmt: wooTime(2) }),
    );
    tab = await signInInBrowser(browser, bridge);
  });
  after(async () => {
    await browser?.close();
    await bridge?.close();
  });

  it('the overview says one change failed and leads to it', async () => {
    const { page } = tab;
    const customers = page.locator('section.store-health');
    await assert.doesNotReject(customers.getByText('One change could not be sent to Zoho.').waitFor());
    await screenshots(page, 'must-show-1-overview');
    await customers.getByRole('link', { name: 'See why, fix and retry →' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/events' && url.searchParams.get('status') === 'failed');
  });

  it('the sync log, filtered by the customer, says why in plain words', async () => {
    const { page } = tab;
    const rows = page.locator('tr.event');
    assert.equal(await rows.count(), 1, 'only the failed change is listed');
    // The owner only knows her first name: the search finds her.
    await page.getByLabel('Customer', { exact: true }).fill('Zoë');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.get('q') === 'Zoë');
    assert.equal(await rows.count(), 1);
    const row = rows.first();
    assert.match(await row.innerText(), /Zoë Lambert[\s\S]*zoe@example[\s\S]*Customer #41[\s\S]*Failed[\s\S]*Zoho says this email address is not valid/);
    await screenshots(page, 'must-show-2-log');
    await row.getByRole('link', { name: /Details/ }).click();
    await page.waitForURL((url) => url.pathname === `/admin/events/${zoeEventId}`);
  });

  it('the detail says what Zoho answered and what to do', async () => {
    const { page } = tab;
    const outcome = page.locator('#outcome');
    assert.match(
      await outcome.innerText(),
      /Failed\s+Zoho says this email address is not valid\. Fix it in WooCommerce \(the customer's account email\), then press Retry\./,
    );
    const call = await page.locator('#calls').innerText();
    assert.match(call, /Put on Customers/);
    assert.match(call, /code 2004/);
    assert.match(call, /Invalid contact email address/);
    assert.match(await page.locator('#contactinfo').innerText(), /Contact Email\s+zoe@example/);
    assert.match(await page.locator('#delivery pre').innerText(), /"email": "zoe@example"/);
    await screenshots(page, 'must-show-3-detail-failed');
  });

  it('after the fix in WooCommerce, Retry sends Zoë to Zoho and the log shows it', async () => {
    const { page } = tab;
    // The owner corrects the address in WordPress; WooCommerce sends the customer again.
    const fixed = await sendDelivery(bridge.webhookUrl, {
      topic: 'customer.updated',
      body: customerBody({ id: 41, email: 'zoe@example.com', first_name: 'Zoë', last_name: 'Lambert', date_modified_gmt: wooTime(10) }),
    });
    assert.equal(fixed.status, 200);
    // The owner comes back to the dashboard a moment later; by then the correction is through.
    assert.equal((await settled(bridge, fixed.json().event as string)).status, 'synced');
    await page.reload();
    assert.match(await page.locator('#outcome').innerText(), /Since then, a newer change for this customer reached Zoho/);

    await page.getByRole('button', { name: 'Retry' }).click();
    await page.waitForURL((url) => url.pathname === `/admin/events/${zoeEventId}`);
    assert.match(await page.locator('.flash').innerText(), /Sent to Zoho again/);
    // The newer change already carried Zoë's newest details to Zoho: this one sent nothing more, and says so.
    await waitFor('the retried change to be settled', async () => {
      await page.reload();
      return /Nothing to send\s+Zoho already had this customer’s newest details/.test(await page.locator('#outcome').innerText());
    });
    assert.equal(await page.getByRole('button', { name: 'Retry' }).count(), 0, 'nothing left to retry');
    assert.match(await page.locator('#later').innerText(), /Customer changed[\s\S]*Sent to Zoho/);
    assert.deepEqual(listsOf(bridge.sim, 'zoe@example.com'), ['sim-customers'], 'Zoë is on the Customers list in Zoho');
    await screenshots(page, 'must-show-4-detail-sent');

    await page.goto('/admin');
    assert.equal(await page.locator('section.store-health').getByText('could not be sent to Zoho').count(), 0, 'nothing failed any more');
    await page.goto('/admin/contacts/zoe%40example.com');
    assert.match(await page.locator('section.contact').innerText(), /On Zoho lists\s+Customers/);
    await screenshots(page, 'must-show-5-contact');
    assert.deepEqual(tab.dialogs, []);
  });
});
