// Connecting a store: its address and a WooCommerce REST API key, checked live against the store
// before anything is saved, with what went wrong in words an owner can act on: nothing answers,
// it is not WooCommerce, the key is wrong, the key may not write (the webhooks need it), or an
// https store answers as if it were on http (docs/woocommerce-webhooks.md, "The REST API: keys").
import type { Got, Response } from 'got';
import type { StoreRepository } from '../db/stores.ts';
import { WooCommerceRestClient, WooRestError } from '../woocommerce/rest-client.ts';

export type ConnectProblem = 'address' | 'unreachable' | 'not_woocommerce' | 'wrong_key' | 'permission' | 'https_seen_as_http';

export type ConnectResult =
  | { ok: true; storeId: string; url: string; hasSubscriptions: boolean; signsWithOAuth: boolean }
  | { ok: false; problem: ConnectProblem; field: 'url' | 'consumerKey'; message: string };

export interface StoreKeyInput {
  url: string;
  consumerKey: string;
  consumerSecret: string;
}

export class ConnectStore {
  constructor(private readonly deps: { stores: StoreRepository; http: Got }) {}

  async connect(storeId: string, input: StoreKeyInput): Promise<ConnectResult> {
    const url = input.url.trim().replace(/\/+$/, '');
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      return fail(
        'address',
        'url',
        'Give the store’s full address, starting with https:// (or http:// for a local or staging shop), for example https://shop.example.com.',
      );
    }
    const consumerKey = input.consumerKey.trim();
    const consumerSecret = input.consumerSecret.trim();
    if (!consumerKey.startsWith('ck_') || !consumerSecret.startsWith('cs_')) {
      return fail(
        'wrong_key',
        'consumerKey',
        'A WooCommerce REST API key has two parts: the consumer key starts with ck_ and the consumer secret with cs_. Copy both from WooCommerce › Settings › Advanced › REST API.',
      );
    }
    const store = await this.deps.stores.findById(storeId);
    if (!store) return fail('address', 'url', 'That store does not exist (any more).');

    const site = await this.#whatAnswers(url);
    if (site !== 'woocommerce') return site;
    const client = new WooCommerceRestClient(this.deps.http, url, { consumerKey, consumerSecret });
    let hasSubscriptions: boolean;
    try {
      hasSubscriptions = await client.hasSubscriptions();
      await client.listPage('customers', { per_page: 1 });
      if (!(await client.canWrite())) {
        return fail(
          'permission',
          'consumerKey',
          'This key may only read. The bridge also creates the store’s webhooks, so it needs a key with Read/Write permission: edit the key in WooCommerce › Settings › Advanced › REST API, or make a new one.',
        );
      }
    } catch (error) {
      return explain(error);
    }
    await this.deps.stores.connectRest(storeId, url, { consumerKey, consumerSecret });
    return { ok: true, storeId, url, hasSubscriptions, signsWithOAuth: client.authMode === 'oauth1' };
  }

  /** Is anything there, and is it WordPress with WooCommerce? (GET /wp-json needs no key.) */
  async #whatAnswers(url: string): Promise<'woocommerce' | Extract<ConnectResult, { ok: false }>> {
    let response: Response<string>;
    try {
      response = await this.deps.http(`${url}/wp-json`, { method: 'GET' });
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'no answer';
      return fail('unreachable', 'url', `Nothing answered at ${url} (${code}). Check the address, and that the store is online and reachable from the bridge.`);
    }
    let namespaces: unknown;
    try {
      namespaces = (JSON.parse(String(response.body)) as { namespaces?: unknown }).namespaces;
    } catch {
      namespaces = undefined;
    }
    if (response.statusCode >= 300 && response.statusCode < 400) {
      return fail(
        'address',
        'url',
        `${url} sends visitors on to ${String(response.headers.location)}. Use the store’s exact address (https, with or without www).`,
      );
    }
    if (!Array.isArray(namespaces)) {
      return fail(
        'not_woocommerce',
        'url',
        `${url} does not look like a WordPress site: it has no REST API at /wp-json. Check the address (the shop’s home page, not a page inside it).`,
      );
    }
    if (!namespaces.includes('wc/v3')) {
      return fail(
        'not_woocommerce',
        'url',
        `${url} is a WordPress site, but WooCommerce is not active there (its REST API is missing). Check the address, or activate WooCommerce.`,
      );
    }
    return 'woocommerce';
  }
}

function fail(problem: ConnectProblem, field: 'url' | 'consumerKey', message: string): Extract<ConnectResult, { ok: false }> {
  return { ok: false, problem, field, message };
}

function explain(error: unknown): Extract<ConnectResult, { ok: false }> {
  if (!(error instanceof WooRestError)) throw error;
  switch (error.kind) {
    case 'auth':
      return fail(
        'wrong_key',
        'consumerKey',
        'The store does not know this key: the consumer key or the consumer secret is wrong. Copy both again from WooCommerce › Settings › Advanced › REST API (the secret is shown only when the key is made; if it is lost, make a new key).',
      );
    case 'permission':
      return fail(
        'permission',
        'consumerKey',
        'This key is not allowed to read the store’s customers. It must belong to an administrator or shop manager and have Read/Write permission.',
      );
    case 'https_seen_as_http':
      return fail('https_seen_as_http', 'url', error.message);
    case 'unreachable':
      return fail('unreachable', 'url', error.message);
    default:
      return fail('not_woocommerce', 'url', error.message);
  }
}
