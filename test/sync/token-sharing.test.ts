// Access tokens are shared: many concurrent jobs cause one refresh, and a bridge without Zoho
// settings still stores deliveries and syncs them once Zoho is connected.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { hostsFor } from '../../src/zoho/data-centres.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { customerBody, sendDelivery } from '../support/woocommerce.ts';

const totalRefreshes = (bridge: TestBridge) => Object.values(bridge.sim.stats.tokenRefreshes).reduce((sum, count) => sum + count, 0);

describe('Zoho access tokens', () => {
  const bridges: TestBridge[] = [];
  after(() => Promise.all(bridges.map((bridge) => bridge.close())));

  it('are refreshed once for many concurrent jobs, then reused', async () => {
    const bridge = await startBridge({ env: { WORKER_CONCURRENCY: '8' } });
    bridges.push(bridge);
    const responses = await Promise.all(
      Array.from({ length: 24 }, (_, index) =>
        sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body: customerBody({ id: 1000 + index, email: `c${index}@example.com` }) }),
      ),
    );
    assert.ok(responses.every((response) => response.status === 200));
    await waitFor('all 24 customers in Zoho', async () => bridge.sim.contacts('sim-customers').size >= 24);
    assert.equal(totalRefreshes(bridge), 1);
    assert.equal(bridge.sim.callsTo('listsubscribe').length, 24);
  });

  it('without a Zoho connection stores deliveries, reports it, and syncs them once connected', async () => {
    const bridge = await startBridge({ zohoConnected: false });
    bridges.push(bridge);
    const response = await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body: customerBody({ id: 2001, email: 'later@example.com' }) });
    assert.equal(response.status, 200);
    const eventId = BigInt(response.json().event as string);
    const waiting = await waitFor('the event to wait for Zoho', async () => {
      const event = await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: eventId } });
      return event.status === 'waiting' ? event : undefined;
    });
    assert.match(waiting.statusReason ?? '', /not connected/);
    const ready = await fetch(`${bridge.url}/readyz`).then((reply) => reply.json() as Promise<{ checks: { zoho: { state: string } } }>);
    assert.equal(ready.checks.zoho.state, 'not_connected');
    assert.equal(bridge.sim.callsTo('listsubscribe').length, 0);

    // Connect as the CLI or the browser flow does, then let the queue notice.
    const hosts = hostsFor('com', bridge.config.zoho);
    await bridge.services.repositories.zohoConnection.save({
      ...hosts,
      dataCentre: 'com',
      refreshToken: bridge.sim.createRefreshToken(),
      origin: 'self-client',
    });
    await bridge.services.syncQueue.removeRateLimitKey();
    await waitFor(
      'the waiting event to sync',
      async () => {
        const event = await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: eventId } });
        return event.status === 'synced';
      },
      30_000,
    );
    assert.equal(bridge.sim.contacts('sim-customers').get('later@example.com')?.status, 'active');
  });
});
