// The owner's password from ADMIN_PASSWORD, sign-in attempts behind a reverse proxy, and the
// one-time setup code across processes and against guessing. Apart from owner-sign-in.test.ts so
// that each file's password hashing (at OWASP's cost) fits its time limit on a loaded machine.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { Browser, csrfTokenOf, textOf } from '../support/browser.ts';
import { startAnotherProcess } from '../support/owner.ts';
import { customerBody } from '../support/woocommerce.ts';

const PASSWORD = 'correct horse battery staple';
describe('owner password from ADMIN_PASSWORD', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false, env: { ADMIN_PASSWORD: 'from the settings file' } });
  });
  after(() => bridge.close());

  it('skips the first-run page and signs in with the configured password', async () => {
    const browser = new Browser(bridge.url);
    const login = await browser.get('/admin');
    assert.equal(new URL(login.url).pathname, '/admin/login');
    const overview = await browser.submit(login, '/admin/login', { password: 'from the settings file' });
    assert.equal(new URL(overview.url).pathname, '/admin');
    assert.equal(overview.status, 200);
  });
});

describe('sign-in attempts behind a reverse proxy (TRUST_PROXY)', () => {
  /** One wrong password from a fresh browser whose requests claim `forwardedFor` as the client. */
  const wrongAttempt = async (bridge: TestBridge, forwardedFor: string) => {
    const browser = new Browser(bridge.url, { headers: { 'x-forwarded-for': forwardedFor } });
    const login = await browser.get('/admin/login');
    return (await browser.submit(login, '/admin/login', { password: 'not the password' })).status;
  };

  describe('by default: the test client is on loopback, where a proxy would be', () => {
    let bridge: TestBridge;
    before(async () => {
      bridge = await startBridge({ workers: false, env: { ADMIN_PASSWORD: PASSWORD } });
    });
    after(() => bridge.close());

    it("counts attempts per address the proxy forwards, so one visitor's guesses do not lock out another", async () => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 11; attempt++) statuses.push(await wrongAttempt(bridge, '203.0.113.10'));
      assert.deepEqual(statuses, [...Array<number>(10).fill(401), 429]);
      assert.equal(await wrongAttempt(bridge, '203.0.113.20'), 401);
    });
  });

  describe("by default: a peer on a private network, as every client behind Docker's published port is", () => {
    const PEER = '172.18.0.1';
    let bridge: TestBridge;
    before(async () => {
      bridge = await startBridge({ workers: false, captureLogs: true, env: { ADMIN_PASSWORD: PASSWORD } });
    });
    after(() => bridge.close());

    /** One wrong password arriving from PEER, claiming to come from `forwardedFor`. */
    const wrongAttemptFromPeer = async (forwardedFor: string) => {
      const headers = { 'x-forwarded-for': forwardedFor };
      const login = await bridge.app.inject({ method: 'GET', url: '/admin/login', remoteAddress: PEER, headers });
      const cookie = login.headers['set-cookie']!.toString().split(';')[0]!;
      const attempt = await bridge.app.inject({
        method: 'POST',
        url: '/admin/login',
        remoteAddress: PEER,
        headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
        payload: new URLSearchParams({ _csrf: csrfTokenOf(login.body), password: 'not the password' }).toString(),
      });
      return attempt.statusCode;
    };

    it('ignores X-Forwarded-For: a made-up address per guess does not escape the limit, nor reach the log or the refusals', async () => {
      assert.deepEqual(bridge.config.trustProxy, ['loopback']);
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 11; attempt++) statuses.push(await wrongAttemptFromPeer(`198.51.100.${attempt + 1}`));
      assert.deepEqual(statuses, [...Array<number>(10).fill(401), 429]);

      const addresses = bridge.logs
        .map((line) => JSON.parse(line) as { req?: { remoteAddress?: string } })
        .flatMap((line) => (line.req?.remoteAddress ? [line.req.remoteAddress] : []));
      assert.ok(addresses.length > 0, 'requests are logged with their address');
      assert.deepEqual([...new Set(addresses)], [PEER]);

      const refused = await bridge.app.inject({
        method: 'POST',
        url: '/webhooks/woocommerce',
        remoteAddress: PEER,
        headers: { 'x-forwarded-for': '198.51.100.99', 'content-type': 'application/json', 'x-wc-webhook-topic': 'customer.updated' },
        payload: JSON.stringify(customerBody({ id: 7 })),
      });
      assert.equal(refused.statusCode, 401);
      const [refusal] = await bridge.services.db.rejectedDelivery.findMany();
      assert.equal(refusal?.remoteAddress, PEER);
    });
  });

  describe('TRUST_PROXY=false: the bridge is reached directly', () => {
    let bridge: TestBridge;
    before(async () => {
      bridge = await startBridge({ workers: false, env: { ADMIN_PASSWORD: PASSWORD, TRUST_PROXY: 'false' } });
    });
    after(() => bridge.close());

    it('ignores X-Forwarded-For, so a made-up address per guess does not escape the limit', async () => {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 11; attempt++) statuses.push(await wrongAttempt(bridge, `198.51.100.${attempt + 1}`));
      assert.deepEqual(statuses, [...Array<number>(10).fill(401), 429]);
    });
  });
});

describe('setup codes across the processes of one bridge', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false });
  });
  after(() => bridge.close());

  /** Claims the bridge with `code` from a fresh browser; returns the answer's status and where it ended. */
  const claim = async (code: string, password = PASSWORD) => {
    const browser = new Browser(bridge.url);
    const setup = await browser.get('/admin/setup');
    // Once claimed, the setup page is the sign-in page: the form is posted with its CSRF token anyway.
    const answer = await browser.post('/admin/setup', { _csrf: csrfTokenOf(setup.body), code, password, confirm: password });
    return { status: answer.status, path: new URL(answer.url).pathname };
  };

  it('accepts the code another server process offered, makes a new one at each start, and none in a worker', async () => {
    const firstCode = bridge.setupCode();
    const otherFile = join(tmpdir(), `wzb-test-setup-code-${process.pid}-other`);
    await startAnotherProcess(bridge, { SETUP_CODE_FILE: otherFile });
    const otherCode = readFileSync(otherFile, 'utf8').trim();
    rmSync(otherFile);
    assert.notEqual(otherCode, firstCode);

    // This process restarts: its earlier code stops working, the new one works alongside the other process's.
    await startAnotherProcess(bridge, { SETUP_CODE_FILE: bridge.config.owner.setupCodeFile });
    const restartedCode = bridge.setupCode();
    assert.notEqual(restartedCode, firstCode);
    const workerLogs = await startAnotherProcess(bridge, { SETUP_CODE_FILE: bridge.config.owner.setupCodeFile }, 'worker');
    assert.equal(bridge.setupCode(), restartedCode, 'a worker serves no dashboard and offers no code');
    assert.equal(
      workerLogs.some((line) => line.includes('setup code')),
      false,
    );
    assert.equal(await bridge.services.db.ownerSetupCode.count(), 2);

    assert.deepEqual(await claim(firstCode), { status: 401, path: '/admin/setup' });
    assert.deepEqual(await claim(otherCode), { status: 200, path: '/admin' });
    assert.equal(await bridge.services.db.ownerSetupCode.count(), 0, 'every code is used up by the claim');
    assert.deepEqual(await claim(restartedCode, 'attacker password'), { status: 200, path: '/admin/login' });
    assert.equal(await bridge.services.owner.signIn('attacker password'), undefined);

    // Once a password exists, a start offers no code and removes the file.
    await startAnotherProcess(bridge, { SETUP_CODE_FILE: bridge.config.owner.setupCodeFile });
    assert.equal(existsSync(bridge.config.owner.setupCodeFile), false);
    assert.equal(await bridge.services.db.ownerSetupCode.count(), 0);
  });
});

describe('guessing the setup code', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false });
  });
  after(() => bridge.close());

  it('is limited per address like a password, and leaves the real code working', async () => {
    const guess = async (code: string, forwardedFor: string) => {
      const browser = new Browser(bridge.url, { headers: { 'x-forwarded-for': forwardedFor } });
      const setup = await browser.get('/admin/setup');
      return browser.post('/admin/setup', { _csrf: csrfTokenOf(setup.body), code, password: PASSWORD, confirm: PASSWORD });
    };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++)
      statuses.push((await guess(`ABCDE-FGHJK-MNPQR-STV${String(attempt).padStart(2, '2')}`, '203.0.113.30')).status);
    assert.deepEqual(statuses, [...Array<number>(10).fill(401), 429]);
    const limited = await guess(bridge.setupCode(), '203.0.113.30');
    assert.equal(limited.status, 429, 'even the right code waits out the limit');
    assert.match(textOf(limited.body), /Too many sign-in attempts from your address/);
    assert.equal(await bridge.services.owner.hasPassword(), false);

    const owner = await guess(bridge.setupCode(), '203.0.113.31');
    assert.equal(new URL(owner.url).pathname, '/admin');
    assert.equal(await bridge.services.owner.hasPassword(), true);
  });
});
