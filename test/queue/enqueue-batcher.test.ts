// Batched queueing after the answer: ids handed over together go out as one batch job, a failed
// batch is reported once with its ids, and flush() sends what is left (at shutdown).
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

function recordingFailures() {
  const failures: Array<{ ids: bigint[]; message: string }> = [];
  return { failures, onFailure: (ids: bigint[], error: unknown) => failures.push({ ids: [...ids], message: (error as Error).message }) };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('EnqueueBatcher', () => {
  it('sends ids handed over together as one batch', async () => {
    const enqueuer = recordingEnqueuer();
    const batcher = new EnqueueBatcher(enqueuer, recordingFailures().onFailure, { delayMs: 5 });
    for (const id of [1n, 2n, 3n]) batcher.add(id);
    await sleep(20);
    assert.deepEqual(enqueuer.batches, [[1n, 2n, 3n]]);
  });

  it('gathers ids while a batch is being sent, then sends them together', async () => {
    const enqueuer = recordingEnqueuer();
    const batcher = new EnqueueBatcher(enqueuer, recordingFailures().onFailure, { delayMs: 1 });
    batcher.add(1n);
    await sleep(3); // the first batch is in flight now
    batcher.add(2n);
    batcher.add(3n);
    await batcher.flush();
    assert.deepEqual(enqueuer.batches, [[1n], [2n, 3n]]);
  });

  it('reports a failed batch once, with its ids, and goes on with the next', async () => {
    const enqueuer = recordingEnqueuer((ids) => ids.includes(1n));
    const { failures, onFailure } = recordingFailures();
    const batcher = new EnqueueBatcher(enqueuer, onFailure, { delayMs: 1 });
    batcher.add(1n);
    batcher.add(2n);
    await batcher.flush();
    batcher.add(3n);
    await batcher.flush();
    assert.deepEqual(enqueuer.batches, [[1n, 2n], [3n]]);
    assert.deepEqual(failures, [{ ids: [1n, 2n], message: 'Redis is down' }]);
  });

  it('flush() sends what is gathered without waiting for the timer', async () => {
    const enqueuer = recordingEnqueuer();
    const batcher = new EnqueueBatcher(enqueuer, recordingFailures().onFailure, { delayMs: 60_000 });
    batcher.add(7n);
    batcher.add(8n);
    await batcher.flush();
    assert.deepEqual(enqueuer.batches, [[7n, 8n]]);
  });
});
