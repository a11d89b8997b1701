// The dashboard's time zone in Chromium: a browser in Tokyo is offered its own zone in Settings;
// once saved, times read in Tokyo time with UTC on hover, and the log's day filters count days
// in Tokyo, not in UTC.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { launchChromium, screenshots, signInInBrowser, type OwnerTab } from '../support/chromium.ts';
import { deliver, wooTime } from '../support/sync.ts';
import { customerBody } from '../support/woocommerce.ts';

describe('the dashboard in the owner’s time zone', () => {
  let bridge: TestBridge;
  let browser: Browser;
  let tab: OwnerTab;
  let eventId: bigint;

  before(async () => {
    browser = await launchChromium();
    bridge = await startBridge();
    const event = await deliver(
      bridge,
      'customer.created',
      customerBody({ id: 80, email: 'kenji@example.com', first_name: 'Kenji', last_name: 'Sato', date_modified_gmt: wooTime(0) }),
    );
    eventId = event.id;
    // 20:30 UTC on 7 December is 05:30 on 8 December in Tokyo.
    await bridge.services.db.webhookEvent.update({ where: { id: eventId }, data: { receivedAt: new Date('2026-12-07T20:30:00Z') } });
    tab = await signInInBrowser(browser, bridge, { timezoneId: 'Asia/Tokyo' });
  });
  after(async () => {
    await browser?.close();
    await bridge?.close();
  });

  it('shows UTC until a zone is chosen, and filters days in UTC', async () => {
    const { page } = tab;
    await page.goto('/admin/events');
    const when = page.locator(`tr.event[data-event="${eventId}"] time`);
    assert.equal(await when.innerText(), '7 Dec 2026, 20:30 UTC');
    await page.goto('/admin/events?from=2026-12-08&to=2026-12-08');
    assert.equal(await page.locator('tr.event').count(), 0, 'the change is on 7 December in UTC');
  });

  it('proposes the browser’s zone, and after saving shows Tokyo time with UTC on hover', async () => {
    const { page } = tab;
    await page.goto('/admin/settings');
    const select = page.getByLabel(/Time zone of the dashboard/);
    assert.equal(await select.inputValue(), 'Asia/Tokyo', 'the browser’s zone is proposed');
    assert.match(await page.locator('[data-browser-time-zone-note]').innerText(), /Proposed from your browser: Asia\/Tokyo/);
    await screenshots(page, 'settings-time-zone');
    await page.getByRole('button', { name: 'Save time zone' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/settings');
    assert.match(await page.getByRole('status').innerText(), /Times are now shown in Asia\/Tokyo/);
    assert.equal(await select.inputValue(), 'Asia/Tokyo');
    assert.ok(await page.locator('[data-browser-time-zone-note]').isHidden(), 'nothing more is proposed once chosen');

    await page.goto('/admin/events');
    const when = page.locator(`tr.event[data-event="${eventId}"] time`);
    assert.equal(await when.innerText(), '8 Dec 2026, 05:30 GMT+9');
    assert.equal(await when.getAttribute('title'), '7 Dec 2026, 20:30 UTC', 'UTC on hover');
    assert.equal(await when.getAttribute('datetime'), '2026-12-07T20:30:00.000Z');
    await page.goto(`/admin/events/${eventId}`);
    assert.match(await page.locator('.lead').innerText(), /received 8 Dec 2026, 05:30 GMT\+9/);
  });

  it('filters the log by days in the chosen zone', async () => {
    const { page } = tab;
    await page.goto('/admin/events');
    await page.getByLabel('From (day)').fill('2026-12-08');
    await page.getByLabel('Until (day)').fill('2026-12-08');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.waitForURL((url) => url.searchParams.get('from') === '2026-12-08');
    assert.equal(await page.locator(`tr.event[data-event="${eventId}"]`).count(), 1, 'the change is on 8 December in Tokyo');
    await page.goto('/admin/events?from=2026-12-07&to=2026-12-07');
    assert.equal(await page.locator('tr.event').count(), 0);
  });

  it('refuses a zone it does not know, and UTC takes the pages back to UTC', async () => {
    const { page } = tab;
    await page.goto('/admin/settings');
    await page.locator('#timeZone').evaluate((select) => {
      (select as unknown as { innerHTML: string }).innerHTML = '<option value="Mars/Olympus" selected>Mars</option>';
    });
    await page.getByRole('button', { name: 'Save time zone' }).click();
    assert.match(await page.getByRole('status').innerText(), /not one the bridge knows; nothing was changed/);
    await page.getByLabel(/Time zone of the dashboard/).selectOption('UTC');
    await page.getByRole('button', { name: 'Save time zone' }).click();
    await page.goto('/admin/events');
    assert.equal(await page.locator(`tr.event[data-event="${eventId}"] time`).innerText(), '7 Dec 2026, 20:30 UTC');
  });
});
