// Refresh and access tokens as Zoho Accounts keeps them: who owns them, which DC minted them,
// and the limits docs/zoho-api.md, "Token limits" lists (10 mints per refresh token per 10 min, capped live access
// tokens, 20 refresh tokens per user and client).
import { randomBytes } from 'node:crypto';
import type { DataCentre } from './datacenters.ts';

export interface TokenLimits {
  accessTokenTtlMs: number;
  refreshThrottle: { limit: number; windowMs: number };
  maxActiveAccessTokens: number;
  maxRefreshTokensPerUser: number;
}

export interface RefreshTokenRecord {
  token: string;
  clientId: string;
  dc: DataCentre;
  scopes: string[];
  revoked: boolean;
  /** When each refresh grant minted an access token; the throttle window looks at these. */
  refreshedAt: number[];
  accessTokens: string[];
}

export interface AccessTokenRecord {
  token: string;
  clientId: string;
  dc: DataCentre;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
  refreshToken?: string;
}

/** Zoho tokens and codes look like `1000.<32 hex>.<32 hex>`. */
export function newZohoToken(): string {
  return `1000.${randomBytes(16).toString('hex')}.${randomBytes(16).toString('hex')}`;
}

export class TokenLedger {
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly accessTokens = new Map<string, AccessTokenRecord>();
  /** Refresh tokens per (client, DC) in creation order: one simulated Zoho user per DC. */
  private readonly refreshTokensByUser = new Map<string, string[]>();

  constructor(
    private readonly limits: TokenLimits,
    private readonly now: () => number,
  ) {}

  createRefreshToken(clientId: string, dc: DataCentre, scopes: string[]): RefreshTokenRecord {
    const record: RefreshTokenRecord = {
      token: newZohoToken(),
      clientId,
      dc,
      scopes,
      revoked: false,
      refreshedAt: [],
      accessTokens: [],
    };
    this.refreshTokens.set(record.token, record);
    const userKey = `${clientId}|${dc}`;
    const owned = (this.refreshTokensByUser.get(userKey) ?? []).filter((t) => !this.refreshTokens.get(t)?.revoked);
    owned.push(record.token);
    // The 21st refresh token silently deletes the oldest one (docs/zoho-api.md, "Token limits").
    while (owned.length > this.limits.maxRefreshTokensPerUser) this.revoke(owned.shift()!);
    this.refreshTokensByUser.set(userKey, owned);
    return record;
  }

  findRefreshToken(token: string): RefreshTokenRecord | undefined {
    return this.refreshTokens.get(token);
  }

  /** True when the refresh token may mint another access token now (rolling window). */
  mayRefresh(record: RefreshTokenRecord): boolean {
    const since = this.now() - this.limits.refreshThrottle.windowMs;
    record.refreshedAt = record.refreshedAt.filter((at) => at > since);
    return record.refreshedAt.length < this.limits.refreshThrottle.limit;
  }

  mintAccessToken(clientId: string, dc: DataCentre, scopes: string[], parent?: RefreshTokenRecord): AccessTokenRecord {
    const record: AccessTokenRecord = {
      token: newZohoToken(),
      clientId,
      dc,
      scopes,
      revoked: false,
      expiresAt: this.now() + this.limits.accessTokenTtlMs,
      ...(parent ? { refreshToken: parent.token } : {}),
    };
    this.accessTokens.set(record.token, record);
    if (parent) {
      const live = parent.accessTokens.filter((t) => this.isLive(this.accessTokens.get(t)));
      // Beyond the cap Zoho invalidates the oldest live access token of this refresh token.
      while (live.length >= this.limits.maxActiveAccessTokens) this.accessTokens.get(live.shift()!)!.revoked = true;
      live.push(record.token);
      parent.accessTokens = live;
    }
    return record;
  }

  recordRefresh(record: RefreshTokenRecord): void {
    record.refreshedAt.push(this.now());
  }

  /** The access token if Campaigns in `dc` should accept it, else undefined. */
  authenticate(token: string, dc: DataCentre): AccessTokenRecord | undefined {
    const record = this.accessTokens.get(token);
    return this.isLive(record) && record.dc === dc ? record : undefined;
  }

  /** Revokes a refresh token with every access token it minted, or a single access token. */
  revoke(token: string): boolean {
    const refresh = this.refreshTokens.get(token);
    if (refresh && !refresh.revoked) {
      refresh.revoked = true;
      for (const access of refresh.accessTokens) this.accessTokens.get(access)!.revoked = true;
      return true;
    }
    const access = this.accessTokens.get(token);
    if (access && !access.revoked) {
      access.revoked = true;
      return true;
    }
    return false;
  }

  expireAccessTokens(): void {
    const past = this.now() - 1;
    for (const record of this.accessTokens.values()) record.expiresAt = Math.min(record.expiresAt, past);
  }

  clear(): void {
    this.refreshTokens.clear();
    this.accessTokens.clear();
    this.refreshTokensByUser.clear();
  }

  private isLive(record: AccessTokenRecord | undefined): record is AccessTokenRecord {
    if (!record || record.revoked || record.expiresAt <= this.now()) return false;
    return !record.refreshToken || !this.refreshTokens.get(record.refreshToken)?.revoked;
  }
}
