// Reads one WooCommerce collection page for a backfill, with the backfill as the one retry owner:
// a store that hiccups (5xx, timeout) gets a couple more tries with backoff; a refused key does not.
import type { BackfillKind } from '../db/backfill-runs.ts';
import { WooRestError, type CollectionPage, type WooCommerceRestClient } from '../woocommerce/rest-client.ts';

/** Stable order (new customers get higher ids, so earlier pages do not shift), every role. */
export function collectionParams(kind: BackfillKind, page: number, perPage: number): Record<string, string | number> {
  const common = { page, per_page: perPage, orderby: 'id', order: 'asc' };
  // role defaults to "customer" in WooCommerce: subscribers and others would be left out (docs/woocommerce-webhooks.md, "The REST API").
  return kind === 'customers' ? { ...common, role: 'all' } : { ...common, status: 'any' };
}

export const DEFAULT_RETRY_DELAYS_MS = [2_000, 8_000];

export async function fetchPage(
  client: WooCommerceRestClient,
  kind: BackfillKind,
  page: number,
  perPage: number,
  retryDelaysMs: readonly number[] = DEFAULT_RETRY_DELAYS_MS,
): Promise<CollectionPage> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await client.listPage(kind, collectionParams(kind, page, perPage));
    } catch (error) {
      const transient = error instanceof WooRestError && (error.kind === 'server' || error.kind === 'unreachable');
      const delay = retryDelaysMs[attempt];
      if (!transient || delay === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, delay));
    }
  }
}
