// How a batch job settles its events, with the sync service and the queue replaced by recorders
// (the drills in test/reliability run the same paths against the real queue and the simulator):
// synced and failed events leave the batch, an event to retry moves to a job of its own, a
// queue-wide wait keeps the unsettled events in the batch, and an unexpected failure keeps only
// the events it did not settle.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RateLimitError, type Job } from 'bullmq';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { EventRepository } from '../../src/db/events.ts';
import type { SyncService } from '../../src/sync/sync-event.ts';
import { createSyncProcessor } from '../../src/jobs/sync-processor.ts';
import type { OwnJobOptions } from '../../src/queue/enqueue-events.ts';
import type { SyncBatchData, SyncQueue } from '../../src/queue/sync-queue.ts';
import { PermanentSyncError, WaitForZohoError } from '../../src/zoho/errors.ts';

type Behaviour = 'synced' | 'transient' | 'permanent' | 'quota' | 'storage-down';

function harness(behaviours: Record<string, Behaviour>) {
  const moved: Array<{ eventId: string; options: OwnJobOptions }> = [];
  const forgotten: string[] = [];
  const rateLimits: number[] = [];
  const statuses = new Map<string, string>();
  const sync = {
    async syncEvent(eventId: bigint) {
      const behaviour = behaviours[eventId.toString()];
      if (behaviour === 'transient' || behaviour === 'storage-down') throw new Error('Zoho answered HTTP 503');
      if (behaviour === 'permanent') throw new PermanentSyncError('Listkey invalid.');
      if (behaviour === 'quota') throw new WaitForZohoError('The minute allowance is used up.', 1_500, 'quota');
      return { status: 'synced' as const, message: 'synced' };
    },
  } as unknown as SyncService;
  const events = {
    async setStatus(eventId: bigint, status: string) {
      // Postgres goes away just as this event's failure is written down.
      if (behaviours[eventId.toString()] === 'storage-down') throw new Error('Connection terminated unexpectedly');
      statuses.set(eventId.toString(), status);
    },
  } as unknown as EventRepository;
  const processor = createSyncProcessor({
    sync,
    events,
    queue: { rateLimit: async (ms: number) => void rateLimits.push(ms) } as unknown as SyncQueue,
    enqueuer: {
      async enqueueEach(ids: bigint[], options: OwnJobOptions = {}) {
        for (const id of ids) moved.push({ eventId: id.toString(), options });
      },
      async forgetBatched(ids: Array<bigint | string>) {
        forgotten.push(...ids.map(String));
      },
    },
    log: pino({ level: 'silent' }) as unknown as FastifyBaseLogger,
    installation: { id: 'this-installation', isForeign: (id: string | undefined) => id !== undefined && id !== 'this-installation' },
    concurrency: 2,
  });
  const job = {
    name: 'sync-events',
    data: { eventIds: Object.keys(behaviours) } as SyncBatchData,
    attemptsMade: 0,
    opts: { attempts: 3 },
    async updateData(data: SyncBatchData) {
      job.data = data;
    },
  };
  const run = () => processor(job as unknown as Job<SyncBatchData>);
  return { run, job, moved, forgotten, rateLimits, statuses };
}

describe('a batch job', () => {
  it('syncs its events, fails the permanent ones, and moves one to retry to a job of its own', async () => {
    const batch = harness({ 1: 'synced', 2: 'transient', 3: 'permanent', 4: 'synced' });
    assert.deepEqual(await batch.run(), { done: 2, failed: 1, movedToOwnJob: 1 });
    assert.equal(batch.moved.length, 1);
    assert.equal(batch.moved[0]!.eventId, '2');
    assert.equal(batch.moved[0]!.options.attemptsBefore, 1, 'its first attempt counts');
    // The first retry waits as BullMQ's first backoff would: 2 s with jitter 0.5, so 1–2 s.
    const delay = batch.moved[0]!.options.delayMs!;
    assert.ok(delay >= 1_000 && delay <= 2_000, `retry after ${delay} ms`);
    assert.deepEqual(Object.fromEntries(batch.statuses), { 2: 'queued', 3: 'failed' });
    assert.deepEqual([...batch.forgotten].sort(), ['1', '2', '3', '4'], 'no event is listed under the batch any more');
  });

  it('waits with the queue when Zoho takes nothing, keeping the events it has not settled', async () => {
    const batch = harness({ 1: 'synced', 2: 'quota', 3: 'synced', 4: 'synced', 5: 'synced' });
    await assert.rejects(batch.run(), RateLimitError);
    assert.deepEqual(batch.rateLimits, [1_500]);
    assert.ok(batch.job.data.eventIds.includes('2'), 'the waiting event stays in the batch');
    assert.ok(!batch.job.data.eventIds.includes('1'), 'a synced event leaves it');
    assert.deepEqual([...batch.forgotten, ...batch.job.data.eventIds].sort(), ['1', '2', '3', '4', '5'], 'every event is either settled or kept');
    assert.equal(batch.moved.length, 0, 'a queue-wide wait moves nothing to jobs of their own');
    assert.equal(batch.statuses.get('2'), 'waiting');
  });

  it('after an unexpected failure keeps only the events it did not settle, and fails', async () => {
    const batch = harness({ 1: 'synced', 2: 'storage-down', 3: 'synced' });
    await assert.rejects(batch.run(), /Connection terminated unexpectedly/);
    assert.deepEqual(batch.job.data.eventIds, ['2']);
    assert.deepEqual([...batch.forgotten].sort(), ['1', '3']);
  });
});
