// Batched queueing after the answer: ids handed over together go out as one batch job, every caller
// hears about its own batch, and flush() sends what is left (at shutdown).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EnqueueBatcher } from '../../src/queue/enqueue-batcher.ts';

function recordingEnqueuer(fail: (ids: bigint[]) => boolean = () => false) {
  const batches: bigint[][] = [];
  return {
    batches,
    async enqueueBatch(ids: bigint[]) {
      batches.push([...ids]);
      await new Promise((resolve) => setTimeout(resolve, 5));
      if (fail(ids)) throw new Error('Redis is down');
    },
  };
}

describe('EnqueueBatcher', () => {
  it('sends ids handed over together as one batch', async () => {
    const enqueuer = recordingEnqueuer();
    const batcher = new EnqueueBatcher(enqueuer, { delayMs: 5 });
    await Promise.all([1n, 2n, 3n].map((id) => batcher.addToNextBatch([id])));
    assert.deepEqual(enqueuer.batches, [[1n, 2n, 3n]]);
  });

  it('gathers ids while a batch is being sent, then sends them together', async () => {
    const enqueuer = recordingEnqueuer();
    const batcher = new EnqueueBatcher(enqueuer, { delayMs: 1 });
    const first = batcher.addToNextBatch([1n]);
    await new Promise((resolve) => setTimeout(resolve, 3)); // the first batch is in flight now
    await Promise.all([first, batcher.addToNextBatch([2n]), batcher.addToNextBatch([3n])]);
    assert.deepEqual(enqueuer.batches, [[1n], [2n, 3n]]);
  });

  it('rejects every caller of a failed batch, and only those', async () => {
    const enqueuer = recordingEnqueuer((ids) => ids.includes(1n));
    const batcher = new EnqueueBatcher(enqueuer, { delayMs: 1 });
    const failed = await Promise.allSettled([batcher.addToNextBatch([1n]), batcher.addToNextBatch([2n])]);
    assert.deepEqual(
      failed.map((outcome) => outcome.status),
      ['rejected', 'rejected'],
    );
    await batcher.addToNextBatch([3n]);
    assert.deepEqual(enqueuer.batches, [[1n, 2n], [3n]]);
  });

  it('flush() sends what is gathered without waiting for the timer', async () => {
    const enqueuer = recordingEnqueuer();
    const batcher = new EnqueueBatcher(enqueuer, { delayMs: 60_000 });
    const pending = batcher.addToNextBatch([7n, 8n]);
    await batcher.flush();
    await pending;
    assert.deepEqual(enqueuer.batches, [[7n, 8n]]);
  });
});
