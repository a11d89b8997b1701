// The hand-off from the server to the sync queue, on a real Redis: the receiver leaves event ids
// in the inbox, and each worker's relay moves them into BullMQ, every id once however many relays
// wait on it; a batch that cannot be queued is reported and the relay carries on.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import type { EventIdSink } from '../../src/jobs/enqueue-batcher.ts';
import { EventInbox, InboxRelay, inboxKey } from '../../src/jobs/event-inbox.ts';
import { syncJobId } from '../../src/jobs/sync-queue.ts';
import { bridgeHealth } from '../../src/owner/bridge-health.ts';
import { createRedis } from '../../src/redis/connection.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { customerBody, sendDelivery } from '../support/woocommerce.ts';

function capturingLog() {
  const lines: Array<{ level: number; msg: string }> = [];
  const log = pino({ level: 'info' }, new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)) as { level: number; msg: string });
      done();
    },
  })) as unknown as FastifyBaseLogger;
  return { log, lines };
}

describe('the inbox of stored events', () => {
  let bridge: TestBridge;
  let key: string;
  before(async () => {
    bridge = await startBridge({ workers: false });
    key = inboxKey(bridge.config.redisPrefix);
  });
  after(() => bridge.close());

  const health = () => {
    const { db, syncQueue, inbox, zoho, repositories } = bridge.services;
    return bridgeHealth({ db, queue: syncQueue, inbox, quota: zoho.quota, checks: repositories.webhookChecks }, []);
  };
  const relayOf = (enqueuer: EventIdSink, log: FastifyBaseLogger, batch = 500) =>
    new InboxRelay(createRedis(bridge.config.redisUrl, 'worker'), key, enqueuer, log, { batch, blockSeconds: 1, retryMs: 20 });

  it('holds the ids of stored deliveries until a worker queues them as sync jobs', async () => {
    const ids: string[] = [];
    for (const id of [501, 502, 503]) {
      const answer = await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body: customerBody({ id, email: `inbox${id}@example.com` }) });
      ids.push(answer.json<{ event: string }>().event);
    }
    await waitFor('the ids in the inbox', async () => (await bridge.services.redis.llen(key)) === 3);
    assert.equal(await bridge.services.syncQueue.getJob(syncJobId(ids[0]!)), undefined, 'no job before a worker takes the ids');
    assert.equal((await health()).queue?.toQueue, 3, 'the dashboard counts them');

    const relay = relayOf(bridge.services.enqueuer, capturingLog().log);
    relay.start();
    try {
      for (const id of ids) {
        const job = await waitFor(`the job of event ${id}`, () => bridge.services.syncQueue.getJob(syncJobId(id)));
        assert.deepEqual(job.data, { eventId: id });
      }
      assert.equal(await bridge.services.redis.llen(key), 0, 'the inbox is empty');
      assert.equal((await health()).queue?.toQueue, 0);
    } finally {
      await relay.close();
    }
  });

  it('gives each id to exactly one of several waiting relays', async () => {
    const taken: bigint[] = [];
    const recording = { enqueue: async (ids: bigint[]) => void taken.push(...ids) };
    const relays = [1, 2, 3].map(() => relayOf(recording, capturingLog().log, 50));
    relays.forEach((relay) => relay.start());
    try {
      const inbox = new EventInbox(bridge.services.redis, key);
      const sent = Array.from({ length: 1_000 }, (_, index) => BigInt(10_000 + index));
      for (let start = 0; start < sent.length; start += 40) await inbox.enqueue(sent.slice(start, start + 40));
      await waitFor('every id to be taken', async () => taken.length >= sent.length);
      assert.equal(taken.length, sent.length, 'no id taken twice');
      assert.deepEqual([...taken].sort((a, b) => (a < b ? -1 : 1)), sent);
    } finally {
      await Promise.all(relays.map((relay) => relay.close()));
    }
  });

  it('reports a batch it could not queue and goes on with the next', async () => {
    const { log, lines } = capturingLog();
    const queued: bigint[] = [];
    let failNext = true;
    const flaky = {
      enqueue: async (ids: bigint[]) => {
        if (failNext) {
          failNext = false;
          throw new Error('Redis is down');
        }
        queued.push(...ids);
      },
    };
    const inbox = new EventInbox(bridge.services.redis, key);
    await inbox.enqueue([1n, 2n]);
    const relay = relayOf(flaky, log);
    relay.start();
    try {
      await waitFor('the first batch to fail', async () => !failNext);
      await inbox.enqueue([3n]);
      await waitFor('the next batch to be queued', async () => queued.length > 0);
      assert.deepEqual(queued, [3n]);
      const warning = lines.find((line) => line.msg.includes('the sweeper will queue them'));
      assert.ok(warning, 'the failed batch is logged');
      assert.equal(warning.level, 40);
    } finally {
      await relay.close();
    }
  });

  it('closes at once while waiting for ids', async () => {
    const relay = new InboxRelay(createRedis(bridge.config.redisUrl, 'worker'), key, { enqueue: async () => undefined }, capturingLog().log, { blockSeconds: 30 });
    relay.start();
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();
    await relay.close();
    assert.ok(Date.now() - started < 5_000, `closed in ${Date.now() - started} ms, not after the 30 s wait`);
  });
});
