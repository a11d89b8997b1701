// The Zoho simulator: a real HTTP server that stands in for Zoho Accounts and Zoho Campaigns in
// every data centre, for tests, benchmarks and demos. See ./types.ts for every option.
export { startZohoSimulator, DEFAULT_CLIENT, DEFAULT_LISTS } from './server.ts';
export { bridgeEnvironment } from './bridge-environment.ts';
export { DEFAULT_LIMITS } from './rate-limiter.ts';
export { DATA_CENTRES, type DataCentre } from './datacenters.ts';
export type {
  AccountsEndpoint,
  CampaignsEndpoint,
  CannedResponse,
  ContactStatus,
  Endpoint,
  FaultKind,
  FaultSpec,
  GrantCodeRequest,
  RateLimitRule,
  RecordedCall,
  SimClient,
  SimContact,
  SimListSpec,
  SimulatorStats,
  ZohoSimulator,
  ZohoSimulatorOptions,
} from './types.ts';
