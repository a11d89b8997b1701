// What "apply settings to everyone" would do, worked out from the contacts the bridge has stored
// and the store's current settings, with the same reading of each contact the sync uses
// (src/sync/contact-lists.ts): who joins and who leaves each list. Writes nothing. The run
// (apply-settings.ts) walks the contacts with the same page function, so it moves exactly the
// people counted here.
import type { ContactRepository } from '../db/contacts.ts';
import type { Contact, Subscription } from '../db/rows.ts';
import type { SubscriptionRepository } from '../db/subscriptions.ts';
import { contactLists } from '../sync/contact-lists.ts';
import { routingFingerprint } from '../sync/routing-fingerprint.ts';
import { managedLists, type StoreSettings } from '../sync/store-settings.ts';

export interface ListMoves {
  listKey: string;
  join: number;
  leave: number;
  /** On it now, and staying. */
  stay: number;
}

export interface ApplyPreview {
  /** The settings the numbers are for (src/sync/routing-fingerprint.ts). */
  fingerprint: string;
  /** People the bridge has stored for the store. */
  people: number;
  /** People whose lists change: each gets one sync. */
  moving: number;
  lists: ListMoves[];
  /** People whose consent keeps them off the lists (only the double opt-in list, when there is one). */
  withoutConsent: number;
  /** People Zoho reports unsubscribed from one of the lists: the bridge never puts them back there. */
  unsubscribedInZoho: number;
  /** People on a list the settings no longer use: they stay there. */
  onListsNoLongerUsed: number;
}

export interface PreviewReads {
  contacts: Pick<ContactRepository, 'pageOfStore'>;
  subscriptions: Pick<SubscriptionRepository, 'forContacts'>;
}

/** One contact whose lists the settings change. */
export interface Move {
  contact: Contact;
  joining: string[];
  leaving: string[];
}

const PAGE_SIZE = 500;

/** The people of one page of contacts whose lists change, and what the page adds to a preview. */
export async function movesOfPage(reads: PreviewReads, storeId: string, page: Contact[], settings: StoreSettings, preview?: ApplyPreview): Promise<Move[]> {
  const subscriptions = new Map<string, Subscription[]>();
  for (const subscription of await reads.subscriptions.forContacts(
    storeId,
    page.map((contact) => contact.customerKey),
  )) {
    subscriptions.set(subscription.customerKey, [...(subscriptions.get(subscription.customerKey) ?? []), subscription]);
  }
  const managed = managedLists(settings);
  const moves: Move[] = [];
  for (const contact of page) {
    const lists = contactLists(contact, subscriptions.get(contact.customerKey) ?? [], settings);
    const joining = lists.wanted.filter((list) => !lists.now.includes(list));
    const leaving = lists.now.filter((list) => !lists.wanted.includes(list));
    if (joining.length > 0 || leaving.length > 0) moves.push({ contact, joining, leaving });
    if (!preview) continue;
    preview.people += 1;
    if (joining.length > 0 || leaving.length > 0) preview.moving += 1;
    if (lists.consent === 'refused' || lists.consent === 'unknown') preview.withoutConsent += 1;
    if (contact.zohoUnsubscribedLists.some((list) => managed.includes(list))) preview.unsubscribedInZoho += 1;
    if (contact.syncedLists.some((list) => !managed.includes(list))) preview.onListsNoLongerUsed += 1;
    const entry = (listKey: string) => {
      const found = preview.lists.find((list) => list.listKey === listKey);
      if (found) return found;
      const added = { listKey, join: 0, leave: 0, stay: 0 };
      preview.lists.push(added);
      return added;
    };
    for (const list of joining) entry(list).join += 1;
    for (const list of leaving) entry(list).leave += 1;
    for (const list of lists.now.filter((list) => lists.wanted.includes(list))) entry(list).stay += 1;
  }
  return moves;
}

export async function previewApply(reads: PreviewReads, storeId: string, settings: StoreSettings): Promise<ApplyPreview> {
  const preview: ApplyPreview = {
    fingerprint: routingFingerprint(settings),
    people: 0,
    moving: 0,
    // Every list the settings use is shown, even one nobody joins or leaves.
    lists: managedLists(settings).map((listKey) => ({ listKey, join: 0, leave: 0, stay: 0 })),
    withoutConsent: 0,
    unsubscribedInZoho: 0,
    onListsNoLongerUsed: 0,
  };
  for (let after = 0n; ; ) {
    const page = await reads.contacts.pageOfStore(storeId, after, PAGE_SIZE);
    if (page.length === 0) return preview;
    await movesOfPage(reads, storeId, page, settings, preview);
    after = page.at(-1)!.id;
  }
}
