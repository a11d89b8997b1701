// Who may be put on a list by Zoho's bulk add, which takes addresses only and asks no one to
// confirm (docs/zoho-api.md, "Endpoints the bridge uses"). Only where it cannot hurt consent:
//   - never on the store's double opt-in list: that list exists to ask first;
//   - never for a person whose consent is missing or refused (only "given", or a store without a
//     consent gate, where the routing rules alone decide);
//   - never for an address Zoho reports unsubscribed from the list: the bulk add may re-add it.
//     That last check needs Zoho's own list, read just before (bulk-phase.ts); the lists recorded
//     on the contact are already left out by the routing.
// Everyone else still gets their names and fields through listsubscribe afterwards.
import type { StoreSettings } from '../sync/store-settings.ts';
import type { PlannedContact } from './store-contacts.ts';

export type BulkExclusion = 'double-opt-in' | 'consent';

/** The lists this contact may join by bulk add, and why the others of their lists are left out. */
export function bulkListsOf(contact: PlannedContact, settings: StoreSettings): { lists: string[]; excluded: Array<{ listKey: string; why: BulkExclusion }> } {
  const lists: string[] = [];
  const excluded: Array<{ listKey: string; why: BulkExclusion }> = [];
  const consentAllows = contact.consent === 'given' || contact.consent === 'not-required';
  for (const listKey of contact.lists) {
    if (contact.syncedLists.includes(listKey)) continue;
    if (listKey === settings.consent.doubleOptInList) excluded.push({ listKey, why: 'double-opt-in' });
    else if (!consentAllows) excluded.push({ listKey, why: 'consent' });
    else lists.push(listKey);
  }
  return { lists, excluded };
}

/** Zoho's bulk add takes at most ten addresses a call. */
export const BULK_BATCH = 10;
