// The stored snapshot of a contact: the newest WooCommerce customer payload (or, until one arrives
// and for guests, the billing data of their newest subscription), plus the bridge's own notes
// under "_bridge". WooCommerce never sends a top-level key starting with "_" besides _links,
// which is dropped, so the notes cannot collide with payload keys.

export type Snapshot = Record<string, unknown>;

export interface MetaEntry {
  key: string;
  value: unknown;
}

export interface BridgeNotes {
  /** Where the customer fields come from: a customer.* payload, or a subscription's billing. */
  source?: 'customer' | 'subscription';
  /** meta_data of the newest subscription snapshot: checkout plugins often store consent there. */
  subscriptionMeta?: MetaEntry[];
  /** date_modified of that subscription snapshot (ISO), so an older one never replaces it. */
  subscriptionModifiedAt?: string;
  /** Set on a guest contact whose subscriptions moved to a new billing email: the key moved to. */
  retiredInto?: string;
}

export function notesOf(snapshot: unknown): BridgeNotes {
  if (typeof snapshot !== 'object' || snapshot === null) return {};
  const notes = (snapshot as Snapshot)._bridge;
  return typeof notes === 'object' && notes !== null && !Array.isArray(notes) ? (notes as BridgeNotes) : {};
}

export function withNotes(snapshot: Snapshot, notes: BridgeNotes): Snapshot {
  return { ...snapshot, _bridge: { ...notesOf(snapshot), ...notes } };
}

/** The newest value stored under a meta_data key, or undefined when the key is absent. */
export function metaEntry(entries: unknown, key: string): MetaEntry | undefined {
  if (!Array.isArray(entries)) return undefined;
  // WordPress allows one key several times; the last entry is the one saved last.
  return (entries as Array<Record<string, unknown>>)
    .filter((entry) => typeof entry === 'object' && entry !== null && entry.key === key)
    .map((entry) => ({ key, value: entry.value }))
    .at(-1);
}

/** A meta value from the customer's own meta_data, else from their newest subscription's. */
export function contactMeta(snapshot: Snapshot, key: string): MetaEntry | undefined {
  return metaEntry(snapshot.meta_data, key) ?? metaEntry(notesOf(snapshot).subscriptionMeta, key);
}
