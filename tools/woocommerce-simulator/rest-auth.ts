// How WooCommerce authenticates a REST API key (docs/woocommerce-webhooks.md, "The REST API: keys"),
// written from WC_REST_Authentication, independently of the client's OAuth library so tests of the
// client mean something:
//   - over https (WordPress's is_ssl()): HTTP Basic auth, or consumer_key/consumer_secret in the
//     query string; OAuth 1.0a is tried after those;
//   - over plain http: OAuth 1.0a one-legged signatures only. Basic auth and query keys are not
//     even looked at, so the request is simply anonymous and the controller refuses it.
// The signature base string is METHOD&rawurlencode(home URL with is_ssl()'s scheme + path)&the
// sorted, encoded parameters (query string, form body, OAuth header), without oauth_signature; the
// key is the consumer secret followed by "&". Timestamps older than 15 minutes and reused nonces
// are refused.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { restError } from './collections.ts';
import type { Json } from './store-data.ts';

export interface KeyRules {
  consumerKey: string;
  consumerSecret: string;
  permissions: 'read' | 'write' | 'read_write';
  /** What WordPress's is_ssl() says: https as WordPress sees it (a proxy may hide it). */
  isSsl: boolean;
  /** The web server drops the Authorization header before WordPress sees it (Apache + CGI). */
  dropsAuthorizationHeader: boolean;
  /** The store's home URL without a scheme, e.g. "127.0.0.1:8123". */
  host: string;
}

export type AuthResult = { status: number; body: Json } | undefined;

const WRITE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
const REQUIRED_OAUTH = ['oauth_consumer_key', 'oauth_timestamp', 'oauth_nonce', 'oauth_signature', 'oauth_signature_method'];
const TIMESTAMP_WINDOW_S = 15 * 60;

/** PHP rawurlencode / wc_rest_urlencode_rfc3986: RFC 3986 unreserved characters stay. */
export function rfc3986(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`);
}

export class RestKeyAuthenticator {
  readonly #nonces = new Set<string>();

  constructor(private readonly rules: KeyRules) {}

  /** undefined when the request may go on; else WooCommerce's error answer. */
  authorise(req: IncomingMessage, query: URLSearchParams, form: Record<string, string>): AuthResult {
    const method = req.method ?? 'GET';
    const header = this.rules.dropsAuthorizationHeader ? undefined : req.headers.authorization;
    let authenticated: AuthResult | 'ok' | undefined;
    if (this.rules.isSsl) authenticated = this.#basic(header, query);
    if (authenticated === undefined) authenticated = this.#oauth(req, method, header, query, form);
    if (authenticated === undefined) {
      // Nobody is signed in: the controller's permission check answers.
      return method === 'GET'
        ? restError(401, 'woocommerce_rest_cannot_view', 'Sorry, you cannot list resources.')
        : restError(401, 'woocommerce_rest_cannot_create', 'Sorry, you are not allowed to create resources.');
    }
    if (authenticated !== 'ok') return authenticated;
    if (WRITE_METHODS.has(method) && this.rules.permissions === 'read') {
      return restError(401, 'woocommerce_rest_authentication_error', 'The API key provided does not have write permissions.');
    }
    if (method === 'GET' && this.rules.permissions === 'write') {
      return restError(401, 'woocommerce_rest_authentication_error', 'The API key provided does not have read permissions.');
    }
    return undefined;
  }

  #basic(header: string | undefined, query: URLSearchParams): AuthResult | 'ok' | undefined {
    let key: string | undefined;
    let secret: string | undefined;
    if (header?.startsWith('Basic ')) {
      const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      [key, secret] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
    } else if (query.get('consumer_key') && query.get('consumer_secret')) {
      [key, secret] = [query.get('consumer_key')!, query.get('consumer_secret')!];
    }
    if (!key) return undefined;
    if (key !== this.rules.consumerKey) return restError(401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.');
    if (secret !== this.rules.consumerSecret) return restError(401, 'woocommerce_rest_authentication_error', 'Consumer secret is invalid.');
    return 'ok';
  }

  #oauth(
    req: IncomingMessage,
    method: string,
    header: string | undefined,
    query: URLSearchParams,
    form: Record<string, string>,
  ): AuthResult | 'ok' | undefined {
    const params: Record<string, string> = { ...Object.fromEntries(query), ...form, ...oauthHeaderParams(header) };
    const missing = REQUIRED_OAUTH.filter((name) => !params[name]);
    if (missing.length === REQUIRED_OAUTH.length) return undefined;
    if (missing.length > 0) {
      return restError(
        401,
        'woocommerce_rest_authentication_missing_parameter',
        `Missing OAuth parameter${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      );
    }
    if (params.oauth_consumer_key !== this.rules.consumerKey) return restError(401, 'woocommerce_rest_authentication_error', 'Consumer key is invalid.');
    const signatureMethod = params.oauth_signature_method;
    if (signatureMethod !== 'HMAC-SHA1' && signatureMethod !== 'HMAC-SHA256') {
      return restError(401, 'woocommerce_rest_authentication_error', 'Invalid signature - signature method is invalid.');
    }
    const provided = decodeURIComponent(params.oauth_signature!.replace(/ /g, '+'));
    const { oauth_signature: _signature, ...signed } = params;
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const baseUri = rfc3986(`${this.rules.isSsl ? 'https' : 'http'}://${this.rules.host}${path}`);
    const pairs = Object.keys(signed)
      .sort()
      .map((key) => rfc3986(`${rfc3986(key)}=${rfc3986(signed[key]!)}`));
    const stringToSign = `${method}&${baseUri}&${pairs.join('%26')}`;
    const algorithm = signatureMethod === 'HMAC-SHA1' ? 'sha1' : 'sha256';
    const expected = createHmac(algorithm, `${this.rules.consumerSecret}&`).update(stringToSign).digest('base64');
    if (expected.length !== provided.length || !timingSafeEqual(Buffer.from(expected), Buffer.from(provided))) {
      return restError(401, 'woocommerce_rest_authentication_error', 'Invalid signature - provided signature does not match.');
    }
    const timestamp = Number(params.oauth_timestamp);
    if (!Number.isInteger(timestamp) || timestamp < Date.now() / 1000 - TIMESTAMP_WINDOW_S) {
      return restError(401, 'woocommerce_rest_authentication_error', 'Invalid timestamp.');
    }
    const nonce = `${timestamp}:${params.oauth_nonce}`;
    if (this.#nonces.has(nonce)) return restError(401, 'woocommerce_rest_authentication_error', 'Invalid nonce - nonce has already been used.');
    this.#nonces.add(nonce);
    return 'ok';
  }
}

/** The parameters of an `Authorization: OAuth k="v", …` header (WC_REST_Authentication::parse_header). */
function oauthHeaderParams(header: string | undefined): Record<string, string> {
  if (!header || !/^OAuth /i.test(header.trim())) return {};
  const params: Record<string, string> = {};
  for (const part of header.trim().slice(6).split(',')) {
    const match = /^\s*([^=\s]+)="?([^"]*)"?\s*$/.exec(part);
    if (match) params[decodeURIComponent(match[1]!)] = decodeURIComponent(match[2]!);
  }
  return params;
}
