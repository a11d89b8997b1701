// The custom fields (meta data keys) a store's recent deliveries carried, for the Settings page to
// offer when mapping fields: what the store's checkout really records, rather than a key the owner
// has to know. Only keys with a plain value (text, number, yes/no) can fill a Zoho field, so only
// those are offered. Reads a bounded number of stored deliveries, so the page costs the same on a
// busy store.
import type { EventRepository } from '../db/events.ts';

/** Deliveries read: enough to meet every field a checkout writes. */
const DELIVERIES_READ = 200;
/** How far back, in events of every store, the newest of this store's are looked for. */
const LOOK_BACK = 20_000;
/** Keys offered at most. */
const KEYS_MAX = 60;

export async function customFieldsSeen(events: Pick<EventRepository, 'recentBodies'>, storeId: string): Promise<string[]> {
  const bodies = await events.recentBodies(storeId, DELIVERIES_READ, LOOK_BACK);
  const decoder = new TextDecoder();
  const keys = new Set<string>();
  for (const body of bodies) {
    let payload: unknown;
    try {
      payload = JSON.parse(decoder.decode(body));
    } catch {
      continue; // WooCommerce's ping when a webhook is saved is a form, not JSON.
    }
    const meta = typeof payload === 'object' && payload !== null ? (payload as Record<string, unknown>).meta_data : undefined;
    if (!Array.isArray(meta)) continue;
    for (const entry of meta) {
      const { key, value } = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
      if (typeof key === 'string' && key.trim() !== '' && ['string', 'number', 'boolean'].includes(typeof value)) keys.add(key.trim());
    }
  }
  // Keys starting with "_" are usually a plugin's own bookkeeping: they come after the others.
  const ordered = [...keys].sort((a, b) => Number(a.startsWith('_')) - Number(b.startsWith('_')) || a.localeCompare(b));
  return ordered.slice(0, KEYS_MAX);
}
