// Folds one subscription snapshot (v3 or v1 shape, docs/woocommerce-webhooks.md, "Payload shapes") into stored state: the
// subscription's status, and the contact it belongs to. Until a customer snapshot arrives (and
// always for guests) the newest subscription's billing data stands in for the customer's.
import type { Contact, JsonObject, WebhookEvent } from '../db/rows.ts';
import type { ContactRepository } from '../db/contacts.ts';
import type { SubscriptionRepository } from '../db/subscriptions.ts';
import type { SubscriptionPayload } from '../woocommerce/payloads.ts';
import { isGuestKey } from './contact-key.ts';
import { notesOf, withNotes, type Snapshot } from './contact-snapshot.ts';

export type SubscriptionVerdict = { applied: true } | { applied: false; reason: string };

export class SubscriptionAbsorber {
  constructor(
    private readonly contacts: ContactRepository,
    private readonly subscriptions: SubscriptionRepository,
  ) {}

  async absorb(event: WebhookEvent, contactKey: string, subscription: SubscriptionPayload): Promise<SubscriptionVerdict> {
    const existing = await this.subscriptions.find(event.storeId, subscription.id);
    const modifiedAt = event.modifiedAt ?? null;
    if (existing?.snapshotModifiedAt && modifiedAt && modifiedAt < existing.snapshotModifiedAt) {
      return { applied: false, reason: `An older subscription snapshot (${modifiedAt.toISOString()}) than the one already applied; ignored.` };
    }
    if (existing?.deletedAt && (!modifiedAt || modifiedAt <= existing.deletedAt)) {
      return { applied: false, reason: 'The subscription was deleted in WooCommerce after this snapshot was taken.' };
    }
    await this.subscriptions.applySnapshot({
      storeId: event.storeId,
      subscriptionId: subscription.id,
      customerKey: contactKey,
      status: subscription.status,
      snapshotModifiedAt: modifiedAt,
    });
    await this.#applyToContact(event.storeId, contactKey, subscription, modifiedAt);
    if (existing && existing.customerKey !== contactKey) await this.#retireIfLeftEmpty(event.storeId, existing.customerKey, contactKey);
    return { applied: true };
  }

  async #applyToContact(storeId: string, contactKey: string, subscription: SubscriptionPayload, modifiedAt: Date | null): Promise<void> {
    const email = subscription.billing.email?.trim() ?? '';
    const details: Snapshot = {
      first_name: subscription.billing.first_name ?? '',
      last_name: subscription.billing.last_name ?? '',
      billing: subscription.billing,
    };
    const notes = {
      subscriptionMeta: subscription.meta_data.map(({ key, value }) => ({ key, value })),
      subscriptionModifiedAt: modifiedAt?.toISOString(),
    };
    const contact = await this.contacts.find(storeId, contactKey);
    if (!contact) {
      // Without an address there is nobody to sync yet; the customer snapshot may bring one.
      if (!email) return;
      await this.contacts.createFromSubscription({
        storeId,
        customerKey: contactKey,
        customerId: subscription.customer_id > 0 ? subscription.customer_id : null,
        email,
        snapshot: asJson(withNotes(details, { ...notes, source: 'subscription' })),
      });
      return;
    }
    await this.#refresh(contact, email, details, notes, modifiedAt);
  }

  /** Newer subscription data replaces older; billing fields only while no customer snapshot exists. */
  async #refresh(contact: Contact, email: string, details: Snapshot, notes: Snapshot, modifiedAt: Date | null): Promise<void> {
    const current = notesOf(contact.snapshot);
    const knownAt = current.subscriptionModifiedAt ? new Date(current.subscriptionModifiedAt) : undefined;
    if (knownAt && modifiedAt && modifiedAt < knownAt) return;
    const snapshot = contact.snapshot as Snapshot;
    // A guest who changed their address back has a subscription here again: no longer retired.
    const revived = { ...notes, retiredInto: undefined };
    // Contacts stored before notes existed: only a customer payload carries an "id".
    const fromCustomer = current.source ? current.source === 'customer' : 'id' in snapshot;
    if (fromCustomer) {
      await this.contacts.updateSnapshot(contact.id, { snapshot: asJson(withNotes(snapshot, revived)) });
      return;
    }
    await this.contacts.updateSnapshot(contact.id, {
      snapshot: asJson(withNotes({ ...snapshot, ...details }, { ...revived, source: 'subscription' })),
      ...(email ? { email } : {}),
    });
  }

  /**
   * A guest's billing email changed: their subscription now belongs to the contact of the new
   * address. The old guest contact, left with no subscription, is retired so that its address
   * leaves the managed lists (done by the sync of the new contact, see sync-event.ts).
   */
  async #retireIfLeftEmpty(storeId: string, previousKey: string, newKey: string): Promise<void> {
    if (!isGuestKey(previousKey)) return;
    const remaining = await this.subscriptions.forContact(storeId, previousKey);
    if (remaining.some((subscription) => !subscription.deletedAt)) return;
    const previous = await this.contacts.find(storeId, previousKey);
    if (!previous) return;
    await this.contacts.updateSnapshot(previous.id, { snapshot: asJson(withNotes(previous.snapshot as Snapshot, { retiredInto: newKey })) });
  }
}

function asJson(snapshot: Snapshot): JsonObject {
  // undefined values are dropped by JSON serialisation, which is how a note is cleared.
  return JSON.parse(JSON.stringify(snapshot)) as JsonObject;
}
