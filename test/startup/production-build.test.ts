// `npm start` runs the compiled build (scripts/build.mjs: src/ → build/), not the TypeScript the
// other tests run. This builds a copy and runs it as a real process: it must find its migrations,
// page templates and stylesheet, and take a delivery all the way to Zoho.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { spawnBridge, type BridgeProcess } from '../support/bridge-process.ts';
import { customer, sendAll, waitUntilInZoho } from '../support/drills.ts';

describe('the production build (npm start)', () => {
  const out = `test-output/build-${randomBytes(4).toString('hex')}`;
  let bridge: TestBridge;
  let built: BridgeProcess;

  before(async () => {
    await promisify(execFile)(process.execPath, ['scripts/build.mjs', '--out', out]);
    // The in-process bridge only provides the database, Redis prefix and simulator; the compiled
    // process does all the work.
    bridge = await startBridge({ workers: false });
    built = await spawnBridge('all', bridge.env, { ADMIN_PASSWORD: 'build-check-password' }, [`${out}/main.js`]);
  });
  after(async () => {
    await built?.stop();
    await bridge?.close();
    await rm(out, { recursive: true, force: true });
  });

  it('runs without tsx', async () => {
    const { stdout } = await promisify(execFile)('ps', ['-o', 'args=', '-p', String(built.pid)]);
    assert.equal(stdout.trim(), `${process.execPath} ${out}/main.js all`);
  });

  it('serves the sign-in page with its stylesheet', async () => {
    const page = await fetch(`${built.url}/admin/login`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Sign in/);
    const css = await fetch(`${built.url}/admin/assets/admin.css`);
    assert.equal(css.status, 200);
    assert.match(await css.text(), /\{/);
  });

  it('stores a signed delivery and syncs it to Zoho', async () => {
    const person = customer('build', 1);
    const [eventId] = await sendAll(`${built.url}/webhooks/woocommerce`, [person]);
    assert.ok(eventId);
    await waitUntilInZoho(bridge, [person]);
    // The worker marks the event once Zoho has answered, a moment after the contact is there.
    const status = () => bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: BigInt(eventId) } }).then((event) => event.status);
    await waitFor('the event to be marked synced', async () => (await status()) === 'synced');
  });
});
