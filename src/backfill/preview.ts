// The backfill dry run: reads every customer and subscription over the REST API and works out,
// with the store's own rules (roles, consent, subscription status → lists), how many contacts each
// Zoho list would gain, and how many of them an import may put there by Zoho's bulk add first.
// Writes nothing and queues nothing.
import type { BackfillKind } from '../db/backfill-runs.ts';
import type { ContactRepository } from '../db/contacts.ts';
import type { Store } from '../db/rows.ts';
import type { SettingsDefaults } from '../sync/store-settings.ts';
import type { WooCommerceRestClient } from '../woocommerce/rest-client.ts';
import { BULK_BATCH, bulkListsOf } from './bulk-eligibility.ts';
import { readStoreContacts } from './store-contacts.ts';

export interface ListPreview {
  listKey: string;
  /** Contacts the backfill would add to this list. */
  wouldJoin: number;
  /** Contacts the bridge already has on it. */
  alreadyOn: number;
  /** Of those joining, how many the bulk add may put there first (before Zoho's unsubscribed are left out). */
  bulk: number;
}

export interface BulkPreview {
  /** addlistsubscribersinbulk calls: ten addresses each, per list. */
  calls: number;
  addresses: number;
  /** Joins left to listsubscribe alone: the double opt-in list, and people without consent. */
  excludedDoubleOptIn: number;
  excludedConsent: number;
}

export interface BackfillPreview {
  users: number;
  usersByRole: Record<string, number>;
  syncedRoles: string[];
  skippedByRole: number;
  withoutEmail: number;
  /** undefined when WooCommerce Subscriptions is not active. */
  subscriptions: number | undefined;
  subscriptionsByStatus: Record<string, number>;
  /** People the bridge would manage in Zoho. */
  contacts: number;
  /** Contacts whose consent (or its absence) keeps them off every list. */
  onNoList: number;
  lists: ListPreview[];
  /** Events a backfill would store and queue (one per customer and per subscription). */
  jobs: number;
  bulk: BulkPreview;
}

/** What a dry run reads besides the store: who is on which list already, and the settings' fallbacks. */
export interface PreviewDependencies {
  contacts: ContactRepository;
  defaults: SettingsDefaults;
}

export async function previewBackfill(
  deps: PreviewDependencies,
  store: Store,
  client: WooCommerceRestClient,
  options: { perPage?: number; onPage?: (kind: BackfillKind, page: number, totalPages: number) => void; retryDelaysMs?: number[] } = {},
): Promise<BackfillPreview> {
  const read = await readStoreContacts(deps, store, client, options);
  const perList = new Map<string, ListPreview>();
  const bulk: BulkPreview = { calls: 0, addresses: 0, excludedDoubleOptIn: 0, excludedConsent: 0 };
  let onNoList = 0;
  for (const contact of read.contacts) {
    if (contact.lists.length === 0) onNoList += 1;
    const eligible = bulkListsOf(contact, read.settings);
    for (const { why } of eligible.excluded) {
      if (why === 'double-opt-in') bulk.excludedDoubleOptIn += 1;
      else bulk.excludedConsent += 1;
    }
    for (const listKey of contact.lists) {
      const entry = perList.get(listKey) ?? { listKey, wouldJoin: 0, alreadyOn: 0, bulk: 0 };
      if (contact.syncedLists.includes(listKey)) entry.alreadyOn += 1;
      else entry.wouldJoin += 1;
      if (eligible.lists.includes(listKey)) entry.bulk += 1;
      perList.set(listKey, entry);
    }
  }
  const lists = [...perList.values()].sort((a, b) => b.wouldJoin - a.wouldJoin);
  for (const list of lists) {
    bulk.addresses += list.bulk;
    bulk.calls += Math.ceil(list.bulk / BULK_BATCH);
  }
  return {
    users: read.users,
    usersByRole: read.usersByRole,
    syncedRoles: [...read.settings.roles],
    skippedByRole: read.skippedByRole,
    withoutEmail: read.withoutEmail,
    subscriptions: read.subscriptions,
    subscriptionsByStatus: read.subscriptionsByStatus,
    contacts: read.contacts.length,
    onNoList,
    lists,
    jobs: read.users + (read.subscriptions ?? 0),
    bulk,
  };
}
