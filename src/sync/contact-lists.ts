// Which managed Zoho lists a stored contact is on now, and which the store's rules put them on:
// the one reading of a contact's stored state that the sync (sync-event.ts) and the "apply
// settings to everyone" preview share, so the preview counts exactly what the sync will do,
// consent and Zoho's unsubscribes included.
import type { Contact, Subscription } from '../db/rows.ts';
import { consentOf, type Consent } from './consent.ts';
import { notesOf, type Snapshot } from './contact-snapshot.ts';
import { desiredLists } from './routing.ts';
import { managedLists, type StoreSettings } from './store-settings.ts';

export interface ContactLists {
  consent: Consent;
  /** The managed lists the bridge has them on now. */
  now: string[];
  /** The lists the store's rules put them on. */
  wanted: string[];
}

/**
 * The managed lists the bridge has the contact on. Lists dropped from the settings are left alone
 * (people stay there, the bridge stops managing them), and lists Zoho reports them unsubscribed
 * from are not theirs to leave.
 */
export function listsStillManaged(contact: Contact, settings: StoreSettings): string[] {
  const managed = managedLists(settings);
  return contact.syncedLists.filter((list) => managed.includes(list) && !contact.zohoUnsubscribedLists.includes(list));
}

export function contactLists(contact: Contact, subscriptions: readonly Subscription[], settings: StoreSettings): ContactLists {
  const snapshot = contact.snapshot as Snapshot;
  const now = listsStillManaged(contact, settings);
  const consent = consentOf(snapshot, settings);
  const wanted = desiredLists(
    {
      deleted: contact.deletedAt !== null,
      retired: notesOf(snapshot).retiredInto !== undefined,
      consent,
      zohoUnsubscribedLists: contact.zohoUnsubscribedLists,
      syncedLists: now,
    },
    subscriptions.map((subscription) => ({ status: subscription.status, deleted: subscription.deletedAt !== null })),
    settings,
  );
  return { consent, now, wanted };
}
