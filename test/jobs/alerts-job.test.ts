// The worker runs alerting on its own queue, once a minute through a job scheduler, and a failed
// evaluation still lets due messages go out.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { ALERTS_QUEUE, EVALUATE_ALERTS_EVERY_MS, EVALUATE_ALERTS_JOB, runAlertRound } from '../../src/jobs/alerts-job.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';

describe('the alerts job', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge();
  });
  after(() => bridge.close());

  it('is scheduled once a minute when the worker starts', async () => {
    const queue = new Queue(ALERTS_QUEUE, { connection: bridge.services.redis, prefix: bridge.config.redisPrefix });
    try {
      const schedulers = await queue.getJobSchedulers();
      assert.deepEqual(
        schedulers.map((scheduler) => [scheduler.key, Number(scheduler.every)]),
        [[EVALUATE_ALERTS_JOB, EVALUATE_ALERTS_EVERY_MS]],
      );
    } finally {
      await queue.close();
    }
  });

  it('sends what is due even when evaluating failed, and logs the failure', async () => {
    const calls: string[] = [];
    const errors: string[] = [];
    await runAlertRound(
      { evaluate: { run: () => Promise.reject(new Error('boom')) }, send: { run: async () => calls.push('send') } },
      { error: (_object, message) => errors.push(message), warn: () => undefined },
    );
    assert.deepEqual(calls, ['send']);
    assert.deepEqual(errors, ['Evaluating alerts failed; the next round tries again']);
  });
});
