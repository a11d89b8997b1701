// The one source of Zoho access tokens for every worker on every machine. Tokens are cached in
// Postgres (encrypted) and in memory; a refresh happens a few minutes before expiry, by one process
// at a time (a Redis lock), and never more often than Zoho allows (docs/zoho-api.md, "Token limits").
import type { RedisClient } from '../redis/connection.ts';
import type { ZohoConnection } from '../db/rows.ts';
import type { ZohoConnectionRepository } from '../db/zoho-connection.ts';
import { recordTokenRefresh } from '../metrics.ts';
import { tryLock } from '../redis/lock.ts';
import type { ClientCredentials, ZohoAccountsClient } from './accounts-client.ts';
import { RetryLaterError, WaitForZohoError } from './errors.ts';
import { RefreshBudget } from './refresh-budget.ts';

/** Refresh this long before expiry, so no call goes out with a token about to die. */
const REFRESH_MARGIN_MS = 5 * 60_000;
/** Zoho answered "Access Denied": leave the token endpoint alone this long. */
const THROTTLE_BACKOFF_MS = 10 * 60_000;
const LOCK_LEASE_MS = 30_000;
const WAIT_FOR_PEER_MS = 20_000;

export interface AccessToken {
  token: string;
  campaignsUrl: string;
  expiresAt: Date;
  /** The stored connection the token belongs to (its sealed refresh token; see ZohoConnectionRepository). */
  connection: string;
}

export interface TokenSourceOptions {
  credentials: ClientCredentials | undefined;
  redisPrefix: string;
  now?: () => number;
}

export class TokenSource {
  #cached: AccessToken | undefined;
  #refreshing: Promise<AccessToken> | undefined;
  readonly #budget: RefreshBudget;
  readonly #now: () => number;

  constructor(
    private readonly connections: ZohoConnectionRepository,
    private readonly accounts: ZohoAccountsClient,
    private readonly redis: RedisClient,
    private readonly options: TokenSourceOptions,
  ) {
    this.#now = options.now ?? Date.now;
    this.#budget = new RefreshBudget(redis, `${options.redisPrefix}:zoho:token-refreshes`, this.#now);
  }

  /** A valid access token, refreshed if needed; throws WaitForZohoError when Zoho cannot be used. */
  async get(): Promise<AccessToken> {
    if (this.#cached && this.#isFresh(this.#cached.expiresAt)) return this.#cached;
    const connection = await this.#usableConnection();
    const stored = this.#storedToken(connection);
    if (stored) {
      this.#cached = stored;
      return stored;
    }
    // Single flight inside this process; the Redis lock takes care of the other processes.
    this.#refreshing ??= this.#refreshAcrossProcesses().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  /**
   * Campaigns refused `rejected`. Drops it everywhere and returns a new token, unless another
   * process already replaced it, in which case that one is returned.
   */
  async replaceRejected(rejected: AccessToken): Promise<AccessToken> {
    if (this.#cached?.token === rejected.token) this.#cached = undefined;
    const connection = await this.#usableConnection();
    if (connection.accessTokenEnc && this.connections.decryptAccessToken(connection) === rejected.token) {
      // Conditional on the sealed value: a token another process stored meanwhile survives.
      await this.connections.clearAccessToken(connection.refreshTokenEnc, connection.accessTokenEnc);
    }
    return this.get();
  }

  /** Forgets the in-memory token (after reconnecting or disconnecting). */
  forget(): void {
    this.#cached = undefined;
  }

  /** Refreshes made in the current 10-minute window, by every process (for status pages). */
  refreshesUsed(): Promise<number> {
    return this.#budget.used();
  }

  /** The stored access token when it has more than the margin left. */
  #storedToken(connection: ZohoConnection): AccessToken | undefined {
    const token = this.connections.decryptAccessToken(connection);
    const expiresAt = connection.accessTokenExpiresAt;
    if (!token || !expiresAt || !this.#isFresh(expiresAt)) return undefined;
    return { token, campaignsUrl: connection.campaignsUrl, expiresAt, connection: connection.refreshTokenEnc };
  }

  /** While Zoho throttles refreshes nobody asks again: each try may extend the block. */
  #throwIfRefreshPaused(connection: ZohoConnection): void {
    const until = connection.refreshBlockedUntil;
    if (until && until.getTime() > this.#now()) {
      throw new WaitForZohoError(
        `Zoho is throttling token requests; the bridge waits until ${until.toISOString()}.`,
        until.getTime() - this.#now(),
        'refresh_throttled',
      );
    }
  }

  #readable(connection: ZohoConnection): boolean {
    try {
      this.connections.decryptRefreshToken(connection);
      this.connections.decryptAccessToken(connection);
      return true;
    } catch {
      return false;
    }
  }

  #isFresh(expiresAt: Date): boolean {
    return expiresAt.getTime() - this.#now() > REFRESH_MARGIN_MS;
  }

  async #usableConnection(): Promise<ZohoConnection> {
    const connection = await this.connections.get();
    if (!connection) {
      throw new WaitForZohoError('Zoho Campaigns is not connected yet.', 60_000, 'not_connected');
    }
    if (connection.state !== 'connected') {
      throw new WaitForZohoError(connection.stateReason ?? 'The Zoho connection needs to be reconnected.', 60_000, 'needs_reconnect');
    }
    if (!this.#readable(connection)) {
      // Sealed with another ENCRYPTION_KEY: only a new connection helps, so jobs wait for one
      // instead of spending their retries on an error that will not change.
      const reason = 'The stored Zoho connection cannot be read: ENCRYPTION_KEY changed since it was made. Reconnect Zoho Campaigns.';
      await this.connections.markNeedsReconnect(connection.refreshTokenEnc, reason);
      throw new WaitForZohoError(reason, 60_000, 'needs_reconnect');
    }
    return connection;
  }

  async #refreshAcrossProcesses(): Promise<AccessToken> {
    const deadline = this.#now() + WAIT_FOR_PEER_MS;
    for (;;) {
      const lock = await tryLock(this.redis, `${this.options.redisPrefix}:zoho:token-refresh-lock`, LOCK_LEASE_MS);
      if (lock) {
        try {
          return await this.#refreshHoldingLock();
        } finally {
          await lock.release();
        }
      }
      // Another process is refreshing: wait for its token rather than asking Zoho again.
      await sleep(200);
      const connection = await this.#usableConnection();
      const stored = this.#storedToken(connection);
      if (stored) {
        this.#cached = stored;
        return stored;
      }
      // The peer was throttled: wait with it instead of spending a retry on a timeout.
      this.#throwIfRefreshPaused(connection);
      if (this.#now() > deadline) throw new RetryLaterError('Timed out waiting for another process to refresh the Zoho token.');
    }
  }

  async #refreshHoldingLock(): Promise<AccessToken> {
    const connection = await this.#usableConnection();
    // Someone may have refreshed between our read and taking the lock.
    const current = this.#storedToken(connection);
    if (current) {
      this.#cached = current;
      return current;
    }
    this.#throwIfRefreshPaused(connection);
    const credentials = this.options.credentials;
    if (!credentials) {
      throw new WaitForZohoError('ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET are not configured.', 60_000, 'not_connected');
    }
    const waitMs = await this.#budget.reserve();
    if (waitMs > 0) {
      throw new WaitForZohoError('The bridge has used its Zoho token refreshes for this 10-minute window.', waitMs, 'refresh_throttled');
    }

    const generation = connection.refreshTokenEnc;
    const result = await this.accounts.refresh(connection.accountsServer, credentials, this.connections.decryptRefreshToken(connection));
    recordTokenRefresh(result.ok ? 'ok' : result.kind);
    if (result.ok) {
      const expiresAt = new Date(this.#now() + result.tokens.expiresInSeconds * 1000);
      const token = { token: result.tokens.accessToken, campaignsUrl: connection.campaignsUrl, expiresAt, connection: generation };
      // Not stored when the owner reconnected meanwhile: the token is usable once, never cached.
      if (await this.connections.storeAccessToken(generation, token.token, expiresAt, result.tokens.scope)) this.#cached = token;
      return token;
    }
    switch (result.kind) {
      case 'throttled': {
        const until = new Date(this.#now() + THROTTLE_BACKOFF_MS);
        await this.connections.blockRefreshUntil(
          generation,
          until,
          `Zoho refused to issue more access tokens for now ("${result.message}"). The bridge pauses Zoho calls until ${until.toISOString()} and then continues by itself.`,
        );
        throw new WaitForZohoError(`Zoho throttled token refreshes: ${result.message}`, THROTTLE_BACKOFF_MS, 'refresh_throttled');
      }
      case 'invalid_code':
        await this.connections.markNeedsReconnect(
          generation,
          "Zoho no longer accepts the bridge's permission (it was revoked in Zoho, or replaced by a newer connection). Reconnect Zoho Campaigns.",
        );
        throw new WaitForZohoError('The Zoho refresh token was revoked; reconnect Zoho.', 60_000, 'needs_reconnect');
      case 'invalid_client':
      case 'invalid_client_secret':
        await this.connections.markNeedsReconnect(
          generation,
          `Zoho refused the bridge's client (${result.kind}): check ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and the data centre, then reconnect.`,
        );
        throw new WaitForZohoError(`Zoho refused the client: ${result.message}`, 60_000, 'needs_reconnect');
      default:
        throw new RetryLaterError(`Could not refresh the Zoho token: ${result.message}`);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
