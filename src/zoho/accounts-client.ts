// Zoho Accounts (OAuth 2.0): exchanging grant codes, refreshing and revoking tokens (docs/zoho-api.md, "Authorization").
// Every answer is read from the body: Zoho reports errors inside HTTP 200 (and throttling
// sometimes as HTTP 400), so the status code alone decides nothing.
import type { Got } from 'got';
import { parseJsonObject, postForm } from './http.ts';

export interface ClientCredentials {
  clientId: string;
  clientSecret: string;
}

export interface GrantedTokens {
  accessToken: string;
  refreshToken: string | undefined;
  expiresInSeconds: number;
  scope: string | undefined;
}

export type TokenFailureKind =
  /** The code or refresh token is invalid, used, expired or revoked. */
  | 'invalid_code'
  /** Wrong client id, or the right one at another data centre's accounts server. */
  | 'invalid_client'
  | 'invalid_client_secret'
  | 'invalid_redirect_uri'
  /** Too many token requests: Zoho's throttle ("Access Denied"). */
  | 'throttled'
  /** Zoho could not be reached or answered something we cannot read. */
  | 'unreachable'
  | 'other';

export type TokenResult = { ok: true; tokens: GrantedTokens } | { ok: false; kind: TokenFailureKind; message: string };

export class ZohoAccountsClient {
  constructor(private readonly http: Got) {}

  exchangeCode(accountsServer: string, credentials: ClientCredentials, code: string, redirectUri: string | undefined): Promise<TokenResult> {
    return this.requestToken(accountsServer, {
      grant_type: 'authorization_code',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      code,
      // A Self Client code is exchanged without redirect_uri (docs/zoho-api.md, "Self Client").
      ...(redirectUri ? { redirect_uri: redirectUri } : {}),
    });
  }

  refresh(accountsServer: string, credentials: ClientCredentials, refreshToken: string): Promise<TokenResult> {
    return this.requestToken(accountsServer, {
      grant_type: 'refresh_token',
      client_id: credentials.clientId,
      client_secret: credentials.clientSecret,
      refresh_token: refreshToken,
    });
  }

  /** Revokes a refresh token and every access token minted from it (docs/zoho-api.md, "Tokens"). */
  async revoke(accountsServer: string, refreshToken: string): Promise<{ ok: boolean; message: string }> {
    const url = `${accountsServer}/oauth/v2/token/revoke?${new URLSearchParams({ token: refreshToken })}`;
    const response = await postForm(this.http, url, {});
    if (response.networkError) return { ok: false, message: response.networkError };
    const ok = response.httpStatus === 200;
    return { ok, message: ok ? 'Revoked at Zoho.' : `Zoho answered HTTP ${response.httpStatus} to the revocation.` };
  }

  private async requestToken(accountsServer: string, form: Record<string, string>): Promise<TokenResult> {
    const response = await postForm(this.http, `${accountsServer}/oauth/v2/token`, form);
    if (response.networkError) return { ok: false, kind: 'unreachable', message: response.networkError };
    const body = parseJsonObject(response.body);
    if (!body) {
      return { ok: false, kind: 'unreachable', message: `Zoho Accounts answered HTTP ${response.httpStatus} with a body that is not JSON.` };
    }
    if (typeof body.access_token === 'string' && body.error === undefined) {
      return { ok: true, tokens: grantedTokens(body) };
    }
    return failure(body, response.httpStatus);
  }
}

function grantedTokens(body: Record<string, unknown>): GrantedTokens {
  // Old Zoho answers carry expires_in in milliseconds next to expires_in_sec (docs/zoho-api.md, "Tokens").
  const seconds =
    typeof body.expires_in_sec === 'number'
      ? body.expires_in_sec
      : typeof body.expires_in === 'number'
        ? body.expires_in > 86_400
          ? Math.round(body.expires_in / 1000)
          : body.expires_in
        : 3600;
  return {
    accessToken: String(body.access_token),
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    expiresInSeconds: seconds,
    scope: typeof body.scope === 'string' ? body.scope : undefined,
  };
}

function failure(body: Record<string, unknown>, httpStatus: number | undefined): TokenResult {
  const error = typeof body.error === 'string' ? body.error : '';
  const description = typeof body.error_description === 'string' ? body.error_description : '';
  const kinds: Record<string, TokenFailureKind> = {
    invalid_code: 'invalid_code',
    invalid_client: 'invalid_client',
    invalid_client_secret: 'invalid_client_secret',
    invalid_redirect_uri: 'invalid_redirect_uri',
    'Access Denied': 'throttled',
  };
  const kind = kinds[error] ?? 'other';
  const message = description || error || `Zoho Accounts answered HTTP ${httpStatus} without a token.`;
  return { ok: false, kind, message: error && description ? `${error}: ${description}` : message };
}
