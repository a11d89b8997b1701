// The token lifecycle across processes: several TokenSource instances, each with its own Redis and
// Postgres connections and its own memory (as separate worker processes have), against one
// Zoho simulator. One refresh for all of them; Zoho's throttle and a revoked token are respected.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import { SecretBox } from '../../src/crypto/secret-box.ts';
import { createPrismaClient } from '../../src/db/client.ts';
import { ZohoConnectionRepository } from '../../src/db/zoho-connection.ts';
import { createRedis } from '../../src/redis/connection.ts';
import { ZohoAccountsClient } from '../../src/zoho/accounts-client.ts';
import { WaitForZohoError } from '../../src/zoho/errors.ts';
import { createZohoHttp } from '../../src/zoho/http.ts';
import { TokenSource } from '../../src/zoho/token-source.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';

const PROCESSES = 6;

/** A TokenSource as another process would build it: nothing shared but Postgres and Redis. */
async function tokenSourceInItsOwnProcess(bridge: TestBridge) {
  const { config } = bridge;
  const db = createPrismaClient(config.databaseUrl, { poolSize: 2 });
  const redis = createRedis(config.redisUrl, 'producer');
  // A process serves only once its Redis is connected (this connection fails fast rather than queue).
  if (redis.status !== 'ready') await once(redis, 'ready');
  const connections = new ZohoConnectionRepository(db, new SecretBox(config.encryptionKey!));
  const tokens = new TokenSource(connections, new ZohoAccountsClient(createZohoHttp(config.zoho.timeoutMs)), redis, {
    credentials: { clientId: config.zoho.clientId!, clientSecret: config.zoho.clientSecret! },
    redisPrefix: config.redisPrefix,
  });
  const close = async () => {
    redis.disconnect();
    await db.$disconnect();
  };
  return { tokens, close };
}

async function processes(bridge: TestBridge, count = PROCESSES) {
  const all = await Promise.all(Array.from({ length: count }, () => tokenSourceInItsOwnProcess(bridge)));
  return { sources: all.map((process) => process.tokens), close: () => Promise.all(all.map((process) => process.close())) };
}

const refreshes = (bridge: TestBridge) => Object.values(bridge.sim.stats.tokenRefreshes).reduce((sum, count) => sum + count, 0);
const throttled = (bridge: TestBridge) => Object.values(bridge.sim.stats.throttledRefreshes).reduce((sum, count) => sum + count, 0);

/** Makes the stored access token look expired to the bridge, and expires it at Zoho too. */
async function expireStoredToken(bridge: TestBridge): Promise<void> {
  bridge.sim.expireAccessTokens();
  await bridge.services.db.zohoConnection.update({ where: { id: 1 }, data: { accessTokenExpiresAt: new Date(Date.now() - 60_000) } });
}

describe('access tokens shared by several processes', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false });
  });
  after(() => bridge.close());

  it('gets one token for all when none is stored yet: one refresh, not one each', async () => {
    const { sources, close } = await processes(bridge);
    try {
      const before = refreshes(bridge);
      const tokens = await Promise.all(sources.map((source) => source.get()));
      assert.equal(refreshes(bridge) - before, 1);
      assert.equal(new Set(tokens.map((token) => token.token)).size, 1);
    } finally {
      await close();
    }
  });

  it('meets an expired token with exactly one refresh', async () => {
    await expireStoredToken(bridge);
    const { sources, close } = await processes(bridge);
    try {
      const before = refreshes(bridge);
      const tokens = await Promise.all(sources.map((source) => source.get()));
      assert.equal(refreshes(bridge) - before, 1);
      assert.equal(new Set(tokens.map((token) => token.token)).size, 1);
      const stored = await bridge.services.db.zohoConnection.findUniqueOrThrow({ where: { id: 1 } });
      assert.ok(stored.accessTokenExpiresAt!.getTime() > Date.now() + 50 * 60_000, 'the new token is stored with its expiry');
    } finally {
      await close();
    }
  });

  it('replaces a token Zoho refuses before its time with one refresh, even when all refuse it at once', async () => {
    const { sources, close } = await processes(bridge);
    try {
      const held = await Promise.all(sources.map((source) => source.get()));
      bridge.sim.expireAccessTokens(); // Zoho drops it; the bridge still thinks it has 55 minutes.
      const before = refreshes(bridge);
      const fresh = await Promise.all(sources.map((source, index) => source.replaceRejected(held[index]!)));
      assert.equal(refreshes(bridge) - before, 1);
      assert.equal(new Set(fresh.map((token) => token.token)).size, 1);
      assert.notEqual(fresh[0]!.token, held[0]!.token);
    } finally {
      await close();
    }
  });

  it('ignores a late refusal about a connection that was replaced meanwhile', async () => {
    const old = await bridge.services.db.zohoConnection.findUniqueOrThrow({ where: { id: 1 } });
    const { zohoConnection } = bridge.services.repositories;
    await zohoConnection.save({
      ...old,
      refreshToken: bridge.sim.createRefreshToken(),
      scope: undefined,
      origin: 'browser',
      accessToken: undefined,
      accessTokenExpiresAt: undefined,
    });
    await zohoConnection.markNeedsReconnect(old.refreshTokenEnc, 'about the old connection');
    await zohoConnection.blockRefreshUntil(old.refreshTokenEnc, new Date(Date.now() + 60_000), 'about the old connection');
    const now = await bridge.services.db.zohoConnection.findUniqueOrThrow({ where: { id: 1 } });
    assert.equal(now.state, 'connected');
    assert.equal(now.refreshBlockedUntil, null);
  });
});

for (const throttleStatus of [200, 400] as const) {
  describe(`Zoho's refresh throttle ("Access Denied" with HTTP ${throttleStatus})`, () => {
    let bridge: TestBridge;
    before(async () => {
      bridge = await startBridge({ workers: false, simulator: { throttleStatus, refreshThrottle: { limit: 1, windowMs: 10 * 60_000 } } });
    });
    after(() => bridge.close());

    it('backs off for 10 minutes, reports it, and no process asks Zoho again meanwhile', async () => {
      await bridge.services.zoho.tokens.get(); // the one refresh Zoho allows in this window
      await expireStoredToken(bridge);
      const { sources, close } = await processes(bridge);
      try {
        const refused = await sources[0]!.get().then(
          () => undefined,
          (error: unknown) => error,
        );
        assert.ok(refused instanceof WaitForZohoError);
        assert.equal(refused.kind, 'refresh_throttled');
        assert.ok(refused.waitMs >= 9 * 60_000, `waits ${refused.waitMs} ms`);
        assert.equal(throttled(bridge), 1);

        const tokenCalls = bridge.sim.callsTo('token').length;
        const others = await Promise.allSettled(sources.map((source) => source.get()));
        for (const other of others) {
          assert.equal(other.status, 'rejected');
          assert.ok(other.reason instanceof WaitForZohoError && other.reason.kind === 'refresh_throttled');
        }
        assert.equal(bridge.sim.callsTo('token').length, tokenCalls, 'nobody hammered the token endpoint');

        const status = await bridge.services.zoho.connector.status();
        assert.equal(status.state, 'connected');
        assert.ok(status.refreshPausedUntil && status.refreshPausedUntil.getTime() > Date.now() + 9 * 60_000);
        assert.match(status.reason ?? '', /Zoho refused to issue more access tokens for now .* continues by itself/);
      } finally {
        await close();
      }
    });
  });
}

describe('a refresh token revoked at Zoho', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false });
  });
  after(() => bridge.close());

  it('marks the connection as needing reconnection, with the reason, and stops asking Zoho', async () => {
    await bridge.services.zoho.tokens.get();
    bridge.sim.revokeRefreshToken(bridge.env.ZOHO_REFRESH_TOKEN!);
    await expireStoredToken(bridge);
    const { sources, close } = await processes(bridge, 3);
    try {
      const results = await Promise.allSettled(sources.map((source) => source.get()));
      for (const result of results) {
        assert.equal(result.status, 'rejected');
        assert.ok(result.reason instanceof WaitForZohoError && result.reason.kind === 'needs_reconnect', String(result.reason));
      }
      const status = await bridge.services.zoho.connector.status();
      assert.equal(status.state, 'needs_reconnect');
      assert.match(status.reason ?? '', /no longer accepts the bridge's permission .* Reconnect Zoho Campaigns/);
      const refreshCalls = bridge.sim.callsTo('token').length;
      await assert.rejects(sources[1]!.get(), WaitForZohoError);
      assert.equal(bridge.sim.callsTo('token').length, refreshCalls);
    } finally {
      await close();
    }
  });
});
