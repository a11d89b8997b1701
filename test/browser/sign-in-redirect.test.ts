// Signing in sends the browser back where it was going, and only ever to a page of the bridge:
// Chromium itself follows the redirect, so what it makes of a "next" dressed up with a tab, a line
// break or a backslash is what counts, not what a URL parser in Node thinks of it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { launchChromium, signInInBrowser, type OwnerTab } from '../support/chromium.ts';
import { OWNER_PASSWORD } from '../support/owner.ts';

/** As typed in the address bar: already percent-encoded. */
const NEXTS = [
  '/%09/evil.example/again',
  '/%0a/evil.example',
  '/%0d%0a/x',
  '//evil.example',
  '/%5Cevil.example',
  '/%5C/evil.example',
  'https://evil.example/admin',
  '/%2F%2Fevil.example',
  '%09//evil.example',
];

describe('where Chromium lands after signing in', () => {
  let bridge: TestBridge;
  let browser: Browser;
  let tab: OwnerTab;
  before(async () => {
    browser = await launchChromium();
    bridge = await startBridge({ workers: false });
    tab = await signInInBrowser(browser, bridge);
  });
  after(async () => {
    await browser?.close();
    await bridge?.close();
  });

  /** Every host `page` sends a request to from now on: a redirect away shows here even when it cannot connect. */
  function hostsRequested(page: Page): Set<string> {
    const hosts = new Set<string>();
    page.on('request', (request) => hosts.add(new URL(request.url()).host));
    return hosts;
  }

  /** Opens `url` and returns where the tab ended up. */
  async function landing(page: Page, url: string): Promise<{ url: URL; status: number | undefined }> {
    const response = await page.goto(url).catch(() => null);
    return { url: new URL(page.url()), status: response?.status() };
  }

  it('stays on the bridge when a signed-in owner opens a sign-in link with a crafted next', async () => {
    const bridgeHost = new URL(bridge.url).host;
    const hosts = hostsRequested(tab.page);
    for (const next of NEXTS) {
      const { url, status } = await landing(tab.page, `${bridge.url}/admin/login?next=${next}`);
      assert.equal(url.host, bridgeHost, next);
      assert.equal(url.pathname, '/admin', next);
      assert.equal(status, 200, `${next}: the overview, never an error`);
    }
    assert.deepEqual([...hosts], [bridgeHost], 'no request left the bridge');
  });

  it('stays on the bridge when the password is typed on such a link', async () => {
    const context = await browser.newContext({ baseURL: bridge.url });
    const page = await context.newPage();
    const hosts = hostsRequested(page);
    await page.goto('/admin/login?next=/%09/evil.example/again');
    await page.getByLabel('Password').fill(OWNER_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForLoadState();
    const url = new URL(page.url());
    assert.equal(url.host, new URL(bridge.url).host);
    assert.equal(url.pathname, '/admin');
    assert.deepEqual([...hosts], [new URL(bridge.url).host], 'no request left the bridge');
    await context.close();
  });
});
