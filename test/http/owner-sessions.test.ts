// Dashboard sessions live on the server: signing out, changing the password (on the page or with
// ADMIN_PASSWORD at start) and running out (idle, absolute) end them, whatever copy of the cookie
// a browser or an attacker still holds. Password hashes made at a lower cost are replaced at the
// next sign-in.
import assert from 'node:assert/strict';
import { scryptSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { Browser, textOf } from '../support/browser.ts';
import { OWNER_PASSWORD, signedInBrowser, startAnotherProcess } from '../support/owner.ts';

const HOUR = 3_600_000;

/** Whether `cookie` (a Cookie header) still opens the overview. */
async function opens(bridge: TestBridge, cookie: string): Promise<boolean> {
  const response = await fetch(`${bridge.url}/admin`, { headers: { cookie }, redirect: 'manual' });
  await response.body?.cancel();
  if (response.status === 200) return true;
  assert.equal(response.status, 303);
  assert.match(response.headers.get('location') ?? '', /^\/admin\/login/);
  return false;
}

describe('dashboard sessions', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false });
  });
  after(() => bridge.close());

  it('refuses a cookie saved before signing out, and stores only a hash of the session id', async () => {
    const browser = await signedInBrowser(bridge);
    const saved = browser.cookieHeader();
    assert.equal(await opens(bridge, saved), true);
    const [row] = await bridge.services.db.ownerSession.findMany();
    assert.ok(row, 'the session is a row');
    assert.match(row.idHash, /^[0-9a-f]{64}$/);

    const overview = await browser.get('/admin');
    const out = await browser.submit(overview, '/admin/logout');
    assert.equal(new URL(out.url).pathname, '/admin/login');
    assert.equal(await bridge.services.db.ownerSession.count(), 0, 'signing out deletes the session');
    assert.equal(await opens(bridge, saved), false, 'the copied cookie opens nothing');
    const login = await fetch(`${bridge.url}/admin/login`, { headers: { cookie: saved }, redirect: 'manual' });
    assert.equal(login.status, 200, 'the sign-in page asks for the password again');
    assert.doesNotMatch(textOf(await login.text()), /Sign out/);
  });

  it('ends a session after SESSION_IDLE_HOURS without a visit and SESSION_MAX_DAYS after signing in, and prunes them', async () => {
    const idle = await signedInBrowser(bridge);
    const busy = await signedInBrowser(bridge);
    const [idleRow, busyRow] = await bridge.services.db.ownerSession.findMany({ orderBy: { createdAt: 'asc' } });
    // The defaults: 12 hours idle, 7 days in all.
    await bridge.services.db.ownerSession.update({ where: { idHash: idleRow!.idHash }, data: { lastSeenAt: new Date(Date.now() - 12 * HOUR - 60_000) } });
    await bridge.services.db.ownerSession.update({
      where: { idHash: busyRow!.idHash },
      data: { createdAt: new Date(Date.now() - 7 * 24 * HOUR - 60_000), lastSeenAt: new Date(Date.now() - 60_000) },
    });
    assert.equal(await opens(bridge, idle.cookieHeader()), false, 'idle too long');
    assert.equal(await opens(bridge, busy.cookieHeader()), false, 'signed in too long ago, however busy');

    const kept = await signedInBrowser(bridge);
    const stale = await bridge.services.db.ownerSession.create({
      data: { idHash: 'f'.repeat(64), createdAt: new Date(Date.now() - 30 * 24 * HOUR), lastSeenAt: new Date(Date.now() - 30 * 24 * HOUR) },
    });
    await signedInBrowser(bridge);
    assert.equal(await bridge.services.db.ownerSession.findUnique({ where: { idHash: stale.idHash } }), null, 'a sign-in prunes run-out sessions');
    assert.equal(await opens(bridge, kept.cookieHeader()), true);
  });

  it('signs out every other browser when the owner changes the password on the page, and shows the API tokens to review', async () => {
    const other = await signedInBrowser(bridge);
    const browser = await signedInBrowser(bridge);
    const before = browser.cookieHeader();
    await bridge.services.db.apiToken.create({ data: { name: 'Made by somebody', tokenHash: 'a'.repeat(64) } });

    const page = await browser.get('/admin/password');
    assert.match(textOf(page.body), /Changing the password signs out every browser/);
    const wrong = await browser.submit(page, '/admin/password', { current: 'not it at all', password: 'a new password here', confirm: 'a new password here' });
    assert.equal(wrong.status, 401);
    assert.match(textOf(wrong.body), /Your current password is not right/);
    assert.equal(await opens(bridge, other.cookieHeader()), true, 'a refused change ends nothing');

    const changed = await browser.submit(wrong, '/admin/password', {
      current: OWNER_PASSWORD,
      password: 'a new password here',
      confirm: 'a new password here',
    });
    assert.equal(new URL(changed.url).pathname, '/admin/api-tokens');
    assert.match(textOf(changed.body), /every other browser is signed out\. API tokens made before this password still open the JSON API/);
    assert.match(textOf(changed.body), /Made by somebody/);
    assert.equal(await opens(bridge, other.cookieHeader()), false, 'the other browser is signed out');
    assert.equal(await opens(bridge, before), false, 'so is a copy of this browser’s cookie from before');
    assert.equal(await opens(bridge, browser.cookieHeader()), true, 'this browser stays signed in');
    await bridge.services.owner.applyConfiguredPassword(OWNER_PASSWORD);
    await bridge.services.db.apiToken.deleteMany();
  });

  it('signs every browser out when ADMIN_PASSWORD changes at start, and warns about API tokens made before', async () => {
    const browser = await signedInBrowser(bridge);
    await bridge.services.db.apiToken.create({ data: { name: 'Unknown', tokenHash: 'b'.repeat(64) } });
    const unchanged = await startAnotherProcess(bridge, { ADMIN_PASSWORD: OWNER_PASSWORD });
    assert.equal(await opens(bridge, browser.cookieHeader()), true, 'the same password ends nothing');
    assert.equal(
      unchanged.some((line) => line.includes('API token')),
      false,
    );

    const logs = await startAnotherProcess(bridge, { ADMIN_PASSWORD: 'changed in the settings' });
    assert.equal(await opens(bridge, browser.cookieHeader()), false);
    const warning = logs.map((line) => JSON.parse(line) as { level: number; msg: string }).find((line) => line.msg.includes('API token'));
    assert.equal(warning?.level, 40);
    assert.match(warning!.msg, /1 API token\(s\) made before this password still open the JSON API: review them on .*\/admin\/api-tokens/);
    const page = await new Browser(bridge.url).get('/admin/password');
    assert.equal(new URL(page.url).pathname, '/admin/login');
    await bridge.services.owner.applyConfiguredPassword(OWNER_PASSWORD);
    await bridge.services.db.apiToken.deleteMany();
  });

  it('hashes at OWASP’s scrypt cost, and replaces a cheaper hash at the next sign-in', async () => {
    const salt = Buffer.from('0123456789abcdef');
    const cheap = scryptSync(OWNER_PASSWORD.normalize('NFC'), salt, 32, { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
    const old = ['scrypt', 2 ** 15, 8, 1, salt.toString('base64url'), cheap.toString('base64url')].join('$');
    await bridge.services.db.adminAccount.update({ where: { id: 1 }, data: { passwordHash: old } });

    const browser = new Browser(bridge.url);
    const login = await browser.get('/admin/login');
    const overview = await browser.submit(login, '/admin/login', { password: OWNER_PASSWORD });
    assert.equal(new URL(overview.url).pathname, '/admin', 'the cheaper hash still signs in');
    const { passwordHash } = await bridge.services.db.adminAccount.findUniqueOrThrow({ where: { id: 1 } });
    assert.notEqual(passwordHash, old);
    assert.match(passwordHash, /^scrypt\$131072\$8\$1\$/);
    assert.ok(await bridge.services.owner.signIn(OWNER_PASSWORD), 'the same password still signs in');
  });
});
