// Zoho Accounts (OAuth 2.0) behaviour, independent of HTTP: the consent redirect, the token
// endpoint's two grants, revocation. Error names and their precedence follow docs/zoho-api.md, "Tokens"
import type { DataCentre } from './datacenters.ts';
import { apiDomainOf, locationOf } from './datacenters.ts';
import { TokenLedger, newZohoToken, type TokenLimits } from './token-ledger.ts';
import type { SimClient } from './types.ts';

export interface AccountsSettings extends TokenLimits {
  clients: SimClient[];
  userDc: DataCentre;
  grantCodeTtlMs: number;
  grantCodeThrottle: { limit: number; windowMs: number };
  consent: 'allow' | 'deny';
  accountsUrlOf: (dc: DataCentre) => string;
  now: () => number;
}

interface GrantCode {
  clientId: string;
  dc: DataCentre;
  scopes: string[];
  selfClient: boolean;
  redirectUri?: string;
  yieldsRefreshToken: boolean;
  expiresAt: number;
  used: boolean;
}

/** A token-endpoint answer; `throttled` marks the "Access Denied" body whose HTTP status is configurable. */
export interface TokenAnswer {
  body: Record<string, unknown>;
  throttled?: boolean;
}
export type AuthorizeAnswer = { redirectTo: string } | { errorPage: string };

const CAMPAIGNS_SCOPE = /^ZohoCampaigns\.(contact|campaign)\.(READ|CREATE|UPDATE|DELETE|CREATE-UPDATE|WRITE|ALL)$/i;
const OTHER_SERVICE_SCOPE = /^(?!ZohoCampaigns\.)[A-Za-z]+\.[A-Za-z]+\.[A-Za-z-]+$/;

/** Scopes arrive comma-separated; undefined when empty or malformed (→ invalid_scope). */
export function parseScopes(raw: string | undefined): string[] | undefined {
  const scopes = (raw ?? '').split(/[,\s]+/).filter(Boolean);
  const valid = scopes.every((s) => CAMPAIGNS_SCOPE.test(s) || OTHER_SERVICE_SCOPE.test(s));
  return scopes.length > 0 && valid ? scopes : undefined;
}

const THROTTLED_BODY = {
  error_description: 'You have made too many requests continuously. Please try again after some time.',
  error: 'Access Denied',
  status: 'failure',
};

export class ZohoAccounts {
  readonly ledger: TokenLedger;
  codeExchanges = 0;
  tokenRefreshes: Record<string, number> = {};
  throttledRefreshes: Record<string, number> = {};
  consent: 'allow' | 'deny';
  private readonly clients: Map<string, SimClient>;
  private readonly codes = new Map<string, GrantCode>();
  /** Client+DC pairs whose user already granted offline access: later consents yield no refresh token. */
  private readonly offlineConsents = new Set<string>();
  private readonly codesIssuedAt = new Map<string, number[]>();

  constructor(private readonly settings: AccountsSettings) {
    this.ledger = new TokenLedger(settings, settings.now);
    this.clients = new Map(settings.clients.map((c) => [c.clientId, c]));
    this.consent = settings.consent;
  }

  /** GET /oauth/v2/auth with no UI: the user consents (or denies) at once, in `userDc`. */
  authorize(params: Record<string, string>): AuthorizeAnswer {
    const client = this.clients.get(params.client_id ?? '');
    // Like Zoho, problems with the client or redirect URI show an error page instead of redirecting.
    if (params.response_type !== 'code') return { errorPage: 'unsupported_response_type' };
    if (!client) return { errorPage: 'invalid_client' };
    const redirectUri = params.redirect_uri ?? '';
    if (!redirectUriRegistered(client, redirectUri)) return { errorPage: 'invalid_redirect_uri' };
    const scopes = parseScopes(params.scope);
    if (!scopes) return { errorPage: 'invalid_scope' };

    const state: Record<string, string> = params.state === undefined ? {} : { state: params.state };
    // Denial and the grant-code limit both come back as error=access_denied. Zoho only says "the
    // server will return an error" [U]; standard OAuth names it access_denied.
    if (this.consent === 'deny' || !this.grantCodeAllowed(client.clientId)) {
      return { redirectTo: withQuery(redirectUri, { ...state, error: 'access_denied' }) };
    }
    const dc = this.settings.userDc;
    const offline = params.access_type === 'offline';
    const consentKey = `${client.clientId}|${dc}`;
    // A refresh token comes only with the first offline consent, unless prompt=consent (docs/zoho-api.md, "Authorization").
    const yieldsRefreshToken = offline && (params.prompt === 'consent' || !this.offlineConsents.has(consentKey));
    if (offline) this.offlineConsents.add(consentKey);
    const code = this.storeCode({
      clientId: client.clientId,
      dc,
      scopes,
      selfClient: false,
      redirectUri,
      yieldsRefreshToken,
      expiresAt: this.settings.now() + this.settings.grantCodeTtlMs,
      used: false,
    });
    const accountsServer = this.settings.accountsUrlOf(dc);
    return { redirectTo: withQuery(redirectUri, { ...state, code, location: locationOf(dc), 'accounts-server': accountsServer }) };
  }

  /** A Self Client code from the API console: no redirect_uri, always a refresh token. */
  issueSelfClientCode(clientId: string, dc: DataCentre, scopes: string[], ttlMs: number): string {
    return this.storeCode({
      clientId,
      dc,
      scopes,
      selfClient: true,
      yieldsRefreshToken: true,
      expiresAt: this.settings.now() + ttlMs,
      used: false,
    });
  }

  /** A server-based code, as the browser flow would have issued it, without the flow. */
  issueServerCode(clientId: string, dc: DataCentre, scopes: string[], redirectUri: string, ttlMs: number): string {
    return this.storeCode({
      clientId,
      dc,
      scopes,
      selfClient: false,
      redirectUri,
      yieldsRefreshToken: true,
      expiresAt: this.settings.now() + ttlMs,
      used: false,
    });
  }

  /** POST /oauth/v2/token at the accounts server of `dc`. */
  grantToken(params: Record<string, string>, dc: DataCentre): TokenAnswer {
    const grantType = params.grant_type;
    if (grantType !== 'authorization_code' && grantType !== 'refresh_token') {
      return fail('unsupported_grant_type'); // [U] the usual OAuth name; Zoho documents none
    }
    const clientError = this.checkClient(params.client_id, params.client_secret, dc);
    if (clientError) return fail(clientError);
    return grantType === 'authorization_code' ? this.exchangeCode(params, dc) : this.refresh(params, dc);
  }

  /** POST /oauth/v2/token/revoke at `dc`; false for an unknown token (HTTP 400). */
  revoke(token: string, dc: DataCentre): boolean {
    const refresh = this.ledger.findRefreshToken(token);
    if (refresh && refresh.dc !== dc) return false;
    return this.ledger.revoke(token);
  }

  createRefreshToken(clientId: string, dc: DataCentre, scopes: string[]): string {
    return this.ledger.createRefreshToken(clientId, dc, scopes).token;
  }

  reset(): void {
    this.ledger.clear();
    this.codes.clear();
    this.offlineConsents.clear();
    this.codesIssuedAt.clear();
    this.codeExchanges = 0;
    this.tokenRefreshes = {};
    this.throttledRefreshes = {};
    this.consent = this.settings.consent;
  }

  private exchangeCode(params: Record<string, string>, dc: DataCentre): TokenAnswer {
    const code = this.codes.get(params.code ?? '');
    if (!code) return fail('invalid_code');
    // The code lives in the user's DC; another DC's accounts server rejects the client (gotcha 2).
    if (code.dc !== dc) return fail('invalid_client');
    if (code.clientId !== params.client_id || code.used || code.expiresAt <= this.settings.now()) return fail('invalid_code');
    // [U] name from common OAuth usage; a mismatch does not burn the code.
    if (!code.selfClient && params.redirect_uri !== code.redirectUri) return fail('invalid_redirect_uri');
    code.used = true;
    this.codeExchanges += 1;
    const refresh = code.yieldsRefreshToken ? this.ledger.createRefreshToken(code.clientId, dc, code.scopes) : undefined;
    const access = this.ledger.mintAccessToken(code.clientId, dc, code.scopes, refresh);
    return { body: this.tokenBody(access.token, dc, code.scopes, refresh?.token) };
  }

  private refresh(params: Record<string, string>, dc: DataCentre): TokenAnswer {
    const record = this.ledger.findRefreshToken(params.refresh_token ?? '');
    if (!record) return fail('invalid_code');
    if (record.dc !== dc) return fail('invalid_client');
    if (record.revoked || record.clientId !== params.client_id) return fail('invalid_code');
    if (!this.ledger.mayRefresh(record)) {
      this.throttledRefreshes[record.token] = (this.throttledRefreshes[record.token] ?? 0) + 1;
      return { body: { ...THROTTLED_BODY }, throttled: true };
    }
    this.ledger.recordRefresh(record);
    this.tokenRefreshes[record.token] = (this.tokenRefreshes[record.token] ?? 0) + 1;
    const access = this.ledger.mintAccessToken(record.clientId, dc, record.scopes, record);
    return { body: this.tokenBody(access.token, dc, record.scopes) };
  }

  private checkClient(clientId: string | undefined, secret: string | undefined, dc: DataCentre): string | undefined {
    const client = this.clients.get(clientId ?? '');
    if (!client || !(client.dcs ?? [dc]).includes(dc)) return 'invalid_client';
    const expected = client.secretsByDc?.[dc] ?? client.clientSecret;
    return secret === expected ? undefined : 'invalid_client_secret';
  }

  private grantCodeAllowed(clientId: string): boolean {
    const { limit, windowMs } = this.settings.grantCodeThrottle;
    const now = this.settings.now();
    const recent = (this.codesIssuedAt.get(clientId) ?? []).filter((at) => at > now - windowMs);
    const allowed = recent.length < limit;
    if (allowed) recent.push(now);
    this.codesIssuedAt.set(clientId, recent);
    return allowed;
  }

  private storeCode(code: GrantCode): string {
    const value = newZohoToken();
    this.codes.set(value, code);
    return value;
  }

  private tokenBody(accessToken: string, dc: DataCentre, scopes: string[], refreshToken?: string): Record<string, unknown> {
    return {
      access_token: accessToken,
      ...(refreshToken ? { refresh_token: refreshToken } : {}),
      ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
      api_domain: apiDomainOf(dc),
      token_type: 'Bearer',
      expires_in: Math.round(this.settings.accessTokenTtlMs / 1000),
    };
  }
}

/**
 * Zoho wants an exact match with a registered URI. A client registered without any (the default
 * client) accepts any loopback http URI instead: a simulator convenience for demos, not Zoho.
 */
function redirectUriRegistered(client: SimClient, uri: string): boolean {
  if (client.redirectUris) return client.redirectUris.includes(uri);
  return /^http:\/\/(127\.0\.0\.1|localhost)(:\d+)?\//.test(uri);
}

function fail(error: string): TokenAnswer {
  return { body: { error } };
}

function withQuery(url: string, params: Record<string, string>): string {
  return `${url}${url.includes('?') ? '&' : '?'}${new URLSearchParams(params).toString()}`;
}
