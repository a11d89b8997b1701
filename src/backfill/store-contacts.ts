// Reads a whole store over the REST API and works out, with the store's own rules (roles, consent,
// subscription status → lists), whom the bridge would manage and on which Zoho lists. Shared by
// the dry run (preview.ts) and the bulk phase of an import (bulk-join.ts); writes nothing.
import type { BackfillKind } from '../db/backfill-runs.ts';
import type { ContactRepository } from '../db/contacts.ts';
import type { Store } from '../db/rows.ts';
import { consentOf, type Consent } from '../sync/consent.ts';
import { contactKeyOfPayload } from '../sync/contact-key.ts';
import { withNotes, type Snapshot } from '../sync/contact-snapshot.ts';
import { desiredLists, type RoutingSubscription } from '../sync/routing.ts';
import { effectiveSettings, type SettingsDefaults, type StoreSettings } from '../sync/store-settings.ts';
import type { WooCommerceRestClient, WooJson } from '../woocommerce/rest-client.ts';
import { fetchPage } from './fetch-pages.ts';

export interface ReadOptions {
  perPage?: number | undefined;
  onPage?: ((kind: BackfillKind, page: number, totalPages: number) => void) | undefined;
  retryDelaysMs?: number[] | undefined;
}

export interface PlannedContact {
  email: string;
  snapshot: Snapshot;
  consent: Consent;
  /** The lists the store's rules put them on. */
  lists: string[];
  /** The lists the bridge already has them on. */
  syncedLists: string[];
}

export interface StoreContacts {
  settings: StoreSettings;
  users: number;
  usersByRole: Record<string, number>;
  skippedByRole: number;
  withoutEmail: number;
  /** undefined when WooCommerce Subscriptions is not active. */
  subscriptions: number | undefined;
  subscriptionsByStatus: Record<string, number>;
  contacts: PlannedContact[];
}

interface Gathered {
  email: string;
  snapshot: Snapshot;
  subscriptions: RoutingSubscription[];
  subscriptionMeta: unknown[] | undefined;
  subscriptionModified: string;
}

export async function readStoreContacts(
  deps: { contacts: ContactRepository; defaults: SettingsDefaults },
  store: Store,
  client: WooCommerceRestClient,
  options: ReadOptions = {},
): Promise<StoreContacts> {
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
  const result: StoreContacts = {
    settings,
    users: users.length,
    usersByRole: {},
    skippedByRole: 0,
    withoutEmail: 0,
    subscriptions: subscriptions?.length,
    subscriptionsByStatus: {},
    contacts: [],
  };

  const gathered = new Map<string, Gathered>();
  for (const user of users) {
    const role = typeof user.role === 'string' ? user.role : '';
    result.usersByRole[role || '(none)'] = (result.usersByRole[role || '(none)'] ?? 0) + 1;
    const email = emailOf(user);
    // The same filters the sync applies to customer events (absorb-events.ts).
    if (role && !settings.roles.includes(role)) result.skippedByRole += 1;
    else if (!email) result.withoutEmail += 1;
    else gathered.set(String(user.id), { email, snapshot: user, subscriptions: [], subscriptionMeta: undefined, subscriptionModified: '' });
  }
  for (const subscription of subscriptions ?? []) {
    const status = String(subscription.status);
    result.subscriptionsByStatus[status] = (result.subscriptionsByStatus[status] ?? 0) + 1;
    const key = contactKeyOfPayload('subscription.updated', subscription);
    if (!key) continue;
    const billing = (subscription.billing ?? {}) as Record<string, unknown>;
    // Subscriptions bring in their holder even without a customer snapshot (guests, other roles).
    let contact = gathered.get(key);
    if (!contact && typeof billing.email === 'string' && billing.email.trim()) {
      const snapshot = { first_name: billing.first_name, last_name: billing.last_name, billing };
      contact = { email: billing.email.trim(), snapshot, subscriptions: [], subscriptionMeta: undefined, subscriptionModified: '' };
      gathered.set(key, contact);
    }
    if (!contact) continue;
    contact.subscriptions.push({ status, deleted: false });
    const modified = String(subscription.date_modified_gmt ?? subscription.date_modified ?? '');
    if (modified >= contact.subscriptionModified) {
      contact.subscriptionModified = modified;
      contact.subscriptionMeta = Array.isArray(subscription.meta_data) ? subscription.meta_data : [];
    }
  }

  const states = await deps.contacts.listStatesByKey(store.id, [...gathered.keys()]);
  for (const [key, contact] of gathered) {
    const state = states.get(key);
    const snapshot = contact.subscriptionMeta ? withNotes(contact.snapshot, { subscriptionMeta: contact.subscriptionMeta as never }) : contact.snapshot;
    const syncedLists = state?.syncedLists ?? [];
    const consent = consentOf(snapshot, settings);
    const lists = desiredLists(
      { deleted: false, retired: false, consent, zohoUnsubscribedLists: state?.zohoUnsubscribedLists ?? [], syncedLists },
      contact.subscriptions,
      settings,
    );
    result.contacts.push({ email: contact.email, snapshot, consent, lists, syncedLists });
  }
  return result;
}

function emailOf(user: WooJson): string {
  const billing = (user.billing ?? {}) as Record<string, unknown>;
  const email = typeof user.email === 'string' && user.email ? user.email : typeof billing.email === 'string' ? billing.email : '';
  return email.trim();
}
