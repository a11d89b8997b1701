// A broken Zoho connection loses no sync: deliveries wait (without using up their tries), the
// owner sees why, and after reconnecting in the browser every waiting delivery reaches Zoho on its
// own. Zoho's refresh throttle makes the bridge back off instead of hammering.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { generateEncryptionKey, SecretBox } from '../../src/crypto/secret-box.ts';
import { ZohoConnectionRepository } from '../../src/db/zoho-connection.ts';
import { hostsFor } from '../../src/zoho/data-centres.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { textOf } from '../support/browser.ts';
import { connectInBrowser, signedInBrowser } from '../support/owner.ts';
import { customerBody, sendDelivery } from '../support/woocommerce.ts';
import { syncJobOf } from '../support/sync-jobs.ts';

const CUSTOMERS = 'sim-customers';

async function deliver(bridge: TestBridge, id: number, email: string): Promise<bigint> {
  const response = await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body: customerBody({ id, email }) });
  assert.equal(response.status, 200);
  return BigInt(response.json().event as string);
}

const statusOf = async (bridge: TestBridge, id: bigint) => (await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id } })).status;

describe('a Zoho connection that breaks', () => {
  const bridges: TestBridge[] = [];
  after(() => Promise.all(bridges.map((bridge) => bridge.close())));

  it('revoked at Zoho: deliveries wait without using their tries, and all sync after reconnecting in the browser', async () => {
    // Three tries only: a wait that counted as a try would fail these events quickly.
    const bridge = await startBridge({ env: { SYNC_ATTEMPTS: '3', WORKER_CONCURRENCY: '4' } });
    bridges.push(bridge);
    const browser = await signedInBrowser(bridge);
    const first = await deliver(bridge, 700, 'before@example.com');
    await waitFor('the first delivery to sync', async () => (await statusOf(bridge, first)) === 'synced');

    bridge.sim.revokeRefreshToken(bridge.env.ZOHO_REFRESH_TOKEN!);
    const emails = Array.from({ length: 6 }, (_, index) => `waiting${index}@example.com`);
    const ids = await Promise.all(emails.map((email, index) => deliver(bridge, 701 + index, email)));
    await waitFor('Zoho to be marked as needing reconnection', async () => (await bridge.services.zoho.connector.status()).state === 'needs_reconnect');

    // Make the queue look at the waiting jobs again and again, more often than they have tries.
    // (Jobs that wait go back to the head of the queue, so the same few are looked at each time.)
    await waitFor(
      'the waiting deliveries to be looked at more than 3 times',
      async () => {
        await bridge.services.syncQueue.removeRateLimitKey();
        const looked = (await bridge.services.db.webhookEvent.findMany({ where: { id: { in: ids } } })).filter((event) => event.attempts > 0);
        return looked.length > 0 && looked.every((event) => event.attempts > 3);
      },
      30_000,
    );
    const events = await bridge.services.db.webhookEvent.findMany({ where: { id: { in: ids } } });
    for (const event of events) {
      assert.ok(event.status === (event.attempts > 0 ? 'waiting' : 'received'), `event ${event.id} is ${event.status}`);
      if (event.status === 'waiting') assert.match(event.statusReason ?? '', /Reconnect Zoho Campaigns/);
      const job = await syncJobOf(bridge.services, event.id);
      assert.ok(job, `event ${event.id} is still queued`);
      assert.equal(job.attemptsMade, 0, `event ${event.id} spent no try`);
    }

    const overview = textOf((await browser.get('/admin')).body);
    assert.match(overview, /Needs reconnecting Zoho no longer accepts the bridge's permission \(it was revoked in Zoho/);
    assert.match(overview, /Nothing is lost: changes from your store are kept/);
    assert.match(overview, /6 changes are waiting to be sent to Zoho/);

    const reconnectedAt = Date.now();
    const lists = await connectInBrowser(browser);
    assert.equal(new URL(lists.url).pathname, '/admin/zoho/lists');
    await waitFor(
      'every waiting delivery to sync',
      async () => {
        const events = await bridge.services.db.webhookEvent.findMany({ where: { id: { in: ids } } });
        return events.every((event) => event.status === 'synced');
      },
      10_000,
    );
    // The jobs resume at once (the queue's wait is lifted), not at their next scheduled check.
    assert.ok(Date.now() - reconnectedAt < 8_000, `resumed after ${Date.now() - reconnectedAt} ms`);
    const inZoho = bridge.sim.contacts(CUSTOMERS);
    for (const email of emails) assert.equal(inZoho.get(email)?.status, 'active', email);
    assert.equal(await bridge.services.db.webhookEvent.count({ where: { status: 'failed' } }), 0);
    assert.match(textOf((await browser.get('/admin')).body), /Connected to your Zoho Campaigns account/);
  });

  it('Campaigns refusing even a freshly refreshed token: the connection needs reconnecting and the delivery waits', async () => {
    const bridge = await startBridge();
    bridges.push(bridge);
    bridge.sim.injectFault({ endpoint: 'listsubscribe', kind: 'code', code: '1007', message: 'Unauthorized key.', times: 2 });
    const id = await deliver(bridge, 800, 'refused@example.com');
    await waitFor('the delivery to wait', async () => (await statusOf(bridge, id)) === 'waiting');
    const status = await bridge.services.zoho.connector.status();
    assert.equal(status.state, 'needs_reconnect');
    assert.match(status.reason ?? '', /refused a freshly refreshed token \(Unauthorized key\.\)/);
    const log = await bridge.services.db.syncAttempt.findMany({ where: { eventId: id }, orderBy: { id: 'asc' } });
    assert.deepEqual(
      log.map((row) => row.outcome),
      ['auth', 'auth'],
    );

    await connectInBrowser(await signedInBrowser(bridge));
    await waitFor('the delivery to sync after reconnecting', async () => (await statusOf(bridge, id)) === 'synced');
    assert.equal(bridge.sim.contacts(CUSTOMERS).get('refused@example.com')?.status, 'active');
  });

  it('throttled by Zoho ("Access Denied"): the bridge backs off, says so, and does not ask again', async () => {
    const bridge = await startBridge({ simulator: { refreshThrottle: { limit: 1, windowMs: 10 * 60_000 } } });
    bridges.push(bridge);
    const browser = await signedInBrowser(bridge);
    const first = await deliver(bridge, 900, 'one@example.com');
    await waitFor('the first delivery to sync', async () => (await statusOf(bridge, first)) === 'synced');

    bridge.sim.expireAccessTokens();
    const second = await deliver(bridge, 901, 'two@example.com');
    await waitFor('the second delivery to wait', async () => (await statusOf(bridge, second)) === 'waiting');
    const event = await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: second } });
    assert.match(event.statusReason ?? '', /Zoho throttled token refreshes/);
    assert.ok((await bridge.services.syncQueue.getRateLimitTtl()) > 9 * 60_000, 'the queue waits about 10 minutes');

    // More deliveries, and the queue made to look again: still no second request to Zoho.
    const third = await deliver(bridge, 902, 'three@example.com');
    await bridge.services.syncQueue.removeRateLimitKey();
    await waitFor('the third delivery to wait', async () => (await statusOf(bridge, third)) === 'waiting');
    assert.equal(
      Object.values(bridge.sim.stats.throttledRefreshes).reduce((sum, count) => sum + count, 0),
      1,
    );
    assert.equal(bridge.sim.callsTo('token').length, 2, 'one refresh, one throttled refresh, nothing more');

    const overview = textOf((await browser.get('/admin')).body);
    assert.match(overview, /Zoho asked the bridge to slow down\. .* Syncing continues by itself after .* there is nothing to do/);
    assert.match(overview, /2 changes are waiting/);
  });

  it('sealed with another ENCRYPTION_KEY: deliveries wait (no retries burnt) until Zoho is connected again', async () => {
    const bridge = await startBridge({ zohoConnected: false, env: { SYNC_ATTEMPTS: '2' } });
    bridges.push(bridge);
    const otherKey = new ZohoConnectionRepository(bridge.services.db, new SecretBox(generateEncryptionKey()));
    await otherKey.save({ ...hostsFor('com', bridge.config.zoho), dataCentre: 'com', refreshToken: bridge.sim.createRefreshToken(), origin: 'browser' });
    const id = await deliver(bridge, 950, 'rotated@example.com');
    await waitFor('the delivery to wait', async () => (await statusOf(bridge, id)) === 'waiting');
    const status = await bridge.services.zoho.connector.status();
    assert.equal(status.state, 'needs_reconnect');
    assert.match(status.reason ?? '', /cannot be read: ENCRYPTION_KEY changed/);

    const lists = await connectInBrowser(await signedInBrowser(bridge));
    assert.equal(new URL(lists.url).pathname, '/admin/zoho/lists');
    await waitFor('the delivery to sync after reconnecting', async () => (await statusOf(bridge, id)) === 'synced');
  });
});
