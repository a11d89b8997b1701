// Shortcuts for tests of owner pages: a browser signed in as the owner, and the browser flow that
// connects Zoho (bridge → simulator's consent → bridge), stopped wherever a test needs it.
import assert from 'node:assert/strict';
import type { TestBridge } from './bridge.ts';
import { Browser, type Page } from './browser.ts';

export const OWNER_PASSWORD = 'correct horse battery staple';

/** A browser signed in as the owner (the password is chosen first if there is none yet). */
export async function signedInBrowser(bridge: TestBridge): Promise<Browser> {
  await bridge.services.owner.choosePassword(OWNER_PASSWORD);
  const browser = new Browser(bridge.url);
  const login = await browser.get('/admin/login');
  const overview = await browser.submit(login, '/admin/login', { password: OWNER_PASSWORD });
  assert.equal(new URL(overview.url).pathname, '/admin', 'signed in');
  return browser;
}

/**
 * Clicks "Connect", lets the simulator consent, and returns the callback URL Zoho sends the browser
 * back to, without opening it.
 */
export async function callbackUrlFromZoho(browser: Browser): Promise<URL> {
  const start = await browser.get('/oauth/zoho/start', { follow: false });
  assert.equal(start.status, 302, 'start redirects to Zoho');
  const consent = await fetch(start.hops[0]!.location!, { redirect: 'manual' });
  const location = consent.headers.get('location');
  assert.ok(location, `Zoho redirected back (got HTTP ${consent.status})`);
  return new URL(location);
}

/** The whole flow, as a browser follows it: Connect → Zoho → callback → wherever the bridge sends it. */
export function connectInBrowser(browser: Browser): Promise<Page> {
  return browser.get('/oauth/zoho/start');
}
