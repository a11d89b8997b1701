// Claiming a new bridge in a real browser: the setup page asks for the code from the log, says
// plainly when it is wrong, and leads to the overview; the password page is reachable from every
// page. Both are photographed at desktop and phone width.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { launchChromium, screenshots } from '../support/chromium.ts';
import { OWNER_PASSWORD } from '../support/owner.ts';

describe('claiming the bridge in a browser', () => {
  let bridge: TestBridge;
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
    bridge = await startBridge({ workers: false });
  });
  after(async () => {
    await browser?.close();
    await bridge?.close();
  });

  it('asks for the setup code, explains a wrong one, and signs the owner in with the right one', async () => {
    const context = await browser.newContext({ baseURL: bridge.url });
    const page = await context.newPage();
    await page.goto('/admin');
    assert.equal(new URL(page.url()).pathname, '/admin/setup');
    await screenshots(page, 'claim');

    await page.getByLabel(/^Setup code/).fill('ABCDE-FGHJK-MNPQR-STVWX');
    await page.getByLabel(/^Password/).fill(OWNER_PASSWORD);
    await page.getByLabel('The same password again').fill(OWNER_PASSWORD);
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.waitForLoadState();
    assert.match(await page.getByRole('alert').innerText(), /That setup code is not right/);
    await screenshots(page, 'claim-wrong-code');

    await page.getByLabel(/^Setup code/).fill(bridge.setupCode());
    await page.getByLabel(/^Password/).fill(OWNER_PASSWORD);
    await page.getByLabel('The same password again').fill(OWNER_PASSWORD);
    await page.getByRole('button', { name: 'Save and continue' }).click();
    await page.waitForURL((url) => url.pathname === '/admin');

    await page.getByRole('link', { name: 'Password' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/password');
    assert.ok(await page.getByLabel('Your current password').isVisible());
    await screenshots(page, 'password');
    await context.close();
  });
});
