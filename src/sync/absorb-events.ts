// Folds waiting WooCommerce events into the stored state of one contact: the newest snapshot of
// the customer and of each subscription. Payloads are snapshots taken at delivery time and arrive
// in any order (docs/woocommerce-webhooks.md, "Surprises"), so an older one never overwrites a newer one.
import type { JsonObject, WebhookEvent } from '../db/rows.ts';
import type { ContactRepository } from '../db/contacts.ts';
import type { SubscriptionRepository } from '../db/subscriptions.ts';
import { parseWooDate, readPayload, type CustomerPayload } from '../woocommerce/payloads.ts';
import { SubscriptionAbsorber } from './absorb-subscription.ts';
import { withNotes, type Snapshot } from './contact-snapshot.ts';
import { SETTINGS_APPLIED_TOPIC, SYNC_REQUESTED_TOPIC } from './requested-syncs.ts';
import type { StoreSettings } from './store-settings.ts';

/** Applied; not applied, and why (`failed` when the payload is not of its topic's shape). */
export type Absorbed = { event: WebhookEvent; applied: true } | { event: WebhookEvent; applied: false; reason: string; failed?: true };

export class EventAbsorber {
  readonly #subscriptionAbsorber: SubscriptionAbsorber;

  constructor(
    private readonly contacts: ContactRepository,
    private readonly subscriptions: SubscriptionRepository,
  ) {
    this.#subscriptionAbsorber = new SubscriptionAbsorber(contacts, subscriptions);
  }

  async absorb(event: WebhookEvent, contactKey: string, settings: StoreSettings): Promise<Absorbed> {
    const json: unknown = JSON.parse(Buffer.from(event.body).toString('utf8'));
    const skip = (reason: string): Absorbed => ({ event, applied: false, reason });
    switch (event.topic) {
      // Brings no new state: the contact's stored state is what gets sent (requested-syncs.ts).
      case SYNC_REQUESTED_TOPIC:
      case SETTINGS_APPLIED_TOPIC: {
        const contact = await this.contacts.find(event.storeId, contactKey);
        return contact ? { event, applied: true } : skip('The bridge has no details of this customer stored, so there is nothing to send.');
      }
      case 'customer.created':
      case 'customer.updated': {
        const read = readPayload('customer', event.topic, json);
        if (!read.ok) return { event, applied: false, reason: read.problem, failed: true };
        return this.#customer(event, contactKey, read.payload, settings, skip);
      }
      case 'customer.deleted': {
        const contact = await this.contacts.find(event.storeId, contactKey);
        if (!contact) return skip('The bridge never synced this customer, so there is nothing to remove.');
        if (!contact.deletedAt) await this.contacts.markDeleted(contact.id, event.receivedAt);
        return { event, applied: true };
      }
      case 'subscription.deleted': {
        const read = readPayload('deleted', event.topic, json);
        if (!read.ok) return { event, applied: false, reason: read.problem, failed: true };
        const subscription = await this.subscriptions.find(event.storeId, read.payload.id);
        if (!subscription) return skip('The bridge never saw this subscription, so there is nothing to change.');
        if (!subscription.deletedAt) await this.subscriptions.markDeleted(subscription.id, event.receivedAt);
        return { event, applied: true };
      }
      default: {
        const read = readPayload('subscription', event.topic, json);
        if (!read.ok) return { event, applied: false, reason: read.problem, failed: true };
        const verdict = await this.#subscriptionAbsorber.absorb(event, contactKey, read.payload);
        return verdict.applied ? { event, applied: true } : skip(verdict.reason);
      }
    }
  }

  async #customer(
    event: WebhookEvent,
    contactKey: string,
    customer: CustomerPayload,
    settings: StoreSettings,
    skip: (reason: string) => Absorbed,
  ): Promise<Absorbed> {
    // customer.created fires for every new WordPress user, admins included (docs/woocommerce-webhooks.md, "Topics").
    if (customer.role && !settings.roles.includes(customer.role)) {
      return skip(`Users with the role "${customer.role}" are not synced (synced roles: ${settings.roles.join(', ')}).`);
    }
    // The account email wins over the billing email; billing only fills in when it is empty.
    const email = customer.email || customer.billing.email || '';
    if (!email) return skip('The customer has no email address.');
    const existing = await this.contacts.find(event.storeId, contactKey);
    if (existing?.deletedAt) return skip('The customer was deleted in WooCommerce after this snapshot was taken.');
    const modifiedAt = event.modifiedAt ?? parseWooDate(customer.date_modified_gmt) ?? null;
    if (existing?.snapshotModifiedAt && modifiedAt && modifiedAt < existing.snapshotModifiedAt) {
      return skip(`An older snapshot (${modifiedAt.toISOString()}) than the one already applied; ignored.`);
    }
    const { _links: _ignored, avatar_url: _avatar, ...payload } = customer as Record<string, unknown>;
    // Notes kept from subscriptions (their meta_data) survive the customer snapshot replacing them.
    const previous = (existing?.snapshot ?? {}) as Snapshot;
    const snapshot = withNotes({ ...payload, _bridge: previous._bridge }, { source: 'customer' });
    await this.contacts.applySnapshot({
      storeId: event.storeId,
      customerKey: contactKey,
      customerId: customer.id,
      email,
      role: customer.role || null,
      snapshot: JSON.parse(JSON.stringify(snapshot)) as JsonObject,
      snapshotModifiedAt: modifiedAt,
    });
    return { event, applied: true };
  }
}
