// The sweeper's check for events whose job is gone, on a real Redis: a job whose data Redis lost,
// and one BullMQ gave up on, are queued again; a job still waiting is left alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { syncJobId } from '../../src/jobs/sync-queue.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { customerBody, sendDelivery } from '../support/woocommerce.ts';

describe('EventEnqueuer.requeueLost', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false });
  });
  after(() => bridge.close());

  it('queues again the events whose job vanished or failed, and only those', async () => {
    const { syncQueue, enqueuer, redis } = bridge.services;
    const ids: bigint[] = [];
    for (const id of [71, 72, 73]) {
      const answer = await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body: customerBody({ id, email: `lost${id}@example.com` }) });
      ids.push(BigInt(answer.json().event as string));
    }
    // No workers run here, so the jobs stay waiting once the receiver has queued them.
    await waitFor('the events to be queued', async () => {
      const states = await Promise.all(ids.map((id) => syncQueue.getJobState(syncJobId(id))));
      return states.every((state) => state === 'waiting');
    });
    const [vanished, failed, waiting] = ids as [bigint, bigint, bigint];

    // Redis lost one job's data; BullMQ gave up on another (it sits in the failed set).
    await syncQueue.remove(syncJobId(vanished));
    await redis.lrem(syncQueue.keys.wait!, 0, syncJobId(failed));
    await redis.zadd(syncQueue.keys.failed!, Date.now(), syncJobId(failed));

    assert.deepEqual(await enqueuer.requeueLost(ids), [vanished, failed]);
    for (const id of ids) assert.equal(await syncQueue.getJobState(syncJobId(id)), 'waiting', `event ${id}`);
    assert.deepEqual(await enqueuer.requeueLost(ids), [], 'nothing is lost any more');
    assert.equal(await syncQueue.getJobState(syncJobId(waiting)), 'waiting');
  });
});
