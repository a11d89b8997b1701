// The dashboard's look and its live parts in Chromium: a change that failed turns into "Sent to
// Zoho" on the open sync log and detail page without a reload, with "Updated N s ago"; Retry sits
// on the failed row itself; the live script runs under the strict CSP (no violation, no inline
// script) and the pages work without JavaScript. Photographed light and dark, desktop and phone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { launchChromium, screenshots, signInInBrowser, type OwnerTab } from '../support/chromium.ts';
import { CUSTOMERS, deliver, listsOf, wooTime } from '../support/sync.ts';
import { customerBody } from '../support/woocommerce.ts';

describe('live statuses and the layout in a browser', () => {
  let bridge: TestBridge;
  let browser: Browser;
  let tab: OwnerTab;
  const cspViolations: string[] = [];

  before(async () => {
    browser = await launchChromium();
    bridge = await startBridge({ env: { SYNC_ATTEMPTS: '1' } });
    await deliver(
      bridge,
      'customer.created',
      customerBody({ id: 60, email: 'ana@example.com', first_name: 'Ana', last_name: 'Ng', date_modified_gmt: wooTime(0) }),
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

  async function failedChange(id: number, email: string, name: string): Promise<bigint> {
    bridge.sim.injectFault({ endpoint: 'listsubscribe', kind: 'http503' });
    const event = await deliver(bridge, 'customer.created', customerBody({ id, email, first_name: name, last_name: 'Test', date_modified_gmt: wooTime(id) }));
    assert.equal(event.status, 'failed', 'Zoho was down for its only try');
    return event.id;
  }

  it('turns a failed row into "Sent to Zoho" on the open sync log, without a reload, and says how fresh it is', async () => {
    const id = await failedChange(61, 'bo@example.com', 'Bo');
    const { page } = tab;
    await page.goto('/admin/events');
    const row = page.locator(`tr.event[data-event="${id}"]`);
    const badge = row.locator('.badge');
    assert.equal(await badge.innerText(), 'Failed');
    assert.ok(await row.getByRole('button', { name: `Retry change #${id}` }).isVisible(), 'the failed row has its own Retry');
    await screenshots(page, 'sync-log-live-failed');

    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    // Someone else (another tab, the API) retries it while this page stays open.
    assert.equal(await bridge.services.eventActions.retry(id), 'done');
    await badge.filter({ hasText: 'Sent to Zoho' }).waitFor({ timeout: 20_000 });
    assert.equal(navigations, 0, 'the page was not reloaded');
    assert.ok(await badge.evaluate((element) => element.classList.contains('ok')), 'the badge took the tone of its new status');
    assert.equal(await row.getByRole('button', { name: /Retry/ }).count(), 0, 'Retry is gone from the row once it is sent');
    assert.match(await page.locator('[data-live-age]').first().innerText(), /^Updated \d+ s ago$/);
    assert.deepEqual(listsOf(bridge.sim, 'bo@example.com'), [CUSTOMERS]);
    assert.deepEqual(cspViolations, [], 'the live script runs under the CSP');
    assert.deepEqual(tab.dialogs, []);
  });

  it('retries from the failed row itself and comes back to the log', async () => {
    const id = await failedChange(62, 'cy@example.com', 'Cy');
    const { page } = tab;
    await page.goto('/admin/events?status=failed');
    await page.getByRole('button', { name: `Retry change #${id}` }).click();
    await page.waitForURL((url) => url.pathname === '/admin/events' && url.searchParams.get('status') === 'failed');
    assert.match(await page.getByRole('status').innerText(), new RegExp(`Change #${id} is being sent to Zoho again`));
    await page.goto(`/admin/events/${id}`);
    await page.locator('#outcome .badge', { hasText: 'Sent to Zoho' }).waitFor({ timeout: 20_000 });
    assert.deepEqual(listsOf(bridge.sim, 'cy@example.com'), [CUSTOMERS]);
  });

  it('updates the open detail page of a failed change when it is sent', async () => {
    const id = await failedChange(63, 'di@example.com', 'Di');
    const { page } = tab;
    await page.goto(`/admin/events/${id}`);
    assert.ok(await page.getByRole('button', { name: 'Retry' }).isVisible());
    await screenshots(page, 'event-detail-live-failed');
    assert.equal(await bridge.services.eventActions.retry(id), 'done');
    await page.locator('#outcome .badge', { hasText: 'Sent to Zoho' }).waitFor({ timeout: 20_000 });
    assert.ok(await page.getByRole('button', { name: 'Retry' }).isHidden(), 'nothing left to retry');
    assert.match(await page.locator('#outcome [data-live-age]').innerText(), /^Updated \d+ s ago$/);
    assert.deepEqual(cspViolations, []);
  });

  it('counts a new failure on the open overview without a reload', async () => {
    const { page } = tab;
    await page.goto('/admin');
    const failed = page.locator('[data-field="failed-default"]');
    const before = Number(await failed.innerText());
    let navigations = 0;
    page.on('framenavigated', () => navigations++);
    await failedChange(64, 'ed@example.com', 'Ed');
    await failed.filter({ hasText: String(before + 1) }).waitFor({ timeout: 20_000 });
    assert.equal(navigations, 0, 'the page was not reloaded');
    assert.ok(await failed.evaluate((element) => element.classList.contains('tone-bad')), 'a failure shows in the failure colour');
    assert.match(await page.locator('[data-live-age]').innerText(), /^Updated \d+ s ago$/);
    await screenshots(page, 'overview-live');
  });

  it('works without JavaScript, and serves the script under a CSP that allows only its own files', async () => {
    const response = await tab.page.request.get('/admin/events');
    const csp = response.headers()['content-security-policy'] ?? '';
    assert.match(csp, /script-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
    const html = await response.text();
    assert.match(html, /<script src="\/admin\/assets\/live\.js" defer><\/script>/);
    assert.equal((html.match(/<script/g) ?? []).length, 1, 'no other script, inline or not');
    const script = await tab.page.request.get('/admin/assets/live.js');
    assert.match(script.headers()['content-type'] ?? '', /^text\/javascript/);

    const noScript = await browser.newContext({ baseURL: bridge.url, javaScriptEnabled: false, storageState: await tab.context.storageState() });
    const page = await noScript.newPage();
    await page.goto('/admin/events');
    assert.ok((await page.locator('tr.event').count()) >= 3, 'the log is all there');
    assert.ok(await page.locator('[data-live-age]').first().isHidden(), 'no freshness line claims updates that cannot come');
    await noScript.close();
  });

  it('lays out every section with a sidebar on a desktop and follows the dark setting', async () => {
    const { page } = tab;
    await page.goto('/admin');
    await page.setViewportSize({ width: 1280, height: 800 });
    const nav = await page.getByRole('navigation', { name: 'Sections' }).boundingBox();
    const main = await page.locator('main').boundingBox();
    assert.ok(nav && main && nav.x + nav.width <= main.x, 'the sections sit beside the page, not above it');
    await page.emulateMedia({ colorScheme: 'dark' });
    const dark = await page.evaluate<string>('getComputedStyle(document.body).color');
    await page.emulateMedia({ colorScheme: 'light' });
    const light = await page.evaluate<string>('getComputedStyle(document.body).color');
    assert.notEqual(dark, light);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate<string>('document.activeElement?.textContent'), 'Skip to the page', 'the first Tab offers to skip the sections');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate<string>('document.activeElement?.id'), 'content', 'and skipping lands on the page itself');
    await screenshots(page, 'overview-layout');
  });
});
