// Helpers for tests that follow deliveries all the way into the Zoho simulator's lists.
import type { WebhookEvent } from '../../src/db/generated/client.ts';
import { DEFAULT_LISTS, type ContactStatus, type ZohoSimulator } from '../../tools/zoho-simulator/index.ts';
import { waitFor, type TestBridge } from './bridge.ts';
import { sendDelivery } from './woocommerce.ts';

export const CUSTOMERS = 'sim-customers';
export const ACTIVE = 'sim-active-subscribers';
export const LAPSED = 'sim-lapsed-customers';
export const DOUBLE_OPT_IN = 'sim-newsletter-doi';

/** The three lists of the default routing, as a store owner would set them. */
export const ROUTING_LISTS = { customers: CUSTOMERS, activeSubscribers: ACTIVE, lapsed: LAPSED };

const FINISHED = ['synced', 'coalesced', 'skipped', 'failed'];

/** A WooCommerce *_gmt timestamp `minutes` after a fixed start, so snapshots have a known order. */
export function wooTime(minutes: number): string {
  return new Date(Date.UTC(2025, 6, 1, 10, 0, 0) + minutes * 60_000).toISOString().slice(0, 19);
}

export async function settled(bridge: TestBridge, eventId: string): Promise<WebhookEvent> {
  return waitFor(`event ${eventId} to settle`, async () => {
    const event = await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: BigInt(eventId) } });
    return FINISHED.includes(event.status) ? event : undefined;
  });
}

/** Sends a signed delivery and waits until the worker has finished with it. */
export async function deliver(bridge: TestBridge, topic: string, body: string): Promise<WebhookEvent> {
  const response = await sendDelivery(bridge.webhookUrl, { topic, body });
  if (response.status !== 200) throw new Error(`Delivery refused with ${response.status}: ${response.body}`);
  return settled(bridge, response.json().event as string);
}

/** The lists on which Zoho has this address as an active subscriber, sorted. */
export function listsOf(sim: ZohoSimulator, email: string): string[] {
  return DEFAULT_LISTS.filter((list) => sim.contacts(list.listkey).get(email.toLowerCase())?.status === 'active')
    .map((list) => list.listkey)
    .sort();
}

/** Every list that knows the address, with its status there. */
export function statusesOf(sim: ZohoSimulator, email: string): Record<string, ContactStatus> {
  const statuses: Record<string, ContactStatus> = {};
  for (const { listkey } of DEFAULT_LISTS) {
    const contact = sim.contacts(listkey).get(email.toLowerCase());
    if (contact) statuses[listkey] = contact.status;
  }
  return statuses;
}

/** The bridge must never override an unsubscribe (docs/zoho-api.md, "Endpoints the bridge uses"). */
export function resubscribeOverrides(sim: ZohoSimulator): number {
  return sim.calls.filter((call) => 'donotmail_resub' in call.params).length;
}
