// The sweeper on a real Postgres and Redis: a pending event without a job gets one, an event that
// has one is left alone, a young one is left to the receiver, and a scheduled sweep checks one
// slice of a large backlog while the next sweep carries on where it stopped.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { DEFAULT_STORE_ID } from '../../src/db/stores.ts';
import { Sweeper } from '../../src/jobs/sweeper.ts';
import { syncJobId } from '../../src/queue/sync-queue.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';

describe('Sweeper', () => {
  let bridge: TestBridge;
  let sweeper: Sweeper;
  before(async () => {
    bridge = await startBridge({ workers: false });
    sweeper = new Sweeper(bridge.services.repositories.events, bridge.services.enqueuer, bridge.app.log);
  });
  after(() => bridge.close());
  beforeEach(async () => {
    await bridge.services.db.webhookEvent.deleteMany();
    await bridge.services.syncQueue.obliterate({ force: true });
  });

  /** Pending events as a process that stopped before queueing leaves them: committed, no job. */
  async function storeWithoutJobs(count: number, options: { ageMs: number; status?: string }): Promise<bigint[]> {
    const rows = await bridge.services.pool.query<{ id: string }>(
      `INSERT INTO webhook_events (store_id, topic, resource, body_sha256, body, headers, status, received_at)
       SELECT $1, 'customer.updated', 'customer', md5(random()::text || n), '\\x7b7d', '{}', $2::event_status,
              (now() at time zone 'utc') - make_interval(secs => $3::double precision / 1000)
         FROM generate_series(1, $4) AS n
       RETURNING id`,
      [DEFAULT_STORE_ID, options.status ?? 'received', options.ageMs, count],
    );
    return rows.rows.map((row) => BigInt(row.id)).sort((a, b) => (a < b ? -1 : 1));
  }

  async function withJob(ids: bigint[]): Promise<boolean[]> {
    const states = await Promise.all(ids.map((id) => bridge.services.syncQueue.getJobState(syncJobId(id))));
    return states.map((state) => state !== 'unknown');
  }

  it('queues pending events that have no job, and leaves the rest alone', async () => {
    const [unqueued, retrying, waitingForZoho] = await Promise.all([
      storeWithoutJobs(2, { ageMs: 60_000 }),
      storeWithoutJobs(1, { ageMs: 60_000, status: 'queued' }),
      storeWithoutJobs(1, { ageMs: 60_000, status: 'waiting' }),
    ]);
    const queuedByReceiver = await storeWithoutJobs(2, { ageMs: 60_000 });
    await bridge.services.enqueuer.enqueueEach(queuedByReceiver);
    const young = await storeWithoutJobs(1, { ageMs: 0 });
    const done = await storeWithoutJobs(1, { ageMs: 60_000, status: 'synced' });

    assert.equal(await sweeper.sweep(), 4);
    assert.deepEqual(await withJob([...unqueued, ...retrying, ...waitingForZoho, ...queuedByReceiver]), [true, true, true, true, true, true]);
    assert.deepEqual(await withJob([...young, ...done]), [false, false], 'the young one is the receiver’s; the synced one needs nothing');
    assert.equal(await sweeper.sweep(), 0, 'a second sweep finds nothing missing');
    assert.equal(await sweeper.sweep({ graceMs: 0 }), 1, 'after an outage the young one is queued too');
  });

  it('checks a slice of a large backlog per sweep and carries on where it stopped', async () => {
    const ids = await storeWithoutJobs(6_200, { ageMs: 60_000 });
    assert.equal(await sweeper.sweep(), 5_000, 'one slice');
    assert.deepEqual(await withJob([ids[4_999]!, ids[5_000]!]), [true, false], 'the oldest first');
    assert.equal(await sweeper.sweep(), 1_200, 'the next sweep carries on');
    assert.equal(await sweeper.sweep(), 0);
    assert.equal(await bridge.services.syncQueue.count(), 6_200);
  });

  it('checks the whole backlog at once when asked to (worker start, Redis back)', async () => {
    await storeWithoutJobs(6_200, { ageMs: 60_000 });
    assert.equal(await sweeper.sweep({ whole: true }), 6_200);
    assert.equal(await bridge.services.syncQueue.count(), 6_200);
  });
});
