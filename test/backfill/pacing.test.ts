// The backfill schedule on real Redis with a fixed clock: a burst goes out at the minimum spacing,
// then jobs follow at the daily rate, and the schedule carries over from one run to the next.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { BackfillPacer, humanDuration } from '../../src/backfill/pacing.ts';
import { createRedis } from '../../src/redis/connection.ts';

const HOUR = 3_600_000;

describe('backfill pacing', () => {
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
  const prefix = `wzb-test-${randomBytes(6).toString('hex')}`;
  after(async () => {
    await redis.del(`${prefix}:backfill:pacing`);
    redis.disconnect();
  });
  const now = 1_800_000_000_000;

  it('sends a burst at the minimum spacing, then one job per share of the daily budget', async () => {
    // 24 a day = one an hour, bursts of 3, at least 100 ms apart.
    const pacer = new BackfillPacer(redis, prefix, { dailyBudget: 24, burst: 3, minSpacingMs: 100 }, () => now);
    const times = (await pacer.reserve(5)).map((time) => time - now);
    assert.deepEqual(times.slice(0, 3), [0, 100, 200]);
    assert.ok(Math.abs(times[3]! - HOUR) < 1_000, `4th after about an hour: ${times[3]}`);
    assert.ok(Math.abs(times[4]! - 2 * HOUR) < 1_000, `5th after about two hours: ${times[4]}`);

    // Another backfill started now queues after this one: the budget is shared.
    const next = (await pacer.reserve(1)).map((time) => time - now);
    assert.ok(Math.abs(next[0]! - 3 * HOUR) < 1_000, `continues the schedule: ${next[0]}`);
  });

  it('never books more than the budget in a day, whatever the burst', () => {
    const pacer = new BackfillPacer(redis, `${prefix}-x`, { dailyBudget: 50_000 });
    assert.equal(pacer.burst, 2_083);
    assert.equal(pacer.minSpacingMs, 240);
    // 240 ms apart is 250 a minute: half of Zoho's listsubscribe limit.
    assert.equal(Math.round(60_000 / pacer.minSpacingMs), 250);
    assert.ok(pacer.durationFor(100_000) >= 24 * HOUR, 'twice the budget takes more than a day');
    assert.equal(humanDuration(pacer.durationFor(300)), 'about 1 minute');
    assert.equal(humanDuration(pacer.durationFor(150_000)), 'about 3 days');
  });
});
