// The WooCommerce REST API (docs/woocommerce-webhooks.md, "The REST API"), as the CLI and the webhook watch use it: pages of
// customers and subscriptions for backfills, and the store's webhooks. One got instance with a
// timeout and no retries (the caller owns retries); every failure becomes a WooRestError whose
// message says what to check.
//
// Over plain http WooCommerce accepts a key only as an OAuth 1.0a one-legged signature, and over
// https as Basic auth or query keys (docs/woocommerce-webhooks.md, "The REST API: keys"), so the
// store address's scheme decides how each request is authenticated.
import { createHmac } from 'node:crypto';
import got, { type Got, type Response } from 'got';
import OAuth from 'oauth-1.0a';

export interface RestCredentials {
  consumerKey: string;
  consumerSecret: string;
  /**
   * "basic": HTTP Basic auth (https stores). "query": consumer_key/consumer_secret in the query
   * string, for servers that strip the Authorization header. "oauth1": OAuth 1.0a signatures, the
   * only way WooCommerce accepts a key over plain http (docs/woocommerce-webhooks.md, "The REST API: keys").
   * @defaultValue 'oauth1' for an http:// store, 'basic' for https://
   */
  authMode?: RestAuthMode;
}

export type RestAuthMode = 'basic' | 'query' | 'oauth1';

export type WooJson = Record<string, unknown>;

export interface CollectionPage {
  items: WooJson[];
  /** X-WP-Total: items in the whole collection. */
  total: number;
  /** X-WP-TotalPages. */
  totalPages: number;
  /** The Link header names a next page. */
  hasNext: boolean;
}

/** "https_seen_as_http": an https store refused Basic auth and query keys as WooCommerce does over plain http. */
export type WooRestErrorKind = 'auth' | 'permission' | 'not_found' | 'unreachable' | 'server' | 'invalid' | 'https_seen_as_http';

export class WooRestError extends Error {
  constructor(
    message: string,
    readonly kind: WooRestErrorKind,
    readonly httpStatus: number | undefined,
    readonly code: string | undefined,
  ) {
    super(message);
    this.name = 'WooRestError';
  }
}

export const MAX_PER_PAGE = 100;

export function createWooHttp(timeoutMs = 30_000): Got {
  return got.extend({
    retry: { limit: 0 },
    throwHttpErrors: false,
    // A redirect usually means the store URL is wrong (http vs https, www); say so instead.
    followRedirect: false,
    timeout: { request: timeoutMs },
    headers: { 'user-agent': 'woo-zoho-bridge', accept: 'application/json' },
  });
}

export class WooCommerceRestClient {
  readonly #apiRoot: string;
  #authMode: RestAuthMode;
  readonly #oauth: OAuth;

  constructor(
    private readonly http: Got,
    storeUrl: string,
    private readonly credentials: RestCredentials,
  ) {
    this.#apiRoot = `${storeUrl.replace(/\/+$/, '')}/wp-json/wc/v3`;
    this.#authMode = credentials.authMode ?? (storeUrl.startsWith('http://') ? 'oauth1' : 'basic');
    // HMAC-SHA256, as WooCommerce's own JavaScript client signs; no token (one-legged).
    this.#oauth = new OAuth({
      consumer: { key: credentials.consumerKey, secret: credentials.consumerSecret },
      signature_method: 'HMAC-SHA256',
      hash_function: (base, key) => createHmac('sha256', key).update(base).digest('base64'),
    });
  }

  /** How requests are authenticated now (after any fallback). */
  get authMode(): RestAuthMode {
    return this.#authMode;
  }

  /** One page of a collection, e.g. listPage('customers', { role: 'all', page: 2, per_page: 100 }). */
  async listPage(collection: 'customers' | 'subscriptions' | 'webhooks', params: Record<string, string | number>): Promise<CollectionPage> {
    const response = await this.#request('GET', collection, params);
    const items = this.#json(response, collection);
    if (!Array.isArray(items)) throw this.#notRest(response, collection);
    const total = Number(response.headers['x-wp-total'] ?? items.length);
    const totalPages = Number(response.headers['x-wp-totalpages'] ?? 1);
    const link = String(response.headers.link ?? '');
    const page = Number(params.page ?? 1);
    return { items: items as WooJson[], total, totalPages, hasNext: /rel="next"/.test(link) || page < totalPages };
  }

  /** Every webhook of the store, whatever its status. */
  async listWebhooks(): Promise<WooJson[]> {
    const all: WooJson[] = [];
    for (let page = 1; ; page++) {
      const result = await this.listPage('webhooks', { status: 'all', per_page: MAX_PER_PAGE, page, orderby: 'id', order: 'asc' });
      all.push(...result.items);
      if (!result.hasNext || result.items.length === 0) return all;
    }
  }

  async createWebhook(input: { name: string; topic: string; deliveryUrl: string; secret: string }): Promise<WooJson> {
    const response = await this.#request(
      'POST',
      'webhooks',
      {},
      {
        name: input.name,
        topic: input.topic,
        delivery_url: input.deliveryUrl,
        secret: input.secret,
        status: 'active',
      },
    );
    return this.#object(response, 'webhooks');
  }

  async updateWebhook(id: number, changes: { status?: string; secret?: string; deliveryUrl?: string }): Promise<WooJson> {
    const response = await this.#request(
      'PUT',
      `webhooks/${id}`,
      {},
      {
        ...(changes.status ? { status: changes.status } : {}),
        ...(changes.secret ? { secret: changes.secret } : {}),
        ...(changes.deliveryUrl ? { delivery_url: changes.deliveryUrl } : {}),
      },
    );
    return this.#object(response, `webhooks/${id}`);
  }

  /**
   * Whether the key may write (create webhooks), without writing anything: WooCommerce checks the
   * key's permission before the body, so an empty webhook is refused for a read-only key (401) and
   * for its missing fields otherwise (400) (docs/woocommerce-webhooks.md, "The REST API").
   */
  async canWrite(): Promise<boolean> {
    const response = await this.#request('POST', 'webhooks', {}, {});
    if (response.statusCode === 400) return true;
    try {
      this.#json(response, 'webhooks');
    } catch (error) {
      if (error instanceof WooRestError && error.kind === 'permission') return false;
      throw error;
    }
    throw this.#notRest(response, 'webhooks');
  }

  /** Whether WooCommerce Subscriptions serves its REST API on this store. */
  async hasSubscriptions(): Promise<boolean> {
    try {
      await this.listPage('subscriptions', { per_page: 1 });
      return true;
    } catch (error) {
      if (error instanceof WooRestError && error.kind === 'not_found') return false;
      throw error;
    }
  }

  async #request(method: 'GET' | 'POST' | 'PUT', path: string, params: Record<string, string | number>, json?: WooJson): Promise<Response<string>> {
    const response = await this.#send(method, path, params, json, this.#authMode);
    // "Sorry, you cannot …" on Basic auth means WordPress saw no key: the server dropped the
    // Authorization header (WooCommerce also reads keys from the query string), or WordPress
    // thinks it is on plain http, where it reads neither.
    if (this.#authMode === 'basic' && response.statusCode === 401 && isAnonymousRefusal(response)) {
      const retried = await this.#send(method, path, params, json, 'query');
      if (retried.statusCode !== 401) this.#authMode = 'query';
      else if (isAnonymousRefusal(retried)) throw httpsSeenAsHttp(this.#apiRoot);
      return retried;
    }
    return response;
  }

  async #send(
    method: string,
    path: string,
    params: Record<string, string | number>,
    json: WooJson | undefined,
    authMode: RestAuthMode,
  ): Promise<Response<string>> {
    const { consumerKey, consumerSecret } = this.credentials;
    const url = `${this.#apiRoot}/${path}`;
    let searchParams: Record<string, string | number> = params;
    let headers: Record<string, string> = {};
    if (authMode === 'basic') headers = { authorization: `Basic ${Buffer.from(`${consumerKey}:${consumerSecret}`).toString('base64')}` };
    else if (authMode === 'query') searchParams = { ...params, consumer_key: consumerKey, consumer_secret: consumerSecret };
    else {
      // The signature covers the query string; a JSON body is not signed (WooCommerce reads only
      // $_GET, $_POST and the OAuth header). The OAuth parameters travel in the query string,
      // which no server strips.
      const query = new URLSearchParams(Object.entries(params).map(([key, value]): [string, string] => [key, String(value)]));
      const signed = this.#oauth.authorize({ url: query.size > 0 ? `${url}?${query}` : url, method });
      searchParams = { ...params, ...(signed as unknown as Record<string, string>) };
    }
    try {
      return await this.http(url, { method: method as 'GET', searchParams, headers, ...(json ? { json } : {}) });
    } catch (error) {
      const { code, message } = error as { code?: string; message?: string };
      throw new WooRestError(
        `Could not reach the store's REST API at ${this.#apiRoot}: ${code ?? message ?? 'network error'}.`,
        'unreachable',
        undefined,
        code,
      );
    }
  }

  #object(response: Response<string>, what: string): WooJson {
    const body = this.#json(response, what);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw this.#notRest(response, what);
    return body as WooJson;
  }

  #json(response: Response<string>, what: string): unknown {
    const status = response.statusCode;
    if (status >= 300 && status < 400) {
      throw new WooRestError(
        `The store redirected ${what} to ${String(response.headers.location)}: use the store's exact address (https, with or without www) as its URL.`,
        'invalid',
        status,
        undefined,
      );
    }
    let body: unknown;
    try {
      body = JSON.parse(response.body);
    } catch {
      throw this.#notRest(response, what);
    }
    if (status >= 200 && status < 300) return body;
    throw describeFailure(status, body, `${this.#apiRoot}/${what}`);
  }

  #notRest(response: Response<string>, what: string): WooRestError {
    const looksHtml = /^\s*</.test(response.body);
    return new WooRestError(
      `${this.#apiRoot}/${what} answered HTTP ${response.statusCode} with ${looksHtml ? 'an HTML page' : 'something'} that is not the WooCommerce REST API. Check the store URL (WordPress with pretty permalinks serves it under /wp-json/).`,
      'invalid',
      response.statusCode,
      undefined,
    );
  }
}

function errorCode(response: Response<string>): string | undefined {
  try {
    const body = JSON.parse(response.body) as { code?: unknown };
    return typeof body.code === 'string' ? body.code : undefined;
  } catch {
    return undefined;
  }
}

/** WooCommerce's answer to a request it saw no key on ("Sorry, you cannot list/create …"). */
function isAnonymousRefusal(response: Response<string>): boolean {
  return ['woocommerce_rest_cannot_view', 'woocommerce_rest_cannot_create', 'woocommerce_rest_cannot_edit'].includes(errorCode(response) ?? '');
}

function httpsSeenAsHttp(apiRoot: string): WooRestError {
  return new WooRestError(
    `The store is on https, but WordPress answered as if it were on plain http: it ignored the REST API key sent over https (${apiRoot}). ` +
      'This happens when WordPress sits behind a proxy or load balancer that does not tell it the visit is https. ' +
      'Ask whoever hosts the store to pass on the https (the X-Forwarded-Proto header, or HTTPS=on) so WordPress knows, then try again.',
    'https_seen_as_http',
    401,
    'woocommerce_rest_cannot_view',
  );
}

function describeFailure(status: number, body: unknown, url: string): WooRestError {
  const record = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; message?: unknown };
  const code = typeof record.code === 'string' ? record.code : undefined;
  const said = `${typeof record.message === 'string' ? record.message : `HTTP ${status}`}${code ? ` (${code})` : ''}`;
  if (status === 401 && code === 'woocommerce_rest_authentication_error' && /does not have (read|write) permissions/.test(said)) {
    return new WooRestError(
      `The REST API key is not allowed to do this: ${said}. Give the key Read/Write permission (WooCommerce › Settings › Advanced › REST API), or make a new one.`,
      'permission',
      status,
      code,
    );
  }
  if (status === 401 && code === 'woocommerce_rest_authentication_error') {
    return new WooRestError(
      `WooCommerce refused the REST API key: ${said}. Check the consumer key and secret (WooCommerce › Settings › Advanced › REST API); the key needs Read/Write permission.`,
      'auth',
      status,
      code,
    );
  }
  if (status === 401 || status === 403) {
    return new WooRestError(
      `WooCommerce did not allow this with the REST API key: ${said}. The key must belong to an administrator or shop manager and have Read/Write permission.`,
      'permission',
      status,
      code,
    );
  }
  if (status === 404) return new WooRestError(`${url} does not exist on the store: ${said}.`, 'not_found', status, code);
  if (status >= 500) return new WooRestError(`The store failed to answer ${url}: ${said}. Try again later.`, 'server', status, code);
  return new WooRestError(`WooCommerce refused the request to ${url}: ${said}.`, 'invalid', status, code);
}
