// The dashboard in a real browser (Chromium, one launch for the file): a customer named like an
// HTML payload shows as text everywhere; a change that failed while Zoho was down is found with
// the filters and retried; and every page is photographed at desktop and phone width.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { launchChromium, screenshots, signInInBrowser, type OwnerTab } from '../support/chromium.ts';
import { deliver, listsOf, wooTime } from '../support/sync.ts';
import { customerBody, sendDelivery, subscriptionBody } from '../support/woocommerce.ts';

const PAYLOAD = '<img src=x onerror=alert(1)><script>alert(2)</script>';

describe('the dashboard in a browser', () => {
  let bridge: TestBridge;
  let browser: Browser;
  let tab: OwnerTab;
  let malloryEvent: bigint;
  let chidiEvent: bigint;

  before(async () => {
    // One try per change, so a Zoho outage fails a change at once (the owner's Retry is the next try).
    browser = await launchChromium();
    bridge = await startBridge({ env: { SYNC_ATTEMPTS: '1' } });
    await deliver(
      bridge,
      'customer.created',
      customerBody({ id: 40, email: 'ana@example.com', first_name: 'Ana', last_name: 'Ng', date_modified_gmt: wooTime(0) }),
    );
    const mallory = await deliver(
      bridge,
      'customer.created',
      customerBody({
        id: 41,
        email: 'mallory@example.com',
        first_name: PAYLOAD,
        last_name: '',
        billing: { first_name: PAYLOAD, last_name: '', company: PAYLOAD, city: 'Lyon', country: 'FR', email: 'mallory@example.com' },
        date_modified_gmt: wooTime(1),
      }),
    );
    malloryEvent = mallory.id;
    await deliver(bridge, 'subscription.updated', subscriptionBody({ id: 1400, customer_id: 40, status: 'active', date_modified_gmt: wooTime(2) }));
    bridge.sim.injectFault({ endpoint: 'listsubscribe', kind: 'http503' });
    const chidi = await deliver(
      bridge,
      'customer.created',
      customerBody({ id: 43, email: 'chidi@example.com', first_name: 'Chidi', last_name: 'Anagonye', date_modified_gmt: wooTime(3) }),
    );
    assert.equal(chidi.status, 'failed', 'Zoho was down for its only try');
    chidiEvent = chidi.id;
    await deliver(
      bridge,
      'customer.created',
      customerBody({ id: 44, email: 'admin@shop.example.com', role: 'administrator', first_name: 'Site', last_name: 'Admin', date_modified_gmt: wooTime(4) }),
    );
    await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body: customerBody({ id: 45 }), secret: 'an-old-secret' });
    tab = await signInInBrowser(browser, bridge);
  });
  after(async () => {
    await browser?.close();
    await bridge?.close();
  });

  /** The payload must be visible as text and never become an element. */
  async function assertShownAsText(page: Page, where: string) {
    assert.ok((await page.getByText(PAYLOAD).count()) > 0, `${where}: the name is shown as text`);
    assert.equal(await page.locator('img[src="x"]').count(), 0, `${where}: no <img> was made from the name`);
    assert.equal(await page.locator('script:not([src="/admin/assets/live.js"])').count(), 0, `${where}: no <script> was made from the name`);
    assert.deepEqual(tab.dialogs, [], `${where}: no script ran`);
  }

  it('shows a customer named like an HTML payload as text on the log, detail and contact pages', async () => {
    const { page } = tab;
    await page.goto('/admin/events');
    await assertShownAsText(page, 'sync log');
    await page
      .locator('tr.event', { hasText: 'mallory@example.com' })
      .getByRole('link', { name: /Details/ })
      .click();
    await page.waitForURL((url) => url.pathname === `/admin/events/${malloryEvent}`);
    await assertShownAsText(page, 'detail');
    assert.match(await page.locator('#contactinfo').innerText(), /First Name\s+<img src=x onerror=alert\(1\)><script>alert\(2\)<\/script>/);
    await screenshots(page, 'event-detail-html-name');
    await page.locator('#customer').getByRole('link', { name: 'mallory@example.com' }).click();
    await page.waitForURL((url) => url.pathname.startsWith('/admin/contacts/'));
    await assertShownAsText(page, 'contact');
    await screenshots(page, 'contact');
  });

  it('finds the change that failed while Zoho was down with the filters, retries it, and shows it sent', async () => {
    const { page } = tab;
    await page.goto('/admin/events');
    await screenshots(page, 'sync-log');
    await page.getByLabel('Status').selectOption({ label: 'Failed' });
    await page.getByLabel('Change', { exact: true }).selectOption({ label: 'New customer' });
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.get('status') === 'failed' && url.searchParams.get('topic') === 'customer.created');
    const rows = page.locator('tr.event');
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), /Chidi Anagonye[\s\S]*Failed[\s\S]*Zoho had a problem on its side \(HTTP 503\)/);
    await screenshots(page, 'sync-log-failed');

    await rows
      .first()
      .getByRole('link', { name: /Details/ })
      .click();
    await page.waitForURL((url) => url.pathname === `/admin/events/${chidiEvent}`);
    assert.match(await page.locator('#calls').innerText(), /HTTP 503/);
    await screenshots(page, 'event-detail-failed');
    await page.getByRole('button', { name: 'Retry' }).click();
    await waitFor('the retried change to reach Zoho', async () => {
      await page.reload();
      return /Sent to Zoho\s+Put on Customers\./.test(await page.locator('#outcome').innerText());
    });
    const calls = await page.locator('#calls tbody tr').allInnerTexts();
    assert.equal(calls.length, 2, 'both tries are in the log');
    assert.match(calls[0]!, /HTTP 503/);
    assert.match(calls[1]!, /HTTP 200, code 0[\s\S]*Zoho put the customer on Customers/);
    assert.deepEqual(listsOf(bridge.sim, 'chidi@example.com'), ['sim-customers']);
    await screenshots(page, 'event-detail-retried');

    await page.goto('/admin/events?status=failed');
    assert.equal(await page.locator('tr.event').count(), 0, 'no failed change is left');
  });

  it('shows every other page, on a desktop and on a phone', async () => {
    const { page } = tab;
    for (const [path, name] of [
      ['/admin', 'overview'],
      ['/admin/events/retry', 'retry-confirm'],
      ['/admin/contacts', 'customers-search'],
      ['/admin/settings', 'settings'],
      ['/admin/stores', 'stores'],
      ['/admin/refused', 'refused'],
      ['/admin/api-tokens', 'api-tokens'],
    ] as const) {
      const response = await page.goto(path);
      assert.equal(response?.status(), 200, path);
      await screenshots(page, name);
    }
    assert.match(await page.locator('main').innerText(), /API access/);

    await page.goto('/admin/stores');
    await page.getByLabel('Name').fill('Outlet shop');
    await page.getByLabel('Store address').fill('https://outlet.example.com');
    await page.getByRole('button', { name: 'Add store' }).click();
    assert.match(await page.locator('#secret').innerText(), /shown only this once/);
    await screenshots(page, 'store-added');

    const signedOut = await browser.newContext({ baseURL: bridge.url });
    const login = await signedOut.newPage();
    await login.goto('/admin/events');
    assert.equal(new URL(login.url()).pathname, '/admin/login');
    await screenshots(login, 'sign-in');
    await signedOut.close();
    assert.deepEqual(tab.dialogs, []);
  });
});
