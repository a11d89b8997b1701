// docs/operations.md: every command exits 0 when all is well and 1 when something needs attention.
// Each command is run here in both situations, against a bridge, the Zoho simulator and a store.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { addSimulatedStore, runCli, type CliRun } from '../support/cli.ts';
import type { WooCommerceSimulator } from '../../tools/woocommerce-simulator/index.ts';

const ok = (run: CliRun) => assert.equal(run.exitCode, undefined, `expected exit 0:\n${run.text()}`);
const needsAttention = (run: CliRun) => assert.equal(run.exitCode, 1, `expected exit 1:\n${run.text()}`);

describe('cli: exit codes follow the documented rule', () => {
  let bridge: TestBridge;
  let shop: WooCommerceSimulator;
  let storeId: string;
  before(async () => {
    bridge = await startBridge();
    ({ store: shop, storeId } = await addSimulatedStore(bridge, { customers: 3 }));
    ok(await runCli(bridge, ['webhooks', 'register', '--store', storeId]));
  });
  after(async () => {
    await shop.close();
    await bridge.close();
  });

  it('exits 0 from status, stores list, zoho status and zoho lists when all is well', async () => {
    const status = await runCli(bridge, ['status']);
    ok(status);
    assert.doesNotMatch(status.text(), /PROBLEM/);
    ok(await runCli(bridge, ['stores', 'list']));
    ok(await runCli(bridge, ['zoho', 'status']));
    ok(await runCli(bridge, ['zoho', 'lists']));
  });

  it("exits 1 from status and stores list when a store's webhooks have a PROBLEM", async () => {
    const disabled = [...shop.webhooks.webhooks.values()].find((webhook) => webhook.topic === 'customer.updated')!;
    shop.webhooks.disableAfterFailures(disabled.id);
    assert.equal(await bridge.services.webhookWatch.checkAll(), 1);

    const status = await runCli(bridge, ['status']);
    assert.match(status.text(), /webhooks: PROBLEM/);
    needsAttention(status);
    const list = await runCli(bridge, ['stores', 'list']);
    assert.match(list.text(), /webhooks: +PROBLEM/);
    needsAttention(list);
    needsAttention(await runCli(bridge, ['webhooks', 'check', '--store', storeId]));

    ok(await runCli(bridge, ['webhooks', 'register', '--store', storeId]));
    ok(await runCli(bridge, ['status']));
  });

  it('exits 1 from disconnect when Zoho could not revoke the token', async () => {
    bridge.sim.injectFault({ endpoint: 'revoke', kind: 'http500' });
    const run = await runCli(bridge, ['disconnect']);
    assert.match(run.text(), /Zoho could not revoke the token/);
    needsAttention(run);
    ok(await runCli(bridge, ['disconnect']));
  });

  it('exits 1 from zoho status, status and backfill while Zoho is not connected', async () => {
    needsAttention(await runCli(bridge, ['zoho', 'status']));
    const status = await runCli(bridge, ['status']);
    assert.match(status.text(), /PROBLEM Zoho: Zoho Campaigns is not connected yet/);
    needsAttention(status);
    const backfill = await runCli(bridge, ['backfill', '--store', storeId, '--only', 'customers']);
    assert.match(backfill.text(), /Zoho Campaigns is not connected: the events wait/);
    needsAttention(backfill);
  });

  it('exits 1 from connect when Zoho cannot be reached, and 0 once it connects', async () => {
    bridge.sim.injectFault({ endpoint: 'token', kind: 'http503' });
    const failed = await runCli(bridge, ['connect', '--code', bridge.sim.issueGrantCode({ dc: 'com', ttlSeconds: 600 }), '--dc', 'com']);
    assert.match(failed.text(), /Not connected\./);
    needsAttention(failed);
    ok(await runCli(bridge, ['connect', '--code', bridge.sim.issueGrantCode({ dc: 'com', ttlSeconds: 600 }), '--dc', 'com']));
    ok(await runCli(bridge, ['zoho', 'status']));
  });

  it('exits 1 from backfill --follow when Zoho refused an event, and 0 when all synced', async () => {
    const { store: refused, storeId: refusedId } = await addSimulatedStore(bridge, { customers: 2, otherRoleEvery: 0, subscriptionsPlugin: false });
    const { store: fine, storeId: fineId } = await addSimulatedStore(bridge, { customers: 2, otherRoleEvery: 0, subscriptionsPlugin: false });
    try {
      // The events that waited for Zoho above sync first, so that the refusals hit only these two.
      await waitFor(
        'earlier events to settle',
        async () => (await bridge.services.db.webhookEvent.count({ where: { status: { in: ['received', 'queued', 'waiting'] } } })) === 0,
        30_000,
      );
      bridge.sim.injectFault({ endpoint: 'listsubscribe', kind: 'code', code: '2004', times: 2 });
      const failed = await runCli(bridge, ['backfill', '--store', refusedId, '--follow']);
      assert.match(failed.text(), /Sync finished: 2 failed/);
      needsAttention(failed);
      const synced = await runCli(bridge, ['backfill', '--store', fineId, '--follow']);
      assert.match(synced.text(), /Sync finished: 2 synced/);
      ok(synced);
    } finally {
      await Promise.all([refused.close(), fine.close()]);
    }
  });
});
