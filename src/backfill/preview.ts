// The import's preview (the CLI's dry run, the dashboard's "Before you start"): works out, with the
// store's own rules (roles, consent, subscription status → lists), how many contacts each Zoho
// list would gain, and how many of them Zoho's bulk add may put there first. Writes nothing.
//
// The CLI reads the whole store; the dashboard reads a sample (the first pages of each collection)
// and scales it to the totals WooCommerce sends with every page (X-WP-Total, docs/woocommerce-webhooks.md,
// "The REST API"), so a store of 100,000 customers is previewed in seconds.
import type { ContactRepository } from '../db/contacts.ts';
import type { Store } from '../db/rows.ts';
import { effectiveSettings, type SettingsDefaults, type StoreSettings } from '../sync/store-settings.ts';
import type { WooCommerceRestClient } from '../woocommerce/rest-client.ts';
import { BULK_BATCH, bulkListsOf } from './bulk-eligibility.ts';
import { planCustomers, planUncovered, readPages, SubscriptionIndex, type PageRead, type PlannedContact } from './store-contacts.ts';

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
  /** X-WP-Total: every WordPress user. */
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
  /** How many of each were read when the counts above are estimated from a sample; undefined when everything was read. */
  sample: { users: number; subscriptions: number } | undefined;
  /** Pages of each collection, and how long one took to read on average. */
  pages: { customers: number; subscriptions: number; averageMs: number };
}

/** What a dry run reads besides the store: who is on which list already, and the settings' fallbacks. */
export interface PreviewDependencies {
  contacts: ContactRepository;
  defaults: SettingsDefaults;
}

export interface PreviewOptions {
  perPage?: number;
  /** Read at most about this many of each collection and estimate the rest. @defaultValue all */
  sample?: number;
  onPage?: (kind: 'customers' | 'subscriptions', page: number, totalPages: number) => void;
  retryDelaysMs?: number[];
}

export async function previewBackfill(
  deps: PreviewDependencies,
  store: Store,
  client: WooCommerceRestClient,
  options: PreviewOptions = {},
): Promise<BackfillPreview> {
  const settings = effectiveSettings(store.settings, deps.defaults);
  const timing = { pages: 0, ms: 0 };
  const readOptions = {
    perPage: options.perPage,
    retryDelaysMs: options.retryDelaysMs,
    maxItems: options.sample,
    onPage: (page: PageRead) => {
      timing.pages += 1;
      timing.ms += page.ms;
      options.onPage?.(page.kind, page.page, page.totalPages);
    },
  };
  const index = await SubscriptionIndex.read(client, settings, readOptions);
  const fromCustomers = new Tally(settings);
  let users = { read: 0, total: 0 };
  await readPages(client, 'customers', readOptions, async (page) => {
    users = { read: users.read + page.items.length, total: Math.max(page.total, users.read + page.items.length) };
    fromCustomers.roles(page.items);
    const { planned, skipped } = await planCustomers(deps, store.id, settings, index, page.items);
    fromCustomers.skipped(skipped);
    for (const contact of planned) fromCustomers.add(contact);
  });
  const sampled = users.read < users.total || (index !== undefined && index.read < index.total);
  const fromSubscriptions = new Tally(settings);
  if (index) {
    await planUncovered(deps, store.id, settings, index, (planned) => {
      // In a sample, an account holder no customer page covered may simply be on a page not read.
      for (const contact of planned) if (!sampled || contact.from === 'guest') fromSubscriptions.add(contact);
    });
  }
  const usersFactor = users.read > 0 ? users.total / users.read : 1;
  const subscriptionsFactor = index && index.read > 0 ? index.total / index.read : 1;
  const total = fromCustomers.scaled(usersFactor).plus(fromSubscriptions.scaled(subscriptionsFactor));
  const perPage = options.perPage ?? 100;
  return {
    users: users.total,
    usersByRole: total.usersByRole,
    syncedRoles: [...settings.roles],
    skippedByRole: total.skippedByRole,
    withoutEmail: total.withoutEmail,
    subscriptions: index?.total,
    subscriptionsByStatus: index ? scaleRecord(index.byStatus, subscriptionsFactor) : {},
    contacts: total.contacts,
    onNoList: total.onNoList,
    lists: total.lists(),
    jobs: users.total + (index?.total ?? 0),
    bulk: total.bulk(),
    sample: sampled ? { users: users.read, subscriptions: index?.read ?? 0 } : undefined,
    pages: {
      customers: Math.ceil(users.total / perPage),
      subscriptions: Math.ceil((index?.total ?? 0) / perPage),
      averageMs: timing.pages > 0 ? timing.ms / timing.pages : 0,
    },
  };
}

/** Counts of one part of the store, scaled from a sample to the whole. */
class Tally {
  contacts = 0;
  onNoList = 0;
  skippedByRole = 0;
  withoutEmail = 0;
  usersByRole: Record<string, number> = {};
  excludedDoubleOptIn = 0;
  excludedConsent = 0;
  perList = new Map<string, ListPreview>();

  constructor(private readonly settings: StoreSettings) {}

  roles(users: ReadonlyArray<Record<string, unknown>>): void {
    for (const user of users) {
      const role = typeof user.role === 'string' && user.role ? user.role : '(none)';
      this.usersByRole[role] = (this.usersByRole[role] ?? 0) + 1;
    }
  }

  skipped(entries: ReadonlyArray<{ why: 'role' | 'no-email' }>): void {
    for (const { why } of entries) {
      if (why === 'role') this.skippedByRole += 1;
      else this.withoutEmail += 1;
    }
  }

  add(contact: PlannedContact): void {
    this.contacts += 1;
    if (contact.lists.length === 0) this.onNoList += 1;
    const eligible = bulkListsOf(contact, this.settings);
    for (const { why } of eligible.excluded) {
      if (why === 'double-opt-in') this.excludedDoubleOptIn += 1;
      else this.excludedConsent += 1;
    }
    for (const listKey of contact.lists) {
      const entry = this.perList.get(listKey) ?? { listKey, wouldJoin: 0, alreadyOn: 0, bulk: 0 };
      if (contact.syncedLists.includes(listKey)) entry.alreadyOn += 1;
      else entry.wouldJoin += 1;
      if (eligible.lists.includes(listKey)) entry.bulk += 1;
      this.perList.set(listKey, entry);
    }
  }

  scaled(factor: number): Tally {
    if (factor === 1) return this;
    const scale = (n: number) => Math.round(n * factor);
    const copy = new Tally(this.settings);
    copy.contacts = scale(this.contacts);
    copy.onNoList = scale(this.onNoList);
    copy.skippedByRole = scale(this.skippedByRole);
    copy.withoutEmail = scale(this.withoutEmail);
    copy.usersByRole = scaleRecord(this.usersByRole, factor);
    copy.excludedDoubleOptIn = scale(this.excludedDoubleOptIn);
    copy.excludedConsent = scale(this.excludedConsent);
    for (const [key, list] of this.perList)
      copy.perList.set(key, { listKey: key, wouldJoin: scale(list.wouldJoin), alreadyOn: scale(list.alreadyOn), bulk: scale(list.bulk) });
    return copy;
  }

  plus(other: Tally): Tally {
    const sum = new Tally(this.settings);
    sum.contacts = this.contacts + other.contacts;
    sum.onNoList = this.onNoList + other.onNoList;
    sum.skippedByRole = this.skippedByRole + other.skippedByRole;
    sum.withoutEmail = this.withoutEmail + other.withoutEmail;
    sum.usersByRole = { ...this.usersByRole };
    for (const [role, n] of Object.entries(other.usersByRole)) sum.usersByRole[role] = (sum.usersByRole[role] ?? 0) + n;
    sum.excludedDoubleOptIn = this.excludedDoubleOptIn + other.excludedDoubleOptIn;
    sum.excludedConsent = this.excludedConsent + other.excludedConsent;
    for (const source of [this.perList, other.perList]) {
      for (const [key, list] of source) {
        const entry = sum.perList.get(key) ?? { listKey: key, wouldJoin: 0, alreadyOn: 0, bulk: 0 };
        sum.perList.set(key, {
          listKey: key,
          wouldJoin: entry.wouldJoin + list.wouldJoin,
          alreadyOn: entry.alreadyOn + list.alreadyOn,
          bulk: entry.bulk + list.bulk,
        });
      }
    }
    return sum;
  }

  lists(): ListPreview[] {
    return [...this.perList.values()].sort((a, b) => b.wouldJoin - a.wouldJoin);
  }

  bulk(): BulkPreview {
    const lists = this.lists();
    return {
      calls: lists.reduce((sum, list) => sum + Math.ceil(list.bulk / BULK_BATCH), 0),
      addresses: lists.reduce((sum, list) => sum + list.bulk, 0),
      excludedDoubleOptIn: this.excludedDoubleOptIn,
      excludedConsent: this.excludedConsent,
    };
  }
}

function scaleRecord(record: Record<string, number>, factor: number): Record<string, number> {
  return Object.fromEntries(Object.entries(record).map(([key, n]) => [key, Math.round(n * factor)]));
}
