// The headless path: `woo-zoho-bridge connect --code … --dc …` with a Self Client grant code, run
// as a real process through bin/woo-zoho-bridge.mjs, against the bridge's database and the Zoho
// simulator. Errors are told in words; waiting deliveries resume in the running bridge.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { customerBody, sendDelivery } from '../support/woocommerce.ts';

const BIN = fileURLToPath(new URL('../../bin/woo-zoho-bridge.mjs', import.meta.url));

interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as an operator would, from a folder without a .env file. */
function cli(bridge: TestBridge, ...args: string[]): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: tmpdir(),
      env: { PATH: process.env.PATH ?? '', ...bridge.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('woo-zoho-bridge connect (Self Client)', () => {
  let bridge: TestBridge;
  let usedCode: string;
  before(async () => {
    bridge = await startBridge({ zohoConnected: false });
  });
  after(() => bridge.close());

  it("connects with a grant code, lists the account's lists, and lets waiting deliveries sync", async () => {
    const delivery = await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body: customerBody({ id: 61, email: 'headless@example.com' }) });
    const eventId = BigInt(delivery.json().event as string);
    await waitFor(
      'the delivery to wait for Zoho',
      async () => (await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: eventId } })).status === 'waiting',
    );

    usedCode = bridge.sim.issueGrantCode({ dc: 'com', ttlSeconds: 600 });
    const result = await cli(bridge, 'connect', '--code', usedCode, '--dc', 'com');
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /Connected to Zoho Campaigns in United States \(zoho\.com\)/);
    assert.match(result.stdout, /sim-customers {2}Customers \(0 contacts\)/);
    assert.match(result.stdout, /\/admin, or set ZOHO_LIST_KEY/);

    const connection = await bridge.services.db.zohoConnection.findUniqueOrThrow({ where: { id: 1 } });
    assert.equal(connection.origin, 'self-client');
    const exchange = bridge.sim.callsTo('token').find((call) => call.params.code === usedCode);
    assert.equal(exchange?.params.redirect_uri, undefined, 'a Self Client code is exchanged without redirect_uri');
    const refreshToken = bridge.services.repositories.zohoConnection.decryptRefreshToken(connection);
    assert.ok(!`${result.stdout}${result.stderr}`.includes(refreshToken));

    // The bridge's own workers (another process) pick the delivery up by themselves.
    await waitFor(
      'the waiting delivery to sync',
      async () => (await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: eventId } })).status === 'synced',
      8_000,
    );
    assert.equal(bridge.sim.contacts('sim-customers').get('headless@example.com')?.status, 'active');
  });

  it('says a used or expired code must be generated again, and how long codes last', async () => {
    const result = await cli(bridge, 'connect', '--code', usedCode, '--dc', 'com');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /The code expired or was used; generate a new one, codes last 3–10 minutes/);
    assert.equal(result.stdout, '');
  });

  it('points at --dc when the code belongs to another data centre', async () => {
    const code = bridge.sim.issueGrantCode({ dc: 'eu' });
    const result = await cli(bridge, 'connect', '--code', code, '--dc', 'com');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /Zoho's United States \(zoho\.com\) data centre does not know ZOHO_CLIENT_ID\. Check --dc/);
    const right = await cli(bridge, 'connect', '--code', code, '--dc', 'eu');
    assert.equal(right.code, 0, right.stderr);
    assert.match(right.stdout, /Europe \(zoho\.eu\)/);
  });

  it('refuses an unknown data centre before calling Zoho', async () => {
    const calls = bridge.sim.calls.length;
    const result = await cli(bridge, 'connect', '--code', '1000.x', '--dc', 'mars');
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /use one of com, eu, in, com\.au, jp, zohocloud\.ca, com\.cn/);
    assert.equal(bridge.sim.calls.length, calls);
  });

  it('shows the status, and disconnects by revoking the token at Zoho', async () => {
    const status = await cli(bridge, 'zoho', 'status');
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /Zoho Campaigns: connected \(Europe \(zoho\.eu\)\), since .*, via self-client\./);
    assert.match(status.stdout, /Store "shop\.example\.com" \(default\) lists: customers=sim-customers\./);

    const connection = await bridge.services.db.zohoConnection.findUniqueOrThrow({ where: { id: 1 } });
    const refreshToken = bridge.services.repositories.zohoConnection.decryptRefreshToken(connection);
    const disconnect = await cli(bridge, 'disconnect');
    assert.equal(disconnect.code, 0, disconnect.stderr);
    assert.match(disconnect.stdout, /Disconnected: the refresh token was revoked at Zoho/);
    assert.ok(bridge.sim.callsTo('revoke').some((call) => call.params.token === refreshToken && call.dc === 'eu'));

    const after = await cli(bridge, 'zoho', 'status');
    assert.equal(after.code, 1);
    assert.match(after.stdout, /Zoho Campaigns: not connected\./);
  });
});
