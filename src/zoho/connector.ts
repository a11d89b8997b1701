// Making, reading and ending the Zoho connection: the use cases behind the browser flow and the
// CLI. A grant code is exchanged at once (it lives 1-10 minutes), the refresh token is stored
// encrypted with its data centre, and waiting sync jobs are let go as soon as it is stored.
import type { FastifyBaseLogger } from 'fastify';
import type { ZohoConnectionRepository } from '../db/zoho-connection.ts';
import type { ClientCredentials, TokenFailureKind, ZohoAccountsClient } from './accounts-client.ts';
import { ZOHO_SCOPE } from './authorization.ts';
import type { CampaignsGateway } from './campaigns-gateway.ts';
import type { ZohoDataCentre } from '../zoho-names.ts';
import { hostsFor, type HostOverrides } from './data-centres.ts';
import { RetryLaterError, WaitForZohoError } from './errors.ts';
import { mailingListsOf, type MailingList } from './mailing-lists.ts';
import type { TokenSource } from './token-source.ts';

/** The part of the granted scope every sync call needs (docs/zoho-api.md, "Authorization"). */
const CONTACT_SCOPE = /ZohoCampaigns\.contact\./i;

export type ConnectProblem =
  | TokenFailureKind
  /** Zoho granted access but no refresh token: the bridge could only work for an hour. */
  | 'no_refresh_token'
  /** The code was made for other scopes (a Self Client code typed with the wrong scope). */
  | 'missing_scope'
  /** ZOHO_CLIENT_ID / ZOHO_CLIENT_SECRET are not set. */
  | 'not_configured';

export type ConnectResult = { ok: true; dataCentre: ZohoDataCentre } | { ok: false; problem: ConnectProblem; detail: string };

export interface ConnectionStatus {
  state: 'not_connected' | 'connected' | 'needs_reconnect';
  /** Why it needs reconnecting, or why refreshes are paused, in words for the owner. */
  reason: string | undefined;
  dataCentre: string | undefined;
  origin: string | undefined;
  connectedAt: Date | undefined;
  accessTokenExpiresAt: Date | undefined;
  /** Set while Zoho throttles token refreshes and the bridge waits. */
  refreshPausedUntil: Date | undefined;
  refreshesUsed: number;
  /** ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET are set, so a connection can be made. */
  clientConfigured: boolean;
}

export type MailingListsResult = { ok: true; lists: MailingList[] } | { ok: false; message: string };

export interface ZohoConnectorDeps {
  connections: ZohoConnectionRepository;
  accounts: ZohoAccountsClient;
  tokens: TokenSource;
  gateway: CampaignsGateway;
  credentials: ClientCredentials | undefined;
  hosts: HostOverrides;
  /** Lets sync jobs that wait for Zoho go now instead of at their next check. */
  resumeWaitingJobs: () => Promise<void>;
  /** Drops what was cached about the previous account (its lists and fields). */
  forgetAccountData: () => Promise<void>;
  log: FastifyBaseLogger;
}

export class ZohoConnector {
  constructor(private readonly deps: ZohoConnectorDeps) {}

  get clientConfigured(): boolean {
    return this.deps.credentials !== undefined;
  }

  /**
   * Exchanges a grant code at the accounts server of `dataCentre` and stores the connection.
   * `redirectUri` is the one the browser flow used; a Self Client code has none.
   */
  async connectWithCode(input: {
    code: string;
    dataCentre: ZohoDataCentre;
    redirectUri: string | undefined;
    origin: 'browser' | 'self-client';
  }): Promise<ConnectResult> {
    const { connections, accounts, credentials, log } = this.deps;
    if (!credentials) {
      return { ok: false, problem: 'not_configured', detail: 'ZOHO_CLIENT_ID and ZOHO_CLIENT_SECRET are not set.' };
    }
    const hosts = hostsFor(input.dataCentre, this.deps.hosts);
    const result = await accounts.exchangeCode(hosts.accountsServer, credentials, input.code, input.redirectUri);
    if (!result.ok) {
      log.warn({ dataCentre: input.dataCentre, problem: result.kind }, `Zoho refused the grant code: ${result.message}`);
      return { ok: false, problem: result.kind, detail: result.message };
    }
    const { refreshToken, accessToken, expiresInSeconds, scope } = result.tokens;
    if (!refreshToken) {
      return { ok: false, problem: 'no_refresh_token', detail: 'Zoho answered without a refresh token.' };
    }
    if (scope && !CONTACT_SCOPE.test(scope)) {
      await this.#revokeQuietly(hosts.accountsServer, refreshToken, 'a token without the Campaigns scope');
      return { ok: false, problem: 'missing_scope', detail: `Zoho granted "${scope}", not ${ZOHO_SCOPE}.` };
    }

    const previous = await connections.get();
    // Unreadable after ENCRYPTION_KEY changed: reconnecting is exactly the way out, so no revoking.
    const previousToken = previous ? readable(() => connections.decryptRefreshToken(previous)) : undefined;
    await connections.save({
      dataCentre: input.dataCentre,
      accountsServer: hosts.accountsServer,
      campaignsUrl: hosts.campaignsUrl,
      refreshToken,
      accessToken,
      accessTokenExpiresAt: new Date(Date.now() + expiresInSeconds * 1000),
      scope,
      origin: input.origin,
    });
    this.deps.tokens.forget();
    await this.#forgetAccountData();
    log.info({ dataCentre: input.dataCentre, origin: input.origin }, 'Zoho Campaigns connected');
    await this.deps
      .resumeWaitingJobs()
      .catch((error: unknown) => log.warn({ err: error }, 'Could not wake the waiting sync jobs; they resume at their next check'));
    // Each Zoho user keeps at most 20 refresh tokens and silently drops the oldest (docs/zoho-api.md, "Token limits"):
    // the replaced one is revoked so reconnecting never uses up those slots.
    if (previous && previousToken && previousToken !== refreshToken) {
      await this.#revokeQuietly(previous.accountsServer, previousToken, 'the replaced refresh token');
    }
    return { ok: true, dataCentre: input.dataCentre };
  }

  /** Revokes the refresh token at Zoho (best effort) and forgets the connection. */
  async disconnect(): Promise<{ wasConnected: boolean; revoked: boolean; message: string; origin: string | undefined }> {
    const { connections, accounts, log } = this.deps;
    const connection = await connections.get();
    if (!connection) return { wasConnected: false, revoked: false, message: 'Zoho Campaigns was not connected.', origin: undefined };
    const refreshToken = readable(() => connections.decryptRefreshToken(connection));
    const revocation = refreshToken
      ? await accounts.revoke(connection.accountsServer, refreshToken)
      : { ok: false, message: 'The stored token could not be read (ENCRYPTION_KEY changed), so Zoho could not be told.' };
    await connections.markDisconnected();
    this.deps.tokens.forget();
    await this.#forgetAccountData();
    log.info({ revoked: revocation.ok }, `Zoho Campaigns disconnected. ${revocation.message}`);
    return { wasConnected: true, revoked: revocation.ok, message: revocation.message, origin: connection.origin };
  }

  async #forgetAccountData(): Promise<void> {
    await this.deps
      .forgetAccountData()
      .catch((error: unknown) => this.deps.log.warn({ err: error }, 'Could not clear the cached Zoho lists and fields; they expire within 10 minutes'));
  }

  async status(): Promise<ConnectionStatus> {
    const connection = await this.deps.connections.get();
    const refreshesUsed = await this.deps.tokens.refreshesUsed().catch(() => 0);
    const base = { refreshesUsed, clientConfigured: this.clientConfigured };
    if (!connection) {
      return {
        ...base,
        state: 'not_connected',
        reason: undefined,
        dataCentre: undefined,
        origin: undefined,
        connectedAt: undefined,
        accessTokenExpiresAt: undefined,
        refreshPausedUntil: undefined,
      };
    }
    const paused = connection.refreshBlockedUntil && connection.refreshBlockedUntil.getTime() > Date.now();
    return {
      ...base,
      state: connection.state === 'connected' ? 'connected' : 'needs_reconnect',
      reason: connection.state === 'connected' && !paused ? undefined : (connection.stateReason ?? undefined),
      dataCentre: connection.dataCentre,
      origin: connection.origin,
      connectedAt: connection.connectedAt,
      accessTokenExpiresAt: connection.accessTokenExpiresAt ?? undefined,
      refreshPausedUntil: paused ? connection.refreshBlockedUntil! : undefined,
    };
  }

  /** The account's mailing lists, or why they cannot be read now. */
  async mailingLists(): Promise<MailingListsResult> {
    try {
      const result = await this.deps.gateway.mailingLists();
      const lists = mailingListsOf(result);
      if (lists) return { ok: true, lists };
      return { ok: false, message: `Zoho did not give the lists: ${result.message}${result.code ? ` (code ${result.code})` : ''}.` };
    } catch (error) {
      if (error instanceof WaitForZohoError || error instanceof RetryLaterError) return { ok: false, message: error.message };
      throw error;
    }
  }

  async #revokeQuietly(accountsServer: string, refreshToken: string, what: string): Promise<void> {
    const revocation = await this.deps.accounts.revoke(accountsServer, refreshToken);
    if (!revocation.ok) this.deps.log.warn(`Could not revoke ${what} at Zoho: ${revocation.message}`);
  }
}

/** The value, or undefined when reading it throws (a secret sealed with another ENCRYPTION_KEY). */
function readable(read: () => string): string | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
