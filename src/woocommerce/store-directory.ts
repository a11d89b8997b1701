// Looks up a store and its webhook secret for every delivery. A short in-memory cache keeps
// Postgres out of the hot path; a rotated secret takes effect within the TTL on every process.
import type { StoreRepository, StoreWithSecret } from '../db/stores.ts';

const TTL_MS = 5_000;
const MAX_STORE_ID_LENGTH = 200;
const MAX_CACHED = 1_000;

export class StoreDirectory {
  readonly #cache = new Map<string, { entry: StoreWithSecret | undefined; expiresAt: number }>();

  constructor(private readonly stores: StoreRepository) {}

  async find(storeId: string): Promise<StoreWithSecret | undefined> {
    // Taken from the URL: an id no store can have (a NUL, a page of text) is not looked up.
    if (storeId.length > MAX_STORE_ID_LENGTH || storeId.includes('\u0000')) return undefined;
    const cached = this.#cache.get(storeId);
    if (cached && cached.expiresAt > Date.now()) return cached.entry;
    const entry = await this.stores.findWithSecret(storeId);
    // Misses are cached too, and URLs are chosen by the caller: keep the cache from growing unbounded.
    if (this.#cache.size >= MAX_CACHED) this.#cache.clear();
    this.#cache.set(storeId, { entry, expiresAt: Date.now() + TTL_MS });
    return entry;
  }

  forget(storeId: string): void {
    this.#cache.delete(storeId);
  }
}
