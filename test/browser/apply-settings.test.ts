// "Apply settings to everyone" in Chromium, as a store owner does it: change a rule and add a
// consent field in Settings, read the notice, open the preview and check its numbers, run it, watch
// it finish without reloading, and find the people moved between lists in the Zoho simulator (the
// two who said no taken off, never put anywhere). Photographed light and dark, desktop and phone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { launchChromium, screenshots, signInInBrowser, type OwnerTab } from '../support/chromium.ts';
import { ACTIVE, CUSTOMERS, LAPSED, listsOf, ROUTING_LISTS } from '../support/sync.ts';
import { storePeople } from '../support/apply-settings.ts';

describe('apply settings to everyone, in a browser', () => {
  let bridge: TestBridge;
  let browser: Browser;
  let tab: OwnerTab;
  const cspViolations: string[] = [];

  before(async () => {
    browser = await launchChromium();
    bridge = await startBridge();
    assert.equal((await bridge.services.storeSettings.save('default', { lists: ROUTING_LISTS })).ok, true);
    await storePeople(bridge);
    tab = await signInInBrowser(browser, bridge);
    tab.page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
  });
  after(async () => {
    await browser?.close();
    await bridge?.close();
  });

  it('says, once the rules change, that people already in Zoho keep their old lists', async () => {
    const { page } = tab;
    await page.goto('/admin/settings');
    assert.equal(await page.locator('#apply-notice').count(), 0, 'no notice while the settings are those people have');
    await page.getByLabel('On hold: usually a failed renewal payment').selectOption('lists');
    await page.locator('input[name="status_on-hold_lists"][value="sim-lapsed-customers"]').check();
    await page.getByLabel('Consent field').fill('newsletter_opt_in');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/settings');
    const notice = page.locator('#apply-notice');
    assert.equal(await notice.getByRole('heading').innerText(), 'People already in Zoho keep their old lists');
    assert.match(await notice.innerText(), /keep the lists they have until you apply the settings to everyone/);
    await screenshots(page, 'apply-settings-notice');
  });

  it('previews who would join and leave each list, with the consent it keeps', async () => {
    const { page } = tab;
    await page.locator('#apply-notice').getByRole('link', { name: 'See who would move' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/stores/default/apply-settings');
    assert.equal(await page.locator('#moving').innerText(), '3 of the 4 people the bridge knows would change lists.');
    const row = async (name: string) => {
      const cells = page.locator('#list-moves tr', { has: page.getByRole('rowheader', { name, exact: true }) }).locator('td');
      return cells.allInnerTexts();
    };
    assert.deepEqual(await row('Customers'), ['0', '2', '2'], 'Customers: nobody joins, the two who said no leave, two stay');
    assert.deepEqual(await row('Active subscribers'), ['0', '2', '1']);
    assert.deepEqual(await row('Lapsed customers'), ['1', '0', '0'], 'Ana, on hold, joins the lapsed list');
    assert.match(await page.locator('#kept').innerText(), /2 people have not said yes to being mailed: they join no list/);
    assert.deepEqual(listsOf(bridge.sim, 'ana@example.com'), [ACTIVE, CUSTOMERS], 'a preview moves nobody');
    await screenshots(page, 'apply-settings-preview');
  });

  it('runs, shows its progress until it is done without a reload, and the people are moved in Zoho', async () => {
    const { page } = tab;
    await page.getByRole('button', { name: 'Apply to 3 people' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/stores/default/apply-settings');
    assert.match(await page.getByRole('status').innerText(), /Your settings are being applied to everyone\./);
    const progress = page.locator('#progress');
    await progress.getByRole('heading', { name: 'Applied' }).waitFor({ timeout: 30_000 });
    assert.match(await progress.innerText(), /3 of 3 people done\./);
    assert.equal(await progress.getByRole('progressbar').getAttribute('value'), '100');
    await screenshots(page, 'apply-settings-done');

    assert.deepEqual(listsOf(bridge.sim, 'ana@example.com'), [CUSTOMERS, LAPSED], 'on hold: from the active list to the lapsed one');
    assert.deepEqual(listsOf(bridge.sim, 'bo@example.com'), [ACTIVE, CUSTOMERS], 'active and agreed: unchanged');
    assert.deepEqual(listsOf(bridge.sim, 'cy@example.com'), [], 'said no: taken off');
    assert.deepEqual(listsOf(bridge.sim, 'di@example.com'), [], 'said no: taken off, and never put on the lapsed list');

    await progress.getByRole('link', { name: 'See them in the sync log' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/events');
    const rows = page.locator('tr.event');
    assert.equal(await rows.count(), 3);
    assert.match(await rows.first().innerText(), /New settings applied to everyone/);
    assert.deepEqual(cspViolations, []);
  });

  it('no longer shows the notice on Settings once applied', async () => {
    const { page } = tab;
    await page.goto('/admin/settings');
    assert.equal(await page.locator('#apply-notice').count(), 0);
  });

  it('pauses and cancels a run from its page', async () => {
    const { page } = tab;
    // No worker from here on: the run stays where it is while the owner looks at it.
    await bridge.workers!.close(5_000);
    bridge.workers = undefined;
    await page.goto('/admin/settings');
    // Without the consent field, the two who said no would go back on the lists.
    await page.getByLabel('Consent field').fill('');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.locator('#apply-notice').getByRole('link', { name: 'See who would move' }).click();
    await page.getByRole('button', { name: 'Apply to 2 people' }).click();
    const progress = page.locator('#progress');
    await progress.getByRole('heading', { name: 'Applying' }).waitFor();
    assert.match(await progress.innerText(), /0 of 2 people done\./);
    await screenshots(page, 'apply-settings-running');

    await progress.getByRole('button', { name: 'Pause' }).click();
    assert.match(await page.getByRole('status').innerText(), /^Paused\. People already in line still go to Zoho/);
    await progress.getByRole('heading', { name: 'Paused' }).waitFor();
    await page.goto('/admin/settings');
    assert.equal(await page.locator('#apply-notice h2').innerText(), 'Applying your settings to everyone is paused');
    await page.locator('#apply-notice').getByRole('link', { name: 'See the progress' }).click();
    await page.locator('#progress').getByRole('button', { name: 'Cancel' }).click();
    assert.match(await page.getByRole('status').innerText(), /^Cancelled\./);
    await page.locator('#preview').waitFor();
    await page.goto('/admin/settings');
    assert.equal(await page.locator('#apply-notice h2').innerText(), 'People already in Zoho keep their old lists', 'a cancelled run applied nothing');
  });
});
