// Sends requests the way WooCommerce does (docs/woocommerce-webhooks.md, "The delivery request"): HTTP/1.0 over a plain
// socket, the exact body bytes, the X-WC-* headers in WooCommerce's order, Connection: close.
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { signBody } from '../../src/woocommerce/signature.ts';
import { phpJsonEncode } from '../../src/woocommerce/php-json.ts';

export const TEST_SECRET = 'test-secret-123';
const FIXTURES = new URL('../fixtures/woocommerce/', import.meta.url);

export function fixtureBytes(name: string): Buffer {
  return readFileSync(new URL(name, FIXTURES));
}

export function fixtureJson<T = Record<string, unknown>>(name: string): T {
  return JSON.parse(fixtureBytes(name).toString('utf8')) as T;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

export interface DeliveryOptions {
  topic: string;
  body: Buffer | string;
  secret?: string;
  /** Overrides the computed signature; null leaves the header out. */
  signature?: string | null;
  webhookId?: number;
  deliveryId?: string;
  contentType?: string;
  extraHeaders?: Record<string, string>;
}

/** A signed delivery as WooCommerce's Hookshot sends it. */
export function deliveryRequest(options: DeliveryOptions): { headers: Array<[string, string]>; body: Buffer } {
  const body = Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, 'utf8');
  const [resource, event] = options.topic.split('.');
  const signature = options.signature === undefined ? signBody(body, options.secret ?? TEST_SECRET) : options.signature;
  const headers: Array<[string, string]> = [
    ['User-Agent', 'WooCommerce/10.3.0 Hookshot (WordPress/6.8.3)'],
    ['Accept', '*/*'],
    ['Accept-Encoding', 'deflate, gzip, br, zstd'],
    ['Connection', 'close'],
    ['Content-Type', options.contentType ?? 'application/json'],
    ['X-WC-Webhook-Source', 'https://shop.example.com/'],
    ['X-WC-Webhook-Topic', options.topic],
    ['X-WC-Webhook-Resource', resource ?? ''],
    ['X-WC-Webhook-Event', event ?? ''],
    ...(signature === null ? [] : ([['X-WC-Webhook-Signature', signature]] as Array<[string, string]>)),
    ['X-WC-Webhook-ID', String(options.webhookId ?? 7)],
    ['X-WC-Webhook-Delivery-ID', options.deliveryId ?? '6f1c2b9e8d7a4c3b2a19f0e8d7c6b5a4'],
    ...Object.entries(options.extraHeaders ?? {}),
  ];
  return { headers, body };
}

export function sendDelivery(url: string, options: DeliveryOptions): Promise<RawResponse> {
  const { headers, body } = deliveryRequest(options);
  return postRaw(url, headers, body);
}

/** WooCommerce's ping: form-encoded webhook_id=N, no X-WC-* headers, no signature (docs/woocommerce-webhooks.md, "The ping"). */
export function sendPing(url: string, webhookId = 7): Promise<RawResponse> {
  const body = Buffer.from(`webhook_id=${webhookId}`);
  return postRaw(
    url,
    [
      ['User-Agent', 'WooCommerce/10.3.0 Hookshot (WordPress/6.8.3)'],
      ['Accept', '*/*'],
      ['Accept-Encoding', 'deflate, gzip, br, zstd'],
      ['Connection', 'close'],
      ['Content-Type', 'application/x-www-form-urlencoded'],
    ],
    body,
  );
}

/** An HTTP/1.0 POST written byte for byte on a socket, as WordPress's cURL transport does. */
export function postRaw(url: string, headers: Array<[string, string]>, body: Buffer): Promise<RawResponse> {
  const target = new URL(url);
  const head = [
    `POST ${target.pathname}${target.search} HTTP/1.0`,
    `Host: ${target.host}`,
    ...headers.map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${body.length}`,
    '',
    '',
  ].join('\r\n');
  return new Promise((resolve, reject) => {
    const socket = connect(Number(target.port), target.hostname);
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('end', () => resolve(parseResponse(Buffer.concat(chunks))));
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  });
}

function parseResponse(raw: Buffer): RawResponse {
  const text = raw.toString('utf8');
  const split = text.indexOf('\r\n\r\n');
  const [statusLine = '', ...headerLines] = text.slice(0, split).split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of headerLines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
  }
  const body = text.slice(split + 4);
  return { status: Number(statusLine.split(' ')[1]), headers, body, json: () => JSON.parse(body) };
}

/** A customer payload derived from the documented fixture, encoded as PHP would. */
export function customerBody(overrides: Record<string, unknown> = {}): string {
  return phpJsonEncode({ ...fixtureJson<Record<string, unknown>>('customer-created-42.json'), ...overrides });
}

export function subscriptionBody(overrides: Record<string, unknown> = {}): string {
  return phpJsonEncode({ ...fixtureJson<Record<string, unknown>>('subscription-updated-1351-cancelled.json'), ...overrides });
}

/**
 * The same subscription in the v1 shape old stores still deliver (docs/woocommerce-webhooks.md, "Payload shapes"): no *_gmt
 * keys (v1 dates are already GMT), no _links, no meta_data, WCS dates named start_date etc.
 */
export function subscriptionV1Body(overrides: Record<string, unknown> = {}): string {
  const v3 = fixtureJson<Record<string, unknown>>('subscription-updated-1351-cancelled.json');
  const v1: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(v3)) {
    if (key === '_links' || key === 'meta_data') continue;
    // v1 carries the GMT value under the plain name; the v3 local-time twin is dropped.
    if (key.endsWith('_gmt')) v1[key.slice(0, -'_gmt'.length)] = value;
    else if (!(`${key}_gmt` in v3)) v1[key] = value;
  }
  return phpJsonEncode({ ...v1, ...overrides });
}
