// The bridge on a Redis Cluster: a local cluster of three masters (redis-server in cluster mode,
// joined with redis-cli --cluster create), the bridge pointed at it with REDIS_CLUSTER_NODES, and
// a second worker process beside the in-process one. Deliveries sync, and Zoho's limits (small
// ones here, the same in the bridge and the simulator) hold across both processes: the quota's
// script, the token cache and lock, and BullMQ's queues all work there, every key in one slot.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Cluster } from 'ioredis';
import { loadConfig } from '../../src/config.ts';
import { createRedis } from '../../src/redis/connection.ts';
import { startRedisCluster, type LocalRedisCluster } from '../../tools/support/redis-cluster.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { spawnBridge, type BridgeProcess } from '../support/bridge-process.ts';
import { busiestWindow, customer, sendAll, waitUntilInZoho, waitUntilSettled } from '../support/drills.ts';

const LIMITS = { listsubscribe: { windows: [{ limit: 4, windowMs: 2_000 }], lockMs: 60_000 } };

describe('Redis Cluster', () => {
  let cluster: LocalRedisCluster;
  let bridge: TestBridge;
  let worker: BridgeProcess | undefined;
  before(async () => {
    cluster = await startRedisCluster(3);
    bridge = await startBridge({
      simulator: { limits: LIMITS },
      env: { REDIS_CLUSTER_NODES: cluster.nodes.join(','), ZOHO_QUOTA_LIMITS: JSON.stringify(LIMITS), WORKER_CONCURRENCY: '4' },
    });
    worker = await spawnBridge('worker', bridge.env);
  });
  after(async () => {
    await worker?.stop();
    await bridge?.close();
    await cluster?.close();
  });

  it('turns the key prefix into a hash tag on a cluster, and reads the seed nodes', () => {
    const config = loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.5:6379, 10.0.0.6:6380', REDIS_PREFIX: 'shop' });
    assert.deepEqual(config.redisClusterNodes, ['10.0.0.5:6379', '10.0.0.6:6380']);
    assert.equal(config.redisPrefix, '{shop}');
    assert.equal(loadConfig({ REDIS_CLUSTER_NODES: '10.0.0.5:6379', REDIS_PREFIX: '{mine}:wzb' }).redisPrefix, '{mine}:wzb');
    assert.equal(loadConfig({ REDIS_PREFIX: 'shop' }).redisPrefix, 'shop', 'one Redis keeps the prefix as it is');
    assert.throws(() => loadConfig({ REDIS_CLUSTER_NODES: 'redis://10.0.0.5' }), /host:port pairs/);
  });

  it('syncs deliveries through two worker processes, within the quota', async () => {
    assert.match(bridge.config.redisPrefix, /^\{wzb-test-[0-9a-f]+\}$/);
    const people = Array.from({ length: 10 }, (_, n) => customer('cluster', n));
    await sendAll(bridge.webhookUrl, people);
    await waitUntilInZoho(bridge, people, 60_000);
    assert.deepEqual(await waitUntilSettled(bridge), { synced: people.length });
    assert.deepEqual(bridge.sim.stats.rateLimitViolations, {}, 'Zoho refused no call');
    assert.equal(busiestWindow(bridge.sim.callsTo('listsubscribe'), 2_000), 4, 'the quota was reached, and held');

    // The keys are in the cluster, all on the master that owns the prefix's hash-tag slot, and
    // none in the shared Redis.
    const client = new Cluster(cluster.nodes.map((node) => ({ host: '127.0.0.1', port: Number(node.split(':')[1]) })));
    const single = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', 'worker');
    try {
      const prefix = bridge.config.redisPrefix;
      assert.equal(await client.exists(`${prefix}:sync:meta`), 1, "BullMQ's queue lives in the cluster");
      const keysPerMaster = await Promise.all(client.nodes('master').map((node) => node.dbsize()));
      assert.equal(keysPerMaster.filter((count) => count > 0).length, 1, `keys per master: ${keysPerMaster.join(', ')}`);
      assert.deepEqual(await single.keys(`${prefix}*`), []);
    } finally {
      client.disconnect();
      single.disconnect();
    }
  });
});
