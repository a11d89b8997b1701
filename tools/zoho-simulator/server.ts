// Composes the simulator: state objects, route tables, an HTTP server on 127.0.0.1, and the
// programmatic handle tests use to steer and inspect it.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accountsRoutes } from './accounts-routes.ts';
import { CampaignsEnvelope } from './campaigns-envelope.ts';
import { campaignsRoutes } from './campaigns-routes.ts';
import { buildFieldDefinitions } from './contact-fields.ts';
import { assertDataCentre, type DataCentre } from './datacenters.ts';
import { createDispatcher } from './dispatcher.ts';
import { FaultQueue } from './faults.ts';
import { renderIndexPage } from './index-page.ts';
import { MailingLists } from './mailing-lists.ts';
import { DEFAULT_LIMITS, EndpointRateLimiter } from './rate-limiter.ts';
import type { RecordedCall, SimClient, SimListSpec, ZohoSimulator, ZohoSimulatorOptions } from './types.ts';
import { ZohoAccounts, parseScopes } from './zoho-accounts.ts';

export const DEFAULT_CLIENT: Readonly<SimClient> = { clientId: '1000.SIMCLIENT', clientSecret: 'sim-secret' };

export const DEFAULT_LISTS: readonly SimListSpec[] = [
  { listkey: 'sim-customers', listname: 'Customers' },
  { listkey: 'sim-active-subscribers', listname: 'Active subscribers' },
  { listkey: 'sim-lapsed-customers', listname: 'Lapsed customers' },
  { listkey: 'sim-newsletter-doi', listname: 'Newsletter (double opt-in)', doubleOptIn: true },
];

const TEN_MINUTES = 10 * 60_000;
const DEFAULT_SCOPE = 'ZohoCampaigns.contact.ALL';

export async function startZohoSimulator(options: ZohoSimulatorOptions = {}): Promise<ZohoSimulator> {
  const now = options.now ?? Date.now;
  const userDc = assertDataCentre(options.userDc ?? 'com');
  const clients = (options.clients ?? [DEFAULT_CLIENT]).map((c) => ({ ...c, ...(c.dcs ? { dcs: c.dcs.map(assertDataCentre) } : {}) }));
  let baseUrl = '';
  const accountsUrl = (dc: string = userDc): string => `${baseUrl}/dc/${assertDataCentre(dc)}/accounts`;
  const campaignsUrl = (dc: string = userDc): string => `${baseUrl}/dc/${assertDataCentre(dc)}/campaigns`;

  const accounts = new ZohoAccounts({
    clients,
    userDc,
    now,
    accountsUrlOf: accountsUrl,
    consent: options.consent ?? 'allow',
    accessTokenTtlMs: (options.accessTokenTtlSeconds ?? 3600) * 1000,
    grantCodeTtlMs: (options.grantCodeTtlSeconds ?? 120) * 1000,
    refreshThrottle: options.refreshThrottle ?? { limit: 10, windowMs: TEN_MINUTES },
    grantCodeThrottle: options.grantCodeThrottle ?? { limit: 10, windowMs: TEN_MINUTES },
    maxActiveAccessTokens: options.maxActiveAccessTokens ?? 10,
    maxRefreshTokensPerUser: options.maxRefreshTokensPerUser ?? 20,
  });
  const lists = new MailingLists([...(options.lists ?? DEFAULT_LISTS)], now);
  const fields = buildFieldDefinitions(options.extraFields ?? []);
  const limiter = new EndpointRateLimiter({ ...DEFAULT_LIMITS, ...options.limits }, now);
  const envelope = new CampaignsEnvelope(options.successCode ?? 'alternate');
  const faults = new FaultQueue();
  const calls: RecordedCall[] = [];
  const held = new Set<ServerResponse>();
  const timers = new Set<NodeJS.Timeout>();

  const dispatch = createDispatcher({
    accountsRoutes: accountsRoutes({ accounts, accountsUrlOf: accountsUrl, throttleStatus: options.throttleStatus ?? 200 }),
    campaignsRoutes: campaignsRoutes({
      ledger: accounts.ledger,
      limiter,
      lists,
      fields,
      envelope,
      invalidTokenResponse: options.invalidTokenResponse ?? 'code-1007',
      lockoutResponse: options.lockoutResponse ?? { status: 200, body: { status: 'error', code: '2008', message: 'Calls limit exceeded' } },
    }),
    faults,
    calls,
    recordCalls: options.recordCalls ?? true,
    now,
    held,
    timers,
    indexPage: () => renderIndexPage(lists, { accountsUrl, campaignsUrl }),
  });
  const server = createServer((req, res) => {
    dispatch(req, res).catch((error: unknown) => {
      console.error('[zoho-simulator] request failed:', error);
      res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { port, address } = server.address() as AddressInfo;
  baseUrl = `http://${address.includes(':') ? `[${address}]` : address}:${port}`;

  const clientIdOr = (clientId: string | undefined): string => clientId ?? clients[0]!.clientId;
  const scopesOf = (scope: string | undefined): string[] => {
    const scopes = parseScopes(scope ?? DEFAULT_SCOPE);
    if (!scopes) throw new Error(`Invalid Zoho scope "${scope}"`);
    return scopes;
  };

  return {
    baseUrl,
    port,
    accountsUrl,
    campaignsUrl,
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    issueGrantCode(request = {}) {
      const clientId = clientIdOr(request.clientId);
      const dc: DataCentre = assertDataCentre(request.dc ?? userDc);
      const scopes = scopesOf(request.scope);
      if (request.selfClient ?? true) {
        return accounts.issueSelfClientCode(clientId, dc, scopes, (request.ttlSeconds ?? 180) * 1000);
      }
      const client = clients.find((c) => c.clientId === clientId);
      const redirectUri = request.redirectUri ?? client?.redirectUris?.[0] ?? 'http://127.0.0.1/oauth/callback';
      return accounts.issueServerCode(clientId, dc, scopes, redirectUri, (request.ttlSeconds ?? options.grantCodeTtlSeconds ?? 120) * 1000);
    },
    createRefreshToken(request = {}) {
      return accounts.createRefreshToken(clientIdOr(request.clientId), assertDataCentre(request.dc ?? userDc), scopesOf(request.scope));
    },
    revokeRefreshToken: (token) => accounts.ledger.revoke(token),
    expireAccessTokens: () => accounts.ledger.expireAccessTokens(),
    setConsent(consent) {
      accounts.consent = consent;
    },
    injectFault: (fault) => faults.inject(fault),
    calls,
    callsTo: (endpoint) => calls.filter((call) => call.endpoint === endpoint),
    contacts: (listkey) => lists.snapshot(listkey),
    setContactStatus: (listkey, email, status) => lists.setStatus(listkey, email, status),
    get stats() {
      return {
        tokenRefreshes: { ...accounts.tokenRefreshes },
        throttledRefreshes: { ...accounts.throttledRefreshes },
        codeExchanges: accounts.codeExchanges,
        rateLimitViolations: { ...limiter.violations },
        lockouts: { ...limiter.lockouts },
        admitted: { ...limiter.admitted },
      };
    },
    reset() {
      accounts.reset();
      lists.reset();
      limiter.reset();
      envelope.reset();
      faults.clear();
      calls.length = 0;
    },
  };
}
