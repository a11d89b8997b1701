// Public types of the Zoho simulator. Everything a test, a benchmark or the demo needs to
// configure the simulator or inspect what the bridge sent it lives here.
import type { IncomingHttpHeaders } from 'node:http';

/** Endpoints served by a DC's accounts server. */
export type AccountsEndpoint = 'auth' | 'token' | 'revoke' | 'serverinfo';
/** Campaigns API v1.1 endpoints that the bridge uses; each has its own rate limit (docs/zoho-api.md, "Rate limits"). */
export type CampaignsEndpoint = 'getmailinglists' | 'listsubscribe' | 'listunsubscribe' | 'allfields' | 'getlistsubscribers' | 'addlistsubscribersinbulk';
/** Every request is classified as one of these; `unknown` is a wrong URL, `index` the HTML page at `/`. */
export type Endpoint = AccountsEndpoint | CampaignsEndpoint | 'unknown' | 'index';

export type ContactStatus = 'active' | 'pending' | 'unsubscribed';

export interface SimClient {
  clientId: string;
  clientSecret: string;
  /** Per-DC secrets, as a multi-DC client may have (docs/zoho-api.md, "Authorization"); falls back to `clientSecret`. */
  secretsByDc?: Record<string, string>;
  /** Exact redirect URIs. @defaultValue none registered: any `http://127.0.0.1…`/`http://localhost…` URI is accepted (simulator convenience) */
  redirectUris?: string[];
  /** DCs where the client exists (multi-DC support). @defaultValue every DC */
  dcs?: string[];
}

export interface SimListSpec {
  listkey: string;
  listname: string;
  /** Signup form enabled: new contacts stay `pending` until they confirm. @defaultValue false */
  doubleOptIn?: boolean;
}

export interface RateLimitRule {
  windows: Array<{ limit: number; windowMs: number }>;
  /** How long the endpoint stays locked once any window is exceeded. */
  lockMs: number;
}

/** A canned HTTP answer, for the undocumented responses a test may want to vary. */
export interface CannedResponse {
  status: number;
  body: unknown;
}

export interface ZohoSimulatorOptions {
  /** @defaultValue 0 (a random free port) */
  port?: number;
  /** @defaultValue '127.0.0.1' */
  host?: string;
  /** @defaultValue one client, id `1000.SIMCLIENT`, secret `sim-secret`, every DC */
  clients?: SimClient[];
  /** DC of the Zoho user who consents in the browser flow. @defaultValue 'com' */
  userDc?: string;
  /** @defaultValue {@link DEFAULT_LISTS} */
  lists?: SimListSpec[];
  /** Custom contact fields beyond the standard ones. */
  extraFields?: Array<{ displayName: string; fieldName?: string }>;
  /** @defaultValue 3600 */
  accessTokenTtlSeconds?: number;
  /** Lifetime of a browser-flow grant code (Zoho pages say 60 s to 3 min). @defaultValue 120 */
  grantCodeTtlSeconds?: number;
  /** Access tokens mintable per refresh token per rolling window. @defaultValue 10 per 10 min */
  refreshThrottle?: { limit: number; windowMs: number };
  /** Live access tokens per refresh token; minting one more invalidates the oldest. @defaultValue 10 */
  maxActiveAccessTokens?: number;
  /** Refresh tokens per user and client; the next one deletes the oldest. @defaultValue 20 */
  maxRefreshTokensPerUser?: number;
  /** Browser-flow grant codes per client per rolling window. @defaultValue 10 per 10 min */
  grantCodeThrottle?: { limit: number; windowMs: number };
  /** Per-endpoint overrides of the Campaigns rate limits. @defaultValue docs/zoho-api.md, "Rate limits" */
  limits?: Partial<Record<CampaignsEndpoint, RateLimitRule>>;
  /** HTTP status of the "Access Denied" refresh-throttle body (200 per Zoho staff, 400 seen in the wild). @defaultValue 200 */
  throttleStatus?: 200 | 400;
  /**
   * How Campaigns answers a missing, invalid, expired or revoked access token. Zoho never
   * documented it [U]; `code-1007` (HTTP 200, code "1007" "Unauthorized key.") follows the
   * Campaigns error table and the "errors inside HTTP 200" habit. `http-401` answers the same body
   * with status 401. @defaultValue 'code-1007'
   */
  invalidTokenResponse?: 'code-1007' | 'http-401' | CannedResponse;
  /**
   * What a locked-out endpoint answers. Undocumented [U]: default borrows Marketing Automation's
   * HTTP 200 `{"status":"error","code":"2008","message":"Calls limit exceeded"}`.
   */
  lockoutResponse?: CannedResponse;
  /** Type of the success `code`: Zoho sends both 0 and "0". @defaultValue 'alternate' */
  successCode?: 'alternate' | 'number' | 'string';
  /** What the user clicks in the (skipped) consent screen. @defaultValue 'allow' */
  consent?: 'allow' | 'deny';
  /** Keep every request in `calls`. Benchmarks doing 100k+ calls may turn it off. @defaultValue true */
  recordCalls?: boolean;
  /** Clock for expiry and rate windows; must not go backwards. @defaultValue Date.now */
  now?: () => number;
}

export type FaultKind = 'timeout' | 'reset' | 'http500' | 'http503' | 'html' | 'malformed-json' | 'code';

export interface FaultSpec {
  /** Endpoint the fault applies to; `*` matches any request. */
  endpoint: Endpoint | '*';
  /** Only requests to this DC. @defaultValue any DC */
  dc?: string;
  kind: FaultKind;
  /**
   * For `code`: the error code, sent with its type (number or string). Campaigns answers
   * `{"status":"error","code","message"}`; the accounts server answers `{"error":code}`.
   * @defaultValue "2101" ("Please retry after sometime.") or, on accounts, "invalid_code"
   */
  code?: string | number;
  message?: string;
  /** How many matching requests consume this fault. @defaultValue 1 */
  times?: number;
  /**
   * Wait before answering. For `timeout`: process and answer normally after this delay, even if
   * the client gave up meanwhile (a write whose response was lost); without it, never answer and
   * never process.
   */
  delayMs?: number;
}

export interface RecordedCall {
  endpoint: Endpoint;
  /** DC prefix of the URL; undefined for `/` and unknown prefixes. */
  dc: string | undefined;
  method: string;
  /** URL path without query string, e.g. `/dc/eu/campaigns/api/v1.1/json/listsubscribe`. */
  path: string;
  query: Record<string, string>;
  /** Query string and body parameters merged (body wins), decoded as UTF-8. */
  params: Record<string, string>;
  rawBody: Buffer;
  headers: IncomingHttpHeaders;
  at: number;
  /** Set when an injected fault handled the request. */
  fault?: FaultKind;
  /** Missing while a request is held open, or when its socket was reset. */
  response?: { status: number; body: string };
}

export interface SimContact {
  status: ContactStatus;
  /** Values keyed by field display name, exactly as received in `contactinfo`. */
  fields: Record<string, string>;
  source?: string;
}

export interface SimulatorStats {
  /** Successful refresh grants per refresh token. */
  tokenRefreshes: Record<string, number>;
  /** Refresh grants refused with "Access Denied", per refresh token. */
  throttledRefreshes: Record<string, number>;
  /** Successful authorization_code exchanges. */
  codeExchanges: number;
  /** Calls refused because an endpoint was over its limit or locked. */
  rateLimitViolations: Partial<Record<CampaignsEndpoint, number>>;
  /** Times an endpoint entered a lock period. */
  lockouts: Partial<Record<CampaignsEndpoint, number>>;
  /** Calls each endpoint admitted (within its limits), counted even when calls are not recorded. */
  admitted: Partial<Record<CampaignsEndpoint, number>>;
}

export interface GrantCodeRequest {
  clientId?: string;
  /** DC whose accounts server issued the code. @defaultValue the simulator's `userDc` */
  dc?: string;
  /** A Self Client code needs no redirect_uri and always yields a refresh token. @defaultValue true */
  selfClient?: boolean;
  /** For a server-based code: the redirect_uri the exchange must repeat. @defaultValue the client's first, else `http://127.0.0.1/oauth/callback` */
  redirectUri?: string;
  /** Comma-separated, as typed in the API console. @defaultValue 'ZohoCampaigns.contact.ALL' */
  scope?: string;
  /** Self Client codes last 3, 5, 7 or 10 min. @defaultValue 180 (self client) or grantCodeTtlSeconds */
  ttlSeconds?: number;
}

export interface ZohoSimulator {
  /** e.g. `http://127.0.0.1:41234` */
  readonly baseUrl: string;
  readonly port: number;
  accountsUrl(dc?: string): string;
  campaignsUrl(dc?: string): string;
  close(): Promise<void>;
  issueGrantCode(request?: GrantCodeRequest): string;
  /** Bootstrap a refresh token as a Self Client exchange would (dc defaults to `userDc`). */
  createRefreshToken(request?: { clientId?: string; dc?: string; scope?: string }): string;
  /** As if the user removed the app's access at Zoho: the refresh token and its access tokens die. */
  revokeRefreshToken(token: string): boolean;
  expireAccessTokens(): void;
  setConsent(consent: 'allow' | 'deny'): void;
  injectFault(fault: FaultSpec): void;
  /** Every request, oldest first (live array). */
  readonly calls: readonly RecordedCall[];
  callsTo(endpoint: Endpoint): RecordedCall[];
  /** Snapshot of a list's contacts keyed by lower-cased email; throws on an unknown listkey. */
  contacts(listkey: string): Map<string, SimContact>;
  /** e.g. the contact confirmed a double opt-in email, or unsubscribed through an email link. */
  setContactStatus(listkey: string, email: string, status: ContactStatus): void;
  readonly stats: SimulatorStats;
  /** Forget tokens, codes, contacts, calls, faults, limits and stats; clients and lists stay. */
  reset(): void;
}
