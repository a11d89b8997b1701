// A real browser for the dashboard tests, driven by playwright-core: the system's Chromium where
// there is one, else the Chromium that @sparticuz/chromium ships inside its npm package, so that
// `npm install && npm test` is enough on a fresh machine. Screenshots of each page, at desktop and
// phone width, go to test-output/screenshots/ (gitignored) for a person to look at.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import type { TestBridge } from './bridge.ts';
import { OWNER_PASSWORD } from './owner.ts';
import { chromiumPath } from '../../tools/support/chromium-path.ts';

const SCREENSHOTS = new URL('../../test-output/screenshots/', import.meta.url);
const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };

export async function launchChromium(): Promise<Browser> {
  // Our own flags, not the package's: its defaults turn off web security, which the CSP tests need.
  return chromium.launch({
    executablePath: await chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface OwnerTab {
  context: BrowserContext;
  page: Page;
  /** Every JavaScript dialog (alert, confirm…) any page opened: an injected script would show here. */
  dialogs: string[];
}

/** A fresh browser profile, signed in as the owner through the sign-in form. */
export async function signInInBrowser(browser: Browser, bridge: TestBridge, options: BrowserContextOptions = {}): Promise<OwnerTab> {
  await bridge.services.owner.applyConfiguredPassword(OWNER_PASSWORD);
  const context = await browser.newContext({ viewport: DESKTOP, baseURL: bridge.url, ...options });
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

/**
 * Saves the page as test-output/screenshots/<name>-desktop.png and -phone.png (full length), and
 * the same in the system's dark mode as -desktop-dark.png and -phone-dark.png.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const size = page.viewportSize() ?? DESKTOP;
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const suffix = colorScheme === 'dark' ? '-dark' : '';
    await page.setViewportSize(DESKTOP);
    await page.screenshot({ path: new URL(`${name}-desktop${suffix}.png`, SCREENSHOTS).pathname, fullPage: true, animations: 'disabled' });
    await page.setViewportSize(PHONE);
    await page.screenshot({ path: new URL(`${name}-phone${suffix}.png`, SCREENSHOTS).pathname, fullPage: true, animations: 'disabled' });
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize(size);
}
