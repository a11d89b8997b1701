// Bursts: deliveries that pile up for one contact while no worker runs become one Zoho call per
// list, carrying the newest state, whatever order the snapshots arrived in.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { ACTIVE, CUSTOMERS, LAPSED, listsOf, ROUTING_LISTS, settled, wooTime } from '../support/sync.ts';
import { customerBody, fixtureJson, sendDelivery, subscriptionBody } from '../support/woocommerce.ts';

const BILLING = fixtureJson<{ billing: Record<string, string> }>('customer-created-42.json').billing;

describe('coalescing: a burst for one contact becomes one Zoho call with the latest state', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false });
    const saved = await bridge.services.storeSettings.save('default', { lists: ROUTING_LISTS });
    assert.equal(saved.ok, true, JSON.stringify(saved));
  });
  after(() => bridge.close());

  const send = async (topic: string, body: string) => {
    const response = await sendDelivery(bridge.webhookUrl, { topic, body });
    assert.equal(response.status, 200);
    return response.json().event as string;
  };

  it('turns created + four updates of one customer into one listsubscribe with the newest name', async () => {
    const email = 'burst@example.com';
    const names = ['Ann', 'Anna', 'Anne', 'Annie', 'Annika'];
    const ids: string[] = [];
    // Sent out of order: the newest snapshot (Annika, minute 4) is not the last to arrive.
    for (const minute of [0, 2, 4, 1, 3]) {
      const topic = minute === 0 ? 'customer.created' : 'customer.updated';
      ids.push(
        await send(topic, customerBody({ id: 801, email, first_name: names[minute], billing: { ...BILLING, email }, date_modified_gmt: wooTime(minute) })),
      );
    }
    // The subscription's own burst, also out of order: cancelled is the newest.
    for (const [status, minute] of [
      ['active', 1],
      ['cancelled', 5],
      ['on-hold', 2],
    ] as const) {
      const topic = minute === 1 ? 'subscription.created' : 'subscription.updated';
      ids.push(await send(topic, subscriptionBody({ id: 8001, customer_id: 801, status, billing: { ...BILLING, email }, date_modified_gmt: wooTime(minute) })));
    }
    assert.equal(bridge.sim.callsTo('listsubscribe').length, 0, 'nothing is sent while the workers are stopped');

    await bridge.startWorkers();
    const events = await Promise.all(ids.map((id) => settled(bridge, id)));

    const subscribes = bridge.sim.callsTo('listsubscribe');
    assert.deepEqual(subscribes.map((call) => call.params.listkey).sort(), [CUSTOMERS, LAPSED]);
    for (const call of subscribes) assert.equal(JSON.parse(call.params.contactinfo!)['First Name'], 'Annika');
    // It never joined the active list, so it never has to leave it.
    assert.equal(bridge.sim.callsTo('listunsubscribe').length, 0);
    assert.deepEqual(listsOf(bridge.sim, email), [CUSTOMERS, LAPSED]);
    assert.equal(listsOf(bridge.sim, email).includes(ACTIVE), false);

    // Waiting events are applied oldest snapshot first, so none is stale: one synced, the rest
    // coalesced into it.
    const statuses = events.map((event) => event.status);
    assert.equal(statuses.filter((status) => status === 'synced').length, 1);
    assert.equal(statuses.filter((status) => status === 'coalesced').length, ids.length - 1);
  });
});
