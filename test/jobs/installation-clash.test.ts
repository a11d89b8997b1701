// Two bridges with different databases on one Redis prefix (docs/security.md, "Two bridges on one
// Redis"): the second refuses to start, and a worker leaves another installation's job alone
// instead of syncing the event with that id from its own database.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RedisPrefixClashError } from '../../src/queue/installation.ts';
import { SYNC_BATCH_JOB } from '../../src/queue/sync-queue.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { deliver } from '../support/sync.ts';
import { customerBody } from '../support/woocommerce.ts';

describe('two bridges on one Redis prefix', () => {
  let first: TestBridge;
  before(async () => {
    first = await startBridge({ captureLogs: true });
  });
  after(() => first.close());

  it('gives each database its own installation id and claims the prefix for it', async () => {
    const id = first.services.installation.id;
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.equal((await first.services.db.installation.findUniqueOrThrow({ where: { id: 1 } })).installationId, id);
    assert.equal(await first.services.redis.get(`${first.config.redisPrefix}:installation`), id);
  });

  it('refuses to start a second bridge (another database) on the same prefix, naming the clash', async () => {
    await assert.rejects(
      startBridge({ env: { REDIS_PREFIX: first.config.redisPrefix } }),
      (error: unknown) =>
        error instanceof RedisPrefixClashError &&
        error.message.includes(`REDIS_PREFIX "${first.config.redisPrefix}" is already used by another bridge installation (${first.services.installation.id})`),
    );
    // The first bridge keeps its claim and goes on working.
    assert.equal(await first.services.redis.get(`${first.config.redisPrefix}:installation`), first.services.installation.id);
    const event = await deliver(first, 'customer.created', customerBody({ id: 4101, email: 'still.working@example.com' }));
    assert.equal(event.status, 'synced');
  });

  it("never runs another installation's job: puts it back untouched and logs the clash", async () => {
    const ana = await deliver(first, 'customer.created', customerBody({ id: 4102, email: 'ana.clash@example.com' }));
    const callsBefore = first.sim.callsTo('listsubscribe').length;
    // What a bridge on another database queued: its event with the same id as one of ours.
    const foreign = await first.services.syncQueue.add(
      SYNC_BATCH_JOB,
      { eventIds: [ana.id.toString()], installation: 'another-installation' },
      { jobId: 'events-from-another-installation', attempts: 3 },
    );
    await waitFor('the clash to be logged', async () =>
      first.logs.some((line) => line.includes('another bridge installation') && line.includes('another-installation')),
    );
    await waitFor('the foreign job to be put back', async () => (await foreign.getState()) === 'delayed');
    const job = await first.services.syncQueue.getJob(foreign.id!);
    assert.equal(job?.attemptsMade, 0, 'no attempt spent');
    assert.equal(job?.finishedOn, undefined, 'neither completed nor failed');
    assert.equal(first.sim.callsTo('listsubscribe').length, callsBefore, 'nothing sent to Zoho for it');
    const logged = first.logs
      .map((line) => JSON.parse(line) as { level: number; msg: string; jobInstallation?: string; installation?: string })
      .find((line) => line.jobInstallation === 'another-installation');
    assert.equal(logged?.level, 50);
    assert.equal(logged?.installation, first.services.installation.id);
    await foreign.remove();
  });
});
