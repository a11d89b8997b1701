// A job BullMQ gives up on without the processor seeing it (its worker died mid-run too often):
// every event it carried is marked failed with the reason, and the batch no longer lists them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { markGivenUpEvents } from '../../src/jobs/given-up-jobs.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { customerBody, sendDelivery } from '../support/woocommerce.ts';
import { syncJobOf } from '../support/sync-jobs.ts';

describe('markGivenUpEvents', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false });
  });
  after(() => bridge.close());

  it('marks the events of a given-up batch failed, and leaves a job BullMQ will retry alone', async () => {
    const { enqueuer, repositories, db } = bridge.services;
    const replies = await Promise.all(
      [81, 82].map((id) => sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body: customerBody({ id, email: `given-up${id}@example.com` }) })),
    );
    const ids = replies.map((reply) => reply.json().event as string);
    await waitFor('the events to be queued', async () => (await Promise.all(ids.map((id) => syncJobOf(bridge.services, id)))).every(Boolean));
    const jobs = await Promise.all(ids.map(async (id) => (await syncJobOf(bridge.services, id))!));
    const markGivenUp = markGivenUpEvents({ events: repositories.events, enqueuer, log: bridge.app.log });
    const stalled = new Error('job stalled more than allowable limit');
    const statuses = async () => (await db.webhookEvent.findMany({ where: { id: { in: ids.map(BigInt) } } })).map((event) => event.status);

    // Not final yet (no finishedOn): BullMQ tries the job again, nothing is marked.
    await markGivenUp(jobs[0], stalled);
    assert.deepEqual(await statuses(), ['received', 'received']);

    for (const job of jobs) {
      job.finishedOn = Date.now();
      await markGivenUp(job, stalled);
    }
    const events = await db.webhookEvent.findMany({ where: { id: { in: ids.map(BigInt) } } });
    for (const event of events) {
      assert.equal(event.status, 'failed');
      assert.equal(event.statusReason, 'The sync job was given up: job stalled more than allowable limit');
    }
    assert.equal(await bridge.services.redis.hlen(enqueuer.batchedKey), 0, 'no batch lists them any more');
  });
});
