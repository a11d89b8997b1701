// Finds the store a command is about and a REST client for it, failing with a sentence that says
// what to do (add the store, give it a REST API key) rather than a stack trace.
import type { RedisClient } from '../redis/connection.ts';
import type { Config } from '../config.ts';
import type { Store } from '../db/rows.ts';
import type { StoreRepository } from '../db/stores.ts';
import { createWooHttp, WooCommerceRestClient, type RestCredentials } from '../woocommerce/rest-client.ts';

export class CliError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CliError';
  }
}

/** How a command finds its store: the stores, and the first one as configured (WC_STORE_URL…). */
export interface StoreAccess {
  stores: StoreRepository;
  defaultStore: Config['defaultStore'];
}

/** The store named by --store, or the only store with a REST API key when none is named. */
export async function resolveStore(access: StoreAccess, storeId: string | undefined): Promise<Store> {
  const { stores } = access;
  // The first store exists once the bridge has started; make sure it does for a fresh database too.
  await stores.ensureConfiguredStore(access.defaultStore);
  if (storeId) {
    const store = await stores.findById(storeId);
    if (!store) {
      const known = (await stores.list()).map((entry) => entry.id).join(', ');
      throw new CliError(`No store "${storeId}". Known stores: ${known}. Add one with: woo-zoho-bridge stores add --url <store URL>`);
    }
    return store;
  }
  const withKeys = await stores.listWithRestCredentials();
  if (withKeys.length === 1) return withKeys[0]!;
  if (withKeys.length === 0) {
    throw new CliError(
      'No store has a WooCommerce REST API key yet. Give one to a store with:\n' +
        '  woo-zoho-bridge stores credentials <store id> --consumer-key ck_… --consumer-secret cs_…\n' +
        '(create the key in WooCommerce › Settings › Advanced › REST API, with Read/Write permission)',
    );
  }
  throw new CliError(`Several stores have a REST API key (${withKeys.map((store) => store.id).join(', ')}): say which with --store <id>.`);
}

export function restClientFor(access: StoreAccess, store: Store): WooCommerceRestClient {
  const credentials = access.stores.restCredentialsOf(store);
  if (!credentials) {
    throw new CliError(
      `Store "${store.id}" has no WooCommerce REST API key. Add one with:\n` +
        `  woo-zoho-bridge stores credentials ${store.id} --consumer-key ck_… --consumer-secret cs_…`,
    );
  }
  if (!store.url) throw new CliError(`Store "${store.id}" has no URL. Set WC_STORE_URL (first store) or add the store again with --url.`);
  return restClient(store.url, credentials);
}

export function restClient(storeUrl: string, credentials: RestCredentials): WooCommerceRestClient {
  return new WooCommerceRestClient(createWooHttp(), storeUrl, credentials);
}

/**
 * The process's Redis connection fails fast instead of queueing commands (it is the web
 * process's), so a command that is quicker than the connection waits for it here.
 */
export async function redisReady(redis: RedisClient, timeoutMs = 5_000): Promise<boolean> {
  if (redis.status === 'ready') return true;
  return new Promise<boolean>((resolve) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      resolve(false);
    }, timeoutMs);
    const onReady = () => {
      clearTimeout(timer);
      resolve(true);
    };
    redis.once('ready', onReady);
  });
}
