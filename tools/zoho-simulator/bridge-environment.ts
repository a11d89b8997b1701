// The settings that point a bridge at this simulator, already connected (a refresh token of the
// simulator's default client), as `npm run zoho-sim` prints them and the benchmarks pass them.
import { DEFAULT_CLIENT, DEFAULT_LISTS } from './server.ts';
import type { ZohoSimulator } from './types.ts';

export function bridgeEnvironment(simulator: ZohoSimulator, listKey = DEFAULT_LISTS[0]!.listkey): Record<string, string> {
  return {
    ZOHO_DC: 'com',
    ZOHO_ACCOUNTS_URL: `${simulator.baseUrl}/dc/{dc}/accounts`,
    ZOHO_CAMPAIGNS_URL: `${simulator.baseUrl}/dc/{dc}/campaigns`,
    ZOHO_CLIENT_ID: DEFAULT_CLIENT.clientId,
    ZOHO_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
    ZOHO_REFRESH_TOKEN: simulator.createRefreshToken({ dc: 'com' }),
    ZOHO_LIST_KEY: listKey,
  };
}
