// A WooCommerce REST API stand-in (docs/woocommerce-webhooks.md, "The REST API"): a real HTTP server with the store's
// customers, subscriptions and webhooks, REST-key auth, WordPress pagination headers, the errors
// WooCommerce answers with, injectable faults, and real signed webhook deliveries.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { generateStoreData, type Json, type StoreDataOptions } from './store-data.ts';
import { phpJson, WebhookRegistry, type SimWebhook, type WebhookStatus } from './webhooks.ts';
import { paginate, restError, sortCustomers, sortSubscriptions } from './collections.ts';
import { RestKeyAuthenticator } from './rest-auth.ts';

export interface WooCommerceSimulatorOptions extends Omit<StoreDataOptions, 'storeUrl'> {
  /** @defaultValue 0 (a random free port) */
  port?: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** @defaultValue 'ck_' followed by 40 hex digits */
  consumerKey?: string;
  /** @defaultValue 'cs_' followed by 40 hex digits */
  consumerSecret?: string;
  /** The key's permission (WooCommerce › Settings › Advanced › REST API). @defaultValue 'read_write' */
  permissions?: 'read' | 'write' | 'read_write';
  /** WooCommerce Subscriptions active: /subscriptions exists and subscription.* topics validate. @defaultValue true */
  subscriptionsPlugin?: boolean;
  /** The web server drops the Authorization header before WordPress sees it (Apache + CGI). @defaultValue false */
  dropsAuthorizationHeader?: boolean;
  /**
   * WordPress believes it is served over https (is_ssl()): Basic auth and query keys are accepted.
   * Left false, the store behaves as WooCommerce does over plain http: OAuth 1.0a signatures only.
   * @defaultValue false
   */
  isSsl?: boolean;
  /** WooCommerce is active; false makes a WordPress site without it (no wc/v3 routes). @defaultValue true */
  woocommerce?: boolean;
  /** Every REST answer takes this long (a slow shop). @defaultValue 0 */
  latencyMs?: number;
}

/** A request the simulator answers with an error instead of its normal answer. */
export interface SimFault {
  resource: 'customers' | 'subscriptions' | 'webhooks';
  /** Only this page of a collection (any page when left out). */
  page?: number;
  /** @defaultValue 500 */
  status?: number;
  /** How many matching requests fail. @defaultValue Infinity (until clearFaults) */
  times?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
}

export interface WooCommerceSimulator {
  /** The store's address; REST lives under `${baseUrl}/wp-json/wc/v3`. */
  baseUrl: string;
  consumerKey: string;
  consumerSecret: string;
  customers: Json[];
  subscriptions: Json[];
  webhooks: WebhookRegistry;
  requests: RecordedRequest[];
  injectFault(fault: SimFault): void;
  clearFaults(): void;
  setSubscriptionsPlugin(active: boolean): void;
  /** What the store's REST API key may do from now on (WooCommerce › Settings › Advanced › REST API). */
  setKeyPermissions(permissions: 'read' | 'write' | 'read_write'): void;
  /** Changes a customer (date_modified moves on) and delivers customer.updated to active webhooks. */
  updateCustomer(id: number, changes: Json): Promise<void>;
  close(): Promise<void>;
}

export async function startWooCommerceSimulator(options: WooCommerceSimulatorOptions = {}): Promise<WooCommerceSimulator> {
  const consumerKey = options.consumerKey ?? `ck_${'5'.repeat(8)}${Date.now().toString(16).padStart(32, '0')}`;
  const consumerSecret = options.consumerSecret ?? `cs_${'7'.repeat(8)}${Date.now().toString(16).padStart(32, '0')}`;
  let subscriptionsPlugin = options.subscriptionsPlugin ?? true;
  const faults: Array<Required<Omit<SimFault, 'page'>> & { page: number | undefined }> = [];
  const requests: RecordedRequest[] = [];
  let baseUrl = '';
  const state = { customers: [] as Json[], subscriptions: [] as Json[] };
  let webhooks!: WebhookRegistry;
  let authenticator!: RestKeyAuthenticator;
  const keyRules = { permissions: options.permissions ?? 'read_write' };

  const send = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=UTF-8', ...headers });
    res.end(phpJson(body));
    return status;
  };

  const takeFault = (resource: string, page: number) => {
    const fault = faults.find((f) => f.resource === resource && f.times > 0 && (f.page === undefined || f.page === page));
    if (!fault) return undefined;
    fault.times -= 1;
    return restError(fault.status, 'internal_server_error', 'There has been a critical error on this website.');
  };

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<number> {
    const query = url.searchParams;
    const path = url.pathname.replace(/\/+$/, '');
    const woocommerce = options.woocommerce ?? true;
    if (path === '/wp-json')
      return send(res, 200, { name: 'Simulated shop', url: baseUrl, namespaces: ['oembed/1.0', 'wp/v2', ...(woocommerce ? ['wc/v3'] : [])] });
    const match = /^\/wp-json\/wc\/v3\/(customers|subscriptions|webhooks)(?:\/(\d+))?$/.exec(path);
    if (!match || !woocommerce || (match[1] === 'subscriptions' && !subscriptionsPlugin)) {
      return send(res, 404, restError(404, 'rest_no_route', 'No route was found matching the URL and request method.').body);
    }
    if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
    const body = await readBody(req);
    const denied = authenticator.authorise(req, query, body.form);
    if (denied) return send(res, denied.status, denied.body);
    const resource = match[1] as SimFault['resource'];
    const id = match[2] === undefined ? undefined : Number(match[2]);
    const fault = takeFault(resource, Number(query.get('page') ?? 1));
    if (fault) return send(res, fault.status, fault.body);

    if (req.method === 'GET' && id === undefined) {
      const items =
        resource === 'customers'
          ? sortCustomers(filterByRole(state.customers, query.get('role') ?? 'customer'), query)
          : resource === 'subscriptions'
            ? sortSubscriptions(filterByStatus(state.subscriptions, query.get('status') ?? 'any'), query)
            : webhooks.list(query.get('status') ?? 'all').map((webhook) => webhooks.toRest(webhook));
      const page = paginate(items, query, `${baseUrl}/wp-json/wc/v3/${resource}`);
      if ('error' in page) return send(res, page.error.status, page.error.body);
      return send(res, 200, page.items, page.headers);
    }
    if (resource !== 'webhooks') {
      const item = (resource === 'customers' ? state.customers : state.subscriptions).find((entry) => entry.id === id);
      if (req.method === 'GET' && item) return send(res, 200, item);
      return send(res, 404, restError(404, `woocommerce_rest_invalid_id`, 'Invalid ID.').body);
    }
    return webhookRoute(req, res, id, body.json);
  }

  async function webhookRoute(req: IncomingMessage, res: ServerResponse, id: number | undefined, body: Json): Promise<number> {
    if (req.method === 'POST' && id === undefined) {
      const topic = typeof body.topic === 'string' ? body.topic : '';
      const deliveryUrl = typeof body.delivery_url === 'string' ? body.delivery_url : '';
      if (!topic || !deliveryUrl) return send(res, 400, restError(400, 'rest_missing_callback_param', 'Missing parameter(s): topic, delivery_url').body);
      if (!webhooks.isValidTopic(topic))
        return send(res, 400, restError(400, 'woocommerce_rest_webhook_invalid_topic', 'Webhook topic is required and must be valid.').body);
      const created = await webhooks.create({ topic, deliveryUrl, name: stringOr(body.name), secret: stringOr(body.secret) });
      return send(res, 201, webhooks.toRest(created), { location: `/wp-json/wc/v3/webhooks/${created.id}` });
    }
    const webhook = id === undefined ? undefined : webhooks.webhooks.get(id);
    if (!webhook) return send(res, 404, restError(404, 'woocommerce_rest_webhook_invalid_id', 'Invalid ID.').body);
    if (req.method === 'GET') return send(res, 200, webhooks.toRest(webhook));
    if (req.method === 'PUT' || req.method === 'PATCH' || req.method === 'POST') {
      const status = stringOr(body.status);
      if (status !== undefined && !['active', 'paused', 'disabled'].includes(status)) {
        return send(res, 400, restError(400, 'rest_invalid_param', 'Invalid parameter(s): status').body);
      }
      await webhooks.update(webhook, {
        ...(status ? { status: status as WebhookStatus } : {}),
        ...(stringOr(body.name) ? { name: stringOr(body.name)! } : {}),
        ...(stringOr(body.delivery_url) ? { deliveryUrl: stringOr(body.delivery_url)! } : {}),
        ...(stringOr(body.secret) ? { secret: stringOr(body.secret)! } : {}),
      });
      return send(res, 200, webhooks.toRest(webhook));
    }
    if (req.method === 'DELETE') {
      if (new URL(req.url ?? '/', 'http://x').searchParams.get('force') !== 'true') {
        return send(res, 501, restError(501, 'woocommerce_rest_trash_not_supported', 'Webhooks do not support trashing.').body);
      }
      webhooks.webhooks.delete(webhook.id);
      return send(res, 200, webhooks.toRest(webhook));
    }
    return send(res, 404, restError(404, 'rest_no_route', 'No route was found matching the URL and request method.').body);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    route(req, res, url)
      .then((status) => requests.push({ method: req.method ?? 'GET', path: url.pathname, query: Object.fromEntries(url.searchParams), status }))
      .catch((error: unknown) => {
        console.error('[woocommerce-simulator] request failed:', error);
        if (!res.headersSent) send(res, 500, restError(500, 'internal_server_error', String(error)).body);
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
  Object.assign(state, generateStoreData({ ...options, storeUrl: baseUrl }));
  webhooks = new WebhookRegistry(baseUrl, () => subscriptionsPlugin);
  authenticator = new RestKeyAuthenticator({
    consumerKey,
    consumerSecret,
    get permissions() {
      return keyRules.permissions;
    },
    isSsl: options.isSsl ?? false,
    dropsAuthorizationHeader: options.dropsAuthorizationHeader ?? false,
    host: new URL(baseUrl).host,
  });

  return {
    baseUrl,
    consumerKey,
    consumerSecret,
    get customers() {
      return state.customers;
    },
    get subscriptions() {
      return state.subscriptions;
    },
    webhooks,
    requests,
    injectFault: (fault) => faults.push({ status: 500, times: Number.POSITIVE_INFINITY, ...fault, page: fault.page }),
    clearFaults: () => {
      faults.length = 0;
    },
    setSubscriptionsPlugin(active) {
      subscriptionsPlugin = active;
    },
    setKeyPermissions(permissions) {
      keyRules.permissions = permissions;
    },
    async updateCustomer(id, changes) {
      const customer = state.customers.find((entry) => entry.id === id);
      if (!customer) throw new Error(`No customer ${id}`);
      const now = new Date().toISOString().slice(0, 19);
      Object.assign(customer, changes, { date_modified: now, date_modified_gmt: now });
      await webhooks.deliver('customer.updated', customer);
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type { SimWebhook };

function filterByRole(customers: Json[], role: string): Json[] {
  return role === 'all' ? customers : customers.filter((customer) => customer.role === role);
}

function filterByStatus(subscriptions: Json[], status: string): Json[] {
  return status === 'any' ? subscriptions : subscriptions.filter((subscription) => subscription.status === status);
}

function stringOr(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The body as JSON (what the REST routes read) and, when form-encoded, as the form fields PHP puts in $_POST (signed by OAuth). */
async function readBody(req: IncomingMessage): Promise<{ json: Json; form: Record<string, string> }> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  const isForm = String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded');
  const form = isForm ? Object.fromEntries(new URLSearchParams(text)) : {};
  if (!text) return { json: {}, form };
  try {
    const value: unknown = JSON.parse(text);
    return { json: typeof value === 'object' && value !== null ? (value as Json) : {}, form };
  } catch {
    return { json: Object.fromEntries(new URLSearchParams(text)), form };
  }
}
