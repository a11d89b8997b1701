// Shortcuts for tests of owner pages: a browser signed in as the owner, and the browser flow that
// connects Zoho (bridge → simulator's consent → bridge), stopped wherever a test needs it.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { loadConfig, type Role } from '../../src/config.ts';
import { loggerOptions } from '../../src/logger.ts';
import { createServices } from '../../src/services.ts';
import { applyConfiguration } from '../../src/startup.ts';
import type { TestBridge } from './bridge.ts';
import { Browser, type Page } from './browser.ts';

export const OWNER_PASSWORD = 'correct horse battery staple';

/** A browser signed in as the owner (the password is set first; signs nobody out when it is already this one). */
export async function signedInBrowser(bridge: TestBridge): Promise<Browser> {
  await bridge.services.owner.applyConfiguredPassword(OWNER_PASSWORD);
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

/**
 * Starts another process of this bridge (same database and Redis) with `env` and applies its
 * configuration as it would at start; returns its log lines.
 */
export async function startAnotherProcess(bridge: TestBridge, env: Record<string, string>, role: Role = 'all'): Promise<string[]> {
  const logs: string[] = [];
  const config = loadConfig({ ...bridge.env, PORT: '0', ...env });
  const log = pino(
    loggerOptions('trace'),
    new Writable({
      write: (chunk, _encoding, done) => {
        logs.push(String(chunk));
        done();
      },
    }),
  ) as unknown as FastifyBaseLogger;
  const services = createServices(config, config.encryptionKey!, log);
  try {
    await applyConfiguration(services, role);
  } finally {
    await services.close();
  }
  return logs;
}
