// From a signed WooCommerce delivery to the Zoho simulator and the sync log, on real Postgres,
// Redis and HTTP, with the workers running as `npm start` runs them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { customerBody, fixtureBytes, sendDelivery } from '../support/woocommerce.ts';

const CUSTOMERS = 'sim-customers';

describe('sync: customer deliveries reach Zoho Campaigns', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge();
  });
  after(() => bridge.close());

  const eventStatus = (id: string) => bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: BigInt(id) } }).then((event) => event);
  const settled = (id: string) =>
    waitFor(`event ${id} to settle`, async () => {
      const event = await eventStatus(id);
      return ['synced', 'coalesced', 'skipped', 'failed'].includes(event.status) ? event : undefined;
    });
  const subscribeCallsFor = (email: string) => bridge.sim.callsTo('listsubscribe').filter((call) => call.params.contactinfo?.includes(email));

  it('subscribes a customer with non-ASCII names, arriving byte-exact at Zoho', async () => {
    const response = await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body: fixtureBytes('customer-created-42.json') });
    assert.equal(response.status, 200);
    const event = await settled(response.json().event as string);
    assert.equal(event.status, 'synced');

    const [call] = subscribeCallsFor('zoe.muller@example.com');
    assert.ok(call, 'listsubscribe was called');
    assert.equal(call.headers.authorization?.startsWith('Zoho-oauthtoken 1000.'), true);
    assert.equal(call.params.listkey, CUSTOMERS);
    const contactInfo = JSON.parse(call.params.contactinfo!);
    assert.equal(contactInfo['First Name'], 'Zoë');
    assert.equal(contactInfo['Last Name'], 'Müller');
    // The raw form body carries UTF-8 percent-encoding of the real characters: ë = %C3%AB.
    assert.match(call.rawBody.toString('latin1'), /Zo%C3%AB/);
    const zohoContact = bridge.sim.contacts(CUSTOMERS).get('zoe.muller@example.com');
    assert.equal(zohoContact?.status, 'active');
    assert.equal(zohoContact?.fields['First Name'], 'Zoë');

    const log = await bridge.services.db.syncAttempt.findMany({ where: { eventId: event.id } });
    assert.equal(log.length, 1);
    assert.equal(log[0]?.outcome, 'done');
    assert.equal(log[0]?.action, 'subscribe');
    assert.equal(log[0]?.zohoCode, '0');
  });

  it('makes no second Zoho call for an identical redelivery or a created+updated pair', async () => {
    const body = customerBody({ id: 43, email: 'pair@example.com', date_modified_gmt: '2025-05-01T10:00:00' });
    const created = await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body });
    await settled(created.json().event as string);
    const again = await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body });
    assert.equal(again.json().duplicate, true);
    const updated = await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body });
    const updatedEvent = await settled(updated.json().event as string);
    assert.equal(updatedEvent.status, 'synced');
    assert.match(updatedEvent.statusReason ?? '', /no call needed/);
    assert.equal(subscribeCallsFor('pair@example.com').length, 1);
  });

  it('never lets an older snapshot overwrite a newer one', async () => {
    const newer = customerBody({ id: 44, email: 'order@example.com', first_name: 'Newer', date_modified_gmt: '2025-06-02T10:00:00' });
    const older = customerBody({ id: 44, email: 'order@example.com', first_name: 'Older', date_modified_gmt: '2025-06-01T10:00:00' });
    const first = await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body: newer });
    await settled(first.json().event as string);
    const second = await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body: older });
    const stale = await settled(second.json().event as string);
    assert.equal(stale.status, 'skipped');
    assert.match(stale.statusReason ?? '', /older snapshot/i);
    assert.equal(bridge.sim.contacts(CUSTOMERS).get('order@example.com')?.fields['First Name'], 'Newer');
    assert.equal(subscribeCallsFor('order@example.com').length, 1);
  });

  it('unsubscribes the known contact when the customer is deleted ({id} only)', async () => {
    const created = await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body: customerBody({ id: 45, email: 'gone@example.com' }) });
    await settled(created.json().event as string);
    const deleted = await sendDelivery(bridge.webhookUrl, { topic: 'customer.deleted', body: '{"id":45}' });
    const event = await settled(deleted.json().event as string);
    assert.equal(event.status, 'synced');
    assert.equal(bridge.sim.callsTo('listunsubscribe').filter((call) => call.params.contactinfo?.includes('gone@example.com')).length, 1);
    assert.equal(bridge.sim.contacts(CUSTOMERS).get('gone@example.com')?.status, 'unsubscribed');
  });

  it('fails an invalid email for good (no retries) and says what Zoho said', async () => {
    const response = await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body: customerBody({ id: 46, email: 'not-an-email' }) });
    const event = await settled(response.json().event as string);
    assert.equal(event.status, 'failed');
    assert.match(event.statusReason ?? '', /2004/);
    const log = await bridge.services.db.syncAttempt.findMany({ where: { eventId: event.id } });
    assert.deepEqual(
      log.map((row) => row.outcome),
      ['permanent'],
    );
  });

  it('retries a transient Zoho failure with backoff and then succeeds', async () => {
    bridge.sim.injectFault({ endpoint: 'listsubscribe', kind: 'http503', times: 1 });
    const response = await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body: customerBody({ id: 47, email: 'flaky@example.com' }) });
    const event = await settled(response.json().event as string);
    assert.equal(event.status, 'synced');
    const log = await bridge.services.db.syncAttempt.findMany({ where: { eventId: event.id }, orderBy: { id: 'asc' } });
    assert.deepEqual(
      log.map((row) => [row.outcome, row.attempt]),
      [
        ['retry', 1],
        ['done', 2],
      ],
    );
    assert.match(log[0]?.zohoMessage ?? '', /HTTP 503/);
  });

  it('refreshes once and retries when Zoho refuses an expired token', async () => {
    bridge.sim.expireAccessTokens();
    const refreshesBefore = Object.values(bridge.sim.stats.tokenRefreshes).reduce((sum, count) => sum + count, 0);
    const response = await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body: customerBody({ id: 48, email: 'token@example.com' }) });
    const event = await settled(response.json().event as string);
    assert.equal(event.status, 'synced');
    const log = await bridge.services.db.syncAttempt.findMany({ where: { eventId: event.id }, orderBy: { id: 'asc' } });
    assert.deepEqual(
      log.map((row) => row.outcome),
      ['auth', 'done'],
    );
    const refreshesAfter = Object.values(bridge.sim.stats.tokenRefreshes).reduce((sum, count) => sum + count, 0);
    assert.equal(refreshesAfter - refreshesBefore, 1);
  });
});
