// The one source of Zoho access tokens for every worker on every machine. Tokens are cached in
// Postgres (encrypted) and in memory; a refresh happens a few minutes before expiry, by one process
// at a time (a Redis lock), and never more often than Zoho allows (zoho.md §1.8, §4.3).
import type { Redis } from 'ioredis';
import type { ZohoConnection } from '../db/generated/client.ts';
import type { ZohoConnectionRepository } from '../db/zoho-connection.ts';
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
    private readonly redis: Redis,
    private readonly options: TokenSourceOptions,
  ) {
    this.#now = options.now ?? Date.now;
    this.#budget = new RefreshBudget(redis, `${options.redisPrefix}:zoho:token-refreshes`, this.#now);
  }

  /** A valid access token, refreshed if needed; throws WaitForZohoError when Zoho cannot be used. */
  async get(): Promise<AccessToken> {
    if (this.#cached && this.#isFresh(this.#cached.expiresAt)) return this.#cached;
    const connection = await this.#usableConnection();
    const stored = this.connections.decryptAccessToken(connection);
    if (stored && connection.accessTokenExpiresAt && this.#isFresh(connection.accessTokenExpiresAt)) {
      this.#cached = { token: stored, campaignsUrl: connection.campaignsUrl, expiresAt: connection.accessTokenExpiresAt };
      return this.#cached;
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
  async replaceRejected(rejected: string): Promise<AccessToken> {
    if (this.#cached?.token === rejected) this.#cached = undefined;
    const connection = await this.#usableConnection();
    if (this.connections.decryptAccessToken(connection) === rejected) await this.connections.clearAccessToken();
    return this.get();
  }

  /** Forgets the in-memory token (after reconnecting or disconnecting). */
  forget(): void {
    this.#cached = undefined;
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
      throw new WaitForZohoError(
        connection.stateReason ?? 'The Zoho connection needs to be reconnected.',
        60_000,
        'needs_reconnect',
      );
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
      const token = this.connections.decryptAccessToken(connection);
      if (token && connection.accessTokenExpiresAt && this.#isFresh(connection.accessTokenExpiresAt)) {
        this.#cached = { token, campaignsUrl: connection.campaignsUrl, expiresAt: connection.accessTokenExpiresAt };
        return this.#cached;
      }
      if (this.#now() > deadline) throw new RetryLaterError('Timed out waiting for another process to refresh the Zoho token.');
    }
  }

  async #refreshHoldingLock(): Promise<AccessToken> {
    const connection = await this.#usableConnection();
    // Someone may have refreshed between our read and taking the lock.
    const current = this.connections.decryptAccessToken(connection);
    if (current && connection.accessTokenExpiresAt && this.#isFresh(connection.accessTokenExpiresAt)) {
      this.#cached = { token: current, campaignsUrl: connection.campaignsUrl, expiresAt: connection.accessTokenExpiresAt };
      return this.#cached;
    }
    if (connection.refreshBlockedUntil && connection.refreshBlockedUntil.getTime() > this.#now()) {
      throw new WaitForZohoError(
        `Zoho is throttling token requests; the bridge waits until ${connection.refreshBlockedUntil.toISOString()}.`,
        connection.refreshBlockedUntil.getTime() - this.#now(),
        'refresh_throttled',
      );
    }
    const credentials = this.options.credentials;
    if (!credentials) {
      throw new WaitForZohoError('ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET are not configured.', 60_000, 'not_connected');
    }
    const waitMs = await this.#budget.reserve();
    if (waitMs > 0) {
      throw new WaitForZohoError('The bridge has used its Zoho token refreshes for this 10-minute window.', waitMs, 'refresh_throttled');
    }

    const result = await this.accounts.refresh(connection.accountsServer, credentials, this.connections.decryptRefreshToken(connection));
    if (result.ok) {
      const expiresAt = new Date(this.#now() + result.tokens.expiresInSeconds * 1000);
      await this.connections.storeAccessToken(result.tokens.accessToken, expiresAt, result.tokens.scope);
      this.#cached = { token: result.tokens.accessToken, campaignsUrl: connection.campaignsUrl, expiresAt };
      return this.#cached;
    }
    switch (result.kind) {
      case 'throttled': {
        const until = new Date(this.#now() + THROTTLE_BACKOFF_MS);
        await this.connections.blockRefreshUntil(until, `Zoho throttled token refreshes (${result.message}).`);
        throw new WaitForZohoError(`Zoho throttled token refreshes: ${result.message}`, THROTTLE_BACKOFF_MS, 'refresh_throttled');
      }
      case 'invalid_code':
        await this.connections.markNeedsReconnect(
          'Zoho no longer accepts the stored refresh token (it was revoked or replaced). Reconnect Zoho Campaigns.',
        );
        throw new WaitForZohoError('The Zoho refresh token was revoked; reconnect Zoho.', 60_000, 'needs_reconnect');
      case 'invalid_client':
      case 'invalid_client_secret':
        await this.connections.markNeedsReconnect(
          `Zoho refused the client credentials (${result.kind}): check ZOHO_CLIENT_ID, ZOHO_CLIENT_SECRET and the data centre, then reconnect.`,
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
