// Adding a store and its webhook secret, shared by the CLI (`stores add`, `webhooks register`) and
// the owner's Stores page, so both make the same ids and the same kind of secret.
import { randomBytes } from 'node:crypto';
import type { StoreRepository } from '../db/stores.ts';

/** 32 random bytes, base64url: 43 characters WooCommerce stores and compares without mangling (docs/woocommerce-webhooks.md, "Signature"). */
export function generateWebhookSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** An id for a store's webhook URL, made from its name, that no store has yet. */
export async function freeStoreId(stores: StoreRepository, name: string): Promise<string> {
  const base = slug(name);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!(await stores.findById(candidate))) return candidate;
  }
}

/** Whether two store addresses are the same store (case and trailing slashes aside). */
export function sameStoreUrl(a: string, b: string): boolean {
  const normal = (url: string) => url.trim().toLowerCase().replace(/\/+$/, '');
  return a !== '' && normal(a) === normal(b);
}

function slug(text: string): string {
  const value = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return value || 'store';
}
