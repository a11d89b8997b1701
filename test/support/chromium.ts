// A real browser for the dashboard tests: Debian's Chromium driven by playwright-core (never a
// downloaded browser; .ci/run installs the package). A missing Chromium fails the tests with the
// command that installs it, rather than skipping them. Screenshots of each page, at desktop and
// phone width, go to test-output/screenshots/ (gitignored) for a person to look at.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { TestBridge } from './bridge.ts';
import { OWNER_PASSWORD } from './owner.ts';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOTS = new URL('../../test-output/screenshots/', import.meta.url);
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `The browser tests need Debian's Chromium at ${CHROMIUM}, and it is missing. Install it with ` +
        '`apt-get update && apt-get install -y chromium` (.ci/run does), or point CHROMIUM_PATH at a Chromium binary.',
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export interface OwnerTab {
  context: BrowserContext;
  page: Page;
  /** Every JavaScript dialog (alert, confirm…) any page opened: an injected script would show here. */
  dialogs: string[];
}

/** A fresh browser profile, signed in as the owner through the sign-in form. */
export async function signInInBrowser(browser: Browser, bridge: TestBridge): Promise<OwnerTab> {
  await bridge.services.owner.choosePassword(OWNER_PASSWORD);
  const context = await browser.newContext({ viewport: DESKTOP, baseURL: bridge.url });
  const page = await context.newPage();
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await page.goto('/admin');
  assert.equal(new URL(page.url()).pathname, '/admin/login', 'an owner who is not signed in lands on the sign-in page');
  await page.getByLabel('Password').fill(OWNER_PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/admin');
  return { context, page, dialogs };
}

/** Saves the page as test-output/screenshots/<name>-desktop.png and -phone.png (full length). */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize() ?? DESKTOP;
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: new URL(`${name}-desktop.png`, SCREENSHOTS).pathname, fullPage: true });
  await page.setViewportSize(PHONE);
  await page.screenshot({ path: new URL(`${name}-phone.png`, SCREENSHOTS).pathname, fullPage: true });
  await page.setViewportSize(size);
}
