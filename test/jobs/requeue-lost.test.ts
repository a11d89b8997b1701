// The sweeper's check for events whose job is gone, on a real Redis: events whose job (their own
// or their batch's) Redis lost, or BullMQ gave up on, are queued again in jobs of their own;
// events whose job is still waiting are left alone.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { syncBatchJobId, syncJobId } from '../../src/queue/sync-queue.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { customerBody, sendDelivery } from '../support/woocommerce.ts';
import { syncJobOf } from '../support/sync-jobs.ts';

describe('EventEnqueuer.requeueLost', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false });
  });
  after(() => bridge.close());

  it('queues again the events whose job vanished or failed, and only those', async () => {
    const { syncQueue, enqueuer, redis } = bridge.services;
    const ids: bigint[] = [];
    for (const id of [71, 72, 73, 74, 75]) {
      const answer = await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body: customerBody({ id, email: `lost${id}@example.com` }) });
      ids.push(BigInt(answer.json().event as string));
    }
    // No workers run here, so the receiver's jobs stay waiting; they are replaced by jobs of known
    // shape: two batches, a batch of one, and an event job.
    await waitFor('the events to be queued', async () => (await Promise.all(ids.map((id) => syncJobOf(bridge.services, id)))).every(Boolean));
    await syncQueue.drain();
    await redis.del(enqueuer.batchedKey);
    const [inVanishedBatch, alsoInVanishedBatch, inFailedBatch, inWaitingBatch, withOwnJob] = ids as [bigint, bigint, bigint, bigint, bigint];
    await enqueuer.enqueueBatch([inVanishedBatch, alsoInVanishedBatch]);
    await enqueuer.enqueueBatch([inFailedBatch]);
    await enqueuer.enqueueBatch([inWaitingBatch]);
    await enqueuer.enqueueEach([withOwnJob]);

    // Redis lost one batch's job; BullMQ gave up on another (it sits in the failed set).
    await syncQueue.remove(syncBatchJobId(inVanishedBatch));
    await redis.lrem(syncQueue.keys.wait!, 0, syncBatchJobId(inFailedBatch));
    await redis.zadd(syncQueue.keys.failed!, Date.now(), syncBatchJobId(inFailedBatch));

    assert.deepEqual(await enqueuer.requeueLost(ids), [inVanishedBatch, alsoInVanishedBatch, inFailedBatch]);
    for (const id of [inVanishedBatch, alsoInVanishedBatch, inFailedBatch, withOwnJob]) {
      assert.equal(await syncQueue.getJobState(syncJobId(id)), 'waiting', `event ${id} has a job of its own`);
    }
    assert.equal(await redis.hexists(enqueuer.batchedKey, String(inFailedBatch)), 0, 'the failed batch no longer lists it');
    assert.equal((await syncJobOf(bridge.services, inWaitingBatch))?.id, syncBatchJobId(inWaitingBatch));
    assert.deepEqual(await enqueuer.requeueLost(ids), [], 'nothing is lost any more');
  });
});
