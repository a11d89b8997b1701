// The backfill dry run: reads every customer and subscription over the REST API and works out,
// with the store's own rules (roles, consent, subscription status → lists), how many contacts each
// Zoho list would gain. Writes nothing and queues nothing.
import type { ContactRepository } from '../db/contacts.ts';
import type { Store } from '../db/rows.ts';
import { consentOf } from '../sync/consent.ts';
import { contactKeyOfPayload } from '../sync/contact-key.ts';
import { withNotes, type Snapshot } from '../sync/contact-snapshot.ts';
import { desiredLists, type RoutingSubscription } from '../sync/routing.ts';
import { effectiveSettings, type SettingsDefaults } from '../sync/store-settings.ts';
import type { WooCommerceRestClient, WooJson } from '../woocommerce/rest-client.ts';
import type { BackfillKind } from '../db/backfill-runs.ts';
import { fetchPage } from './fetch-pages.ts';

export interface ListPreview {
  listKey: string;
  /** Contacts the backfill would add to this list. */
  wouldJoin: number;
  /** Contacts the bridge already has on it. */
  alreadyOn: number;
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
}

interface PreviewContact {
  snapshot: Snapshot;
  subscriptions: RoutingSubscription[];
  subscriptionMeta: unknown[] | undefined;
  subscriptionModified: string;
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
  const settings = effectiveSettings(store.settings, deps.defaults);
  const readAll = async (kind: BackfillKind): Promise<WooJson[]> => {
    const items: WooJson[] = [];
    for (let page = 1; ; page++) {
      const result = await fetchPage(client, kind, page, options.perPage ?? 100, options.retryDelaysMs);
      items.push(...result.items);
      options.onPage?.(kind, page, result.totalPages);
      if (!result.hasNext || result.items.length === 0) return items;
    }
  };
  const users = await readAll('customers');
  const subscriptions = (await client.hasSubscriptions()) ? await readAll('subscriptions') : undefined;

  const preview: BackfillPreview = {
    users: users.length,
    usersByRole: {},
    syncedRoles: [...settings.roles],
    skippedByRole: 0,
    withoutEmail: 0,
    subscriptions: subscriptions?.length,
    subscriptionsByStatus: {},
    contacts: 0,
    onNoList: 0,
    lists: [],
    jobs: users.length + (subscriptions?.length ?? 0),
  };
  const contacts = new Map<string, PreviewContact>();
  for (const user of users) {
    const role = typeof user.role === 'string' ? user.role : '';
    preview.usersByRole[role || '(none)'] = (preview.usersByRole[role || '(none)'] ?? 0) + 1;
    // The same filters the sync applies to customer events (absorb-events.ts).
    if (role && !settings.roles.includes(role)) preview.skippedByRole += 1;
    else if (!emailOf(user)) preview.withoutEmail += 1;
    else contacts.set(String(user.id), { snapshot: user, subscriptions: [], subscriptionMeta: undefined, subscriptionModified: '' });
  }
  for (const subscription of subscriptions ?? []) {
    const status = String(subscription.status);
    preview.subscriptionsByStatus[status] = (preview.subscriptionsByStatus[status] ?? 0) + 1;
    const key = contactKeyOfPayload('subscription.updated', subscription);
    if (!key) continue;
    const billing = (subscription.billing ?? {}) as Record<string, unknown>;
    // Subscriptions bring in their holder even without a customer snapshot (guests, other roles).
    let contact = contacts.get(key);
    if (!contact && typeof billing.email === 'string' && billing.email.trim()) {
      contact = { snapshot: { first_name: billing.first_name, last_name: billing.last_name, billing }, subscriptions: [], subscriptionMeta: undefined, subscriptionModified: '' };
      contacts.set(key, contact);
    }
    if (!contact) continue;
    contact.subscriptions.push({ status, deleted: false });
    const modified = String(subscription.date_modified_gmt ?? subscription.date_modified ?? '');
    if (modified >= contact.subscriptionModified) {
      contact.subscriptionModified = modified;
      contact.subscriptionMeta = Array.isArray(subscription.meta_data) ? subscription.meta_data : [];
    }
  }

  const states = await deps.contacts.listStatesByKey(store.id, [...contacts.keys()]);
  const perList = new Map<string, ListPreview>();
  for (const [key, contact] of contacts) {
    const state = states.get(key);
    const snapshot = contact.subscriptionMeta ? withNotes(contact.snapshot, { subscriptionMeta: contact.subscriptionMeta as never }) : contact.snapshot;
    const syncedLists = state?.syncedLists ?? [];
    const lists = desiredLists(
      { deleted: false, retired: false, consent: consentOf(snapshot, settings), zohoUnsubscribedLists: state?.zohoUnsubscribedLists ?? [], syncedLists },
      contact.subscriptions,
      settings,
    );
    if (lists.length === 0) preview.onNoList += 1;
    for (const listKey of lists) {
      const entry = perList.get(listKey) ?? { listKey, wouldJoin: 0, alreadyOn: 0 };
      if (syncedLists.includes(listKey)) entry.alreadyOn += 1;
      else entry.wouldJoin += 1;
      perList.set(listKey, entry);
    }
  }
  preview.contacts = contacts.size;
  preview.lists = [...perList.values()].sort((a, b) => b.wouldJoin - a.wouldJoin);
  return preview;
}

function emailOf(user: WooJson): string {
  const billing = (user.billing ?? {}) as Record<string, unknown>;
  const email = typeof user.email === 'string' && user.email ? user.email : typeof billing.email === 'string' ? billing.email : '';
  return email.trim();
}
