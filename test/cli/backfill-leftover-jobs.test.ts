// After a backfill has synced, `status` shows no scheduled jobs left over. A customer's sync folds
// in the contact's other waiting events (its subscription, imported a moment later); their own
// jobs, paced for later, are dropped then instead of lingering as "scheduled" with nothing to do.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { syncJobId } from '../../src/queue/sync-queue.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { addSimulatedStore, runCli } from '../support/cli.ts';
import type { WooCommerceSimulator } from '../../tools/woocommerce-simulator/index.ts';

describe('cli: counts that agree after a backfill', () => {
  let bridge: TestBridge;
  let shop: WooCommerceSimulator;
  let storeId: string;
  before(async () => {
    bridge = await startBridge();
    // Five customers, each with a subscription: ten events, paced 400 ms apart.
    ({ store: shop, storeId } = await addSimulatedStore(bridge, { customers: 5, subscriptions: 5, otherRoleEvery: 0 }));
  });
  after(async () => {
    await shop.close();
    await bridge.close();
  });

  it('leaves no job scheduled for an event that was synced together with another', async () => {
    const run = await runCli(bridge, ['backfill', '--store', storeId], { retryDelaysMs: [5, 5], minSpacingMs: 400 });
    assert.equal(run.exitCode, undefined, run.text());
    const { db, syncQueue } = bridge.services;
    await waitFor(
      'every backfilled event to settle',
      async () => (await db.webhookEvent.count({ where: { storeId, status: { in: ['received', 'queued', 'waiting'] } } })) === 0,
      20_000,
    );

    const coalesced = await db.webhookEvent.findMany({ where: { storeId, status: 'coalesced' }, select: { id: true } });
    assert.ok(coalesced.length > 0, 'subscriptions were synced together with their customers');
    for (const { id } of coalesced) {
      const state = await (await syncQueue.getJob(syncJobId(id)))?.getState();
      assert.ok(state === undefined || state === 'completed', `event ${id}'s own job is ${state}, with nothing left to do`);
    }
    const counts = await syncQueue.getJobCounts('waiting', 'prioritized', 'delayed');
    assert.deepEqual(counts, { waiting: 0, prioritized: 0, delayed: 0 });
    const status = await runCli(bridge, ['status']);
    assert.match(status.text(), /0 waiting, \d+ running, 0 backfill jobs ready, 0 scheduled/);
  });
});
