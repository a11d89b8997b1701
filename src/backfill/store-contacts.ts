// Works out, a page at a time, whom the bridge would manage and on which Zoho lists, with the
// store's own rules (roles, consent, subscription status → lists). Shared by the preview
// (preview.ts) and the bulk phase of an import (bulk-phase.ts); writes nothing.
//
// A person's lists depend on both collections: their account (role, consent) and their
// subscriptions (status, and consent that checkout plugins store on the subscription). So the
// subscriptions are read first into a small index (statuses and the consent entry only, plus the
// billing details of guests), and then the customers stream through page by page against it: the
// memory an import needs grows with the store's subscriptions, never with its customers.
import type { ContactRepository } from '../db/contacts.ts';
import { consentOf, type Consent } from '../sync/consent.ts';
import { contactKeyOfPayload, isGuestKey } from '../sync/contact-key.ts';
import { metaEntry, withNotes, type MetaEntry, type Snapshot } from '../sync/contact-snapshot.ts';
import { desiredLists } from '../sync/routing.ts';
import type { StoreSettings } from '../sync/store-settings.ts';
import type { WooCommerceRestClient, WooJson } from '../woocommerce/rest-client.ts';
import { fetchPage } from './fetch-pages.ts';

export interface ReadOptions {
  perPage?: number | undefined;
  retryDelaysMs?: number[] | undefined;
  /** Stop after the page that reaches this many items (a preview's sample). @defaultValue every item */
  maxItems?: number | undefined;
  onPage?: ((page: PageRead) => void) | undefined;
  signal?: AbortSignal | undefined;
  /** Called after each page: a long read keeps its lock. */
  keepAlive?: (() => Promise<unknown>) | undefined;
}

export interface PageRead {
  kind: 'customers' | 'subscriptions';
  page: number;
  totalPages: number;
  /** X-WP-Total: items in the whole collection. */
  total: number;
  items: WooJson[];
  ms: number;
}

export interface PlannedContact {
  key: string;
  email: string;
  snapshot: Snapshot;
  consent: Consent;
  /** customer: read from their account; guest: only their subscriptions know them (customer_id 0);
   *  holder: a subscription's account that no customer page covered (another role, no email). */
  from: 'customer' | 'guest' | 'holder';
  /** The lists the store's rules put them on. */
  lists: string[];
  /** The lists the bridge already has them on. */
  syncedLists: string[];
}

/** What a person's subscriptions add to their plan. */
interface Holding {
  statuses: string[];
  /** The consent entry of their newest subscription, when the store has a consent setting. */
  consentMeta: MetaEntry[] | undefined;
  modified: string;
  /** The newest subscription's billing address, and for a guest (no account) their billing details. */
  billing: { email: string; snapshot: Snapshot | undefined } | undefined;
  /** A customer page planned this person (their account was read). */
  covered: boolean;
}

/** Every subscription holder with what routing needs; one small entry per person. */
export class SubscriptionIndex {
  readonly #byKey = new Map<string, Holding>();
  readonly byStatus: Record<string, number> = {};
  /** Subscriptions read; total: X-WP-Total. */
  read = 0;
  total = 0;

  constructor(private readonly settings: StoreSettings) {}

  add(subscription: WooJson): void {
    this.read += 1;
    const status = String(subscription.status);
    this.byStatus[status] = (this.byStatus[status] ?? 0) + 1;
    const key = contactKeyOfPayload('subscription.updated', subscription);
    if (!key) return;
    const holding = this.#byKey.get(key) ?? { statuses: [], consentMeta: undefined, modified: '', billing: undefined, covered: false };
    if (!holding.statuses.includes(status)) holding.statuses.push(status);
    const modified = String(subscription.date_modified_gmt ?? subscription.date_modified ?? '');
    if (modified >= holding.modified) {
      holding.modified = modified;
      const metaKey = this.settings.consent.metaKey;
      const entry = metaKey ? metaEntry(subscription.meta_data, metaKey) : undefined;
      holding.consentMeta = metaKey ? (entry ? [entry] : []) : undefined;
      const billing = (subscription.billing ?? {}) as Record<string, unknown>;
      const email = typeof billing.email === 'string' ? billing.email.trim() : '';
      const snapshot = isGuestKey(key) ? { first_name: billing.first_name, last_name: billing.last_name, billing } : undefined;
      holding.billing = email ? { email, snapshot } : undefined;
    }
    this.#byKey.set(key, holding);
  }

  get(key: string): Holding | undefined {
    return this.#byKey.get(key);
  }

  /** Holders no customer page covered: guests, and accounts of a role that is not synced. */
  *uncovered(): Generator<[string, Holding]> {
    for (const entry of this.#byKey) if (!entry[1].covered && entry[1].billing) yield entry;
  }

  /** Reads every subscription (or a preview's sample); undefined when WooCommerce Subscriptions is not active. */
  static async read(client: WooCommerceRestClient, settings: StoreSettings, options: ReadOptions = {}): Promise<SubscriptionIndex | undefined> {
    if (!(await client.hasSubscriptions())) return undefined;
    const index = new SubscriptionIndex(settings);
    await readPages(client, 'subscriptions', options, (page) => {
      for (const subscription of page.items) index.add(subscription);
      index.total = Math.max(page.total, index.read);
    });
    return index;
  }
}

/** Pages through a collection, handing each page over before the next is read. */
export async function readPages(
  client: WooCommerceRestClient,
  kind: 'customers' | 'subscriptions',
  options: ReadOptions,
  onPage: (page: PageRead) => Promise<void> | void,
): Promise<void> {
  let read = 0;
  for (let page = 1; ; page++) {
    if (options.signal?.aborted) throw new Error('Stopped on request.');
    const started = Date.now();
    const result = await fetchPage(client, kind, page, options.perPage ?? 100, options.retryDelaysMs);
    const pageRead = { kind, page, totalPages: result.totalPages, total: result.total, items: result.items, ms: Date.now() - started };
    await onPage(pageRead);
    options.onPage?.(pageRead);
    await options.keepAlive?.();
    read += result.items.length;
    if (!result.hasNext || result.items.length === 0 || read >= (options.maxItems ?? Number.POSITIVE_INFINITY)) return;
  }
}

export type CustomerSkip = 'role' | 'no-email';

/** Plans one page of customers; marks the subscription holders it covered. */
export async function planCustomers(
  deps: { contacts: Pick<ContactRepository, 'listStatesByKey'> },
  storeId: string,
  settings: StoreSettings,
  index: SubscriptionIndex | undefined,
  users: WooJson[],
): Promise<{ planned: PlannedContact[]; skipped: Array<{ role: string; why: CustomerSkip }> }> {
  const skipped: Array<{ role: string; why: CustomerSkip }> = [];
  const kept: Array<{ key: string; email: string; user: WooJson }> = [];
  for (const user of users) {
    const role = typeof user.role === 'string' ? user.role : '';
    const email = emailOf(user);
    const key = contactKeyOfPayload('customer.updated', user);
    // The same filters the sync applies to customer events (absorb-events.ts).
    if (role && !settings.roles.includes(role)) skipped.push({ role, why: 'role' });
    else if (!email || !key) skipped.push({ role, why: 'no-email' });
    else kept.push({ key, email, user });
  }
  const states = await deps.contacts.listStatesByKey(
    storeId,
    kept.map((entry) => entry.key),
  );
  const planned = kept.map(({ key, email, user }) => {
    const holding = index?.get(key);
    if (holding) holding.covered = true;
    return plan(key, email, user, 'customer', holding, states.get(key), settings);
  });
  return { planned, skipped };
}

/** Plans the subscription holders no customer page covered (all of them are in memory already). */
export async function planUncovered(
  deps: { contacts: Pick<ContactRepository, 'listStatesByKey'> },
  storeId: string,
  settings: StoreSettings,
  index: SubscriptionIndex,
  onChunk: (planned: PlannedContact[]) => Promise<void> | void,
): Promise<void> {
  const chunk: Array<[string, Holding]> = [];
  const flush = async () => {
    const states = await deps.contacts.listStatesByKey(
      storeId,
      chunk.map(([key]) => key),
    );
    await onChunk(
      chunk.map(([key, holding]) => {
        const { email, snapshot } = holding.billing!;
        return plan(key, email, snapshot ?? { billing: { email } }, isGuestKey(key) ? 'guest' : 'holder', holding, states.get(key), settings);
      }),
    );
    chunk.length = 0;
  };
  for (const entry of index.uncovered()) {
    chunk.push(entry);
    if (chunk.length >= 100) await flush();
  }
  if (chunk.length > 0) await flush();
}

function plan(
  key: string,
  email: string,
  base: Snapshot,
  from: PlannedContact['from'],
  holding: Holding | undefined,
  state: { syncedLists: string[]; zohoUnsubscribedLists: string[] } | undefined,
  settings: StoreSettings,
): PlannedContact {
  const snapshot = holding?.consentMeta ? withNotes(base, { subscriptionMeta: holding.consentMeta }) : base;
  const syncedLists = state?.syncedLists ?? [];
  const consent = consentOf(snapshot, settings);
  const subscriptions = (holding?.statuses ?? []).map((status) => ({ status, deleted: false }));
  const lists = desiredLists(
    { deleted: false, retired: false, consent, zohoUnsubscribedLists: state?.zohoUnsubscribedLists ?? [], syncedLists },
    subscriptions,
    settings,
  );
  return { key, email, snapshot, consent, from, lists, syncedLists };
}

function emailOf(user: WooJson): string {
  const billing = (user.billing ?? {}) as Record<string, unknown>;
  const email = typeof user.email === 'string' && user.email ? user.email : typeof billing.email === 'string' ? billing.email : '';
  return email.trim();
}
