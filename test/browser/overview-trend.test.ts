// The overview's trend in Chromium: the last 30 days of changes per day in the owner's time zone
// and each Zoho list's size, as server-drawn SVG charts an assistive technology can name, with the
// same numbers in a table; the page uses a desktop's width and stays one column on a phone; no
// page text names a setting of the bridge's environment. Photographed light and dark.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { formatDay } from '../../src/readable.ts';
import { addDays, dayIn, dayStartIn } from '../../src/sync-log/time-zones.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { launchChromium, screenshots, signInInBrowser, type OwnerTab } from '../support/chromium.ts';
import { OWNER_PASSWORD } from '../support/owner.ts';
import { CUSTOMERS, deliver, wooTime } from '../support/sync.ts';
import { customerBody } from '../support/woocommerce.ts';

/** Thirteen hours ahead of UTC in December: most of a UTC day is the next day here. */
const ZONE = 'Pacific/Auckland';

describe('the overview’s trend in a browser', () => {
  let bridge: TestBridge;
  let browser: Browser;
  let tab: OwnerTab;
  let today: string;
  const cspViolations: string[] = [];

  /** Moves a change to `hours` after the start of `day` in the owner's zone. */
  const receivedOn = (id: bigint, day: string, hours: number) =>
    bridge.services.db.webhookEvent.update({ where: { id }, data: { receivedAt: new Date(dayStartIn(ZONE, day).getTime() + hours * 3_600_000) } });

  before(async () => {
    browser = await launchChromium();
    // One try per change, so a Zoho outage fails a change at once.
    bridge = await startBridge({ env: { SYNC_ATTEMPTS: '1' } });
    await bridge.services.owner.applyConfiguredPassword(OWNER_PASSWORD);
    await bridge.services.owner.chooseTimeZone(ZONE);
    today = dayIn(ZONE, new Date());

    const sent = [];
    for (const id of [1, 2, 3]) {
      sent.push(
        await deliver(bridge, 'customer.created', customerBody({ id, email: `c${id}@example.com`, first_name: `C${id}`, date_modified_gmt: wooTime(id) })),
      );
    }
    bridge.sim.injectFault({ endpoint: 'listsubscribe', kind: 'http503' });
    const failed = await deliver(bridge, 'customer.created', customerBody({ id: 4, email: 'c4@example.com', first_name: 'C4', date_modified_gmt: wooTime(4) }));
    assert.deepEqual([...sent.map((event) => event.status), failed.status], ['synced', 'synced', 'synced', 'failed']);
    // Two arrived three days ago, one in the first hour of that day (still the day before in UTC).
    await receivedOn(sent[0]!.id, addDays(today, -3), 0.5);
    await receivedOn(sent[1]!.id, addDays(today, -3), 20);
    await receivedOn(failed.id, addDays(today, -1), 9);

    // Counts of earlier days, as the hourly job would have left them; today's is counted now.
    await bridge.services.db.listSizeSample.createMany({
      data: [
        { day: -5, contacts: 1 },
        { day: -4, contacts: 1 },
        { day: -2, contacts: 2 },
        { day: -1, contacts: 2 },
      ].map(({ day, contacts }) => ({
        listKey: CUSTOMERS,
        listName: 'Customers',
        day: new Date(`${addDays(today, day)}T00:00:00Z`),
        contacts,
        recordedAt: new Date(),
      })),
    });
    await bridge.services.zoho.catalog.forget();
    await bridge.services.listSizes.run();

    tab = await signInInBrowser(browser, bridge);
    tab.page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
  });
  after(async () => {
    await browser?.close();
    await bridge?.close();
  });

  it('draws the last 30 days of changes as an image with a name, and gives the same numbers in a table', async () => {
    const { page } = tab;
    await page.goto('/admin');
    const chart = page.locator('#trend-default');
    const svg = chart.locator('svg.chart-plot[role="img"]');
    assert.equal(await svg.count(), 1, 'one chart for the store');
    assert.equal(await svg.locator(':scope > title').textContent(), 'Changes, last 30 days');
    assert.match(
      (await svg.locator(':scope > desc').textContent()) ?? '',
      new RegExp(
        `^In the last 30 days: 3 sent to Zoho, 1 failed, 0 not sent yet\\. The busiest day was ${formatDay(addDays(today, -3), { weekday: true })}, with 2\\.$`,
      ),
    );
    assert.equal(await svg.locator('g.day').count(), 30, 'a slot per day');
    assert.equal(await svg.locator('rect.bar.sent').count(), 2, 'two days with changes sent');
    assert.equal(await svg.locator('rect.bar.failed').count(), 1);
    assert.equal(
      await svg.locator('g.day').nth(26).locator('title').textContent(),
      `${formatDay(addDays(today, -3), { weekday: true })}: 2 sent to Zoho, 0 failed, 0 not sent yet`,
    );
    assert.equal(await chart.locator('.legend').innerText(), '3 sent to Zoho\n1 failed\n0 not sent yet');

    await chart.getByText('The numbers, day by day').click();
    const row = (day: string) => chart.locator('tbody tr', { has: page.getByRole('rowheader', { name: formatDay(day, { weekday: true }), exact: true }) });
    assert.equal(await chart.locator('tbody tr').count(), 30);
    assert.deepEqual(await row(addDays(today, -3)).locator('td').allInnerTexts(), ['2', '0', '0']);
    assert.deepEqual(await row(addDays(today, -1)).locator('td').allInnerTexts(), ['0', '1', '0']);
    assert.deepEqual(await row(today).locator('td').allInnerTexts(), ['1', '0', '0']);
    assert.deepEqual(await row(addDays(today, -2)).locator('td').allInnerTexts(), ['0', '0', '0']);
    assert.deepEqual(cspViolations, []);
  });

  it('draws each list’s size day by day, with gaps where it was not counted', async () => {
    const { page } = tab;
    const chart = page.locator('#lists figure.list-chart', { hasText: 'Customers' });
    assert.match(await chart.locator('.chart-head').innerText(), /Customers\s+Every customer\s+3 on the list\s+\+2 since /);
    const svg = chart.locator('svg[role="img"]');
    assert.equal(await svg.locator(':scope > title').textContent(), 'Contacts on Customers, day by day');
    assert.equal(await svg.locator('circle.point').count(), 5, 'a dot per day counted');
    assert.equal(await svg.locator('line.trend').count(), 3, 'lines join days in a row only: none across the day not counted');
    await chart.getByText('The numbers, day by day').click();
    const cells = await chart.locator('tbody tr').evaluateAll((rows) => rows.slice(-6).map((row) => (row as { innerText: string }).innerText.split('\t')));
    assert.deepEqual(
      cells.map(([day, contacts]) => [day, contacts]),
      [-5, -4, -3, -2, -1, 0].map((offset, index) => [formatDay(addDays(today, offset), { weekday: true }), ['1', '1', 'not counted', '2', '2', '3'][index]]),
    );
  });

  it('uses a desktop’s width, stays one column on a phone, and names no setting of the bridge’s environment', async () => {
    const { page } = tab;
    await page.setViewportSize({ width: 1600, height: 900 });
    await page.goto('/admin');
    const main = (await page.locator('main').boundingBox())!;
    assert.ok(main.width > 1100, `the page is ${main.width}px wide on a 1600px screen`);
    const lists = (await page.locator('#lists').boundingBox())!;
    const bridgeCard = (await page.locator('#bridge').boundingBox())!;
    assert.equal(Math.round(lists.y), Math.round(bridgeCard.y), 'the lists and the bridge sit side by side');
    const side = (await page.locator('#store-default .store-side').boundingBox())!;
    const chart = (await page.locator('#trend-default').boundingBox())!;
    assert.ok(side.x > chart.x + chart.width, 'the store’s lists and deliveries sit beside its chart');

    await page.setViewportSize({ width: 390, height: 844 });
    const narrowLists = (await page.locator('#lists').boundingBox())!;
    const narrowBridge = (await page.locator('#bridge').boundingBox())!;
    assert.ok(narrowBridge.y > narrowLists.y + narrowLists.height, 'one column on a phone');
    assert.equal(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth'), true, 'nothing runs off the side');
    await page.setViewportSize({ width: 1280, height: 800 });

    assert.doesNotMatch(await page.locator('main').innerText(), /ZOHO_|[A-Z]{3,}_[A-Z]{3,}/);
    await screenshots(page, 'overview-trend');
  });
});
