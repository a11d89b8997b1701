// The browser authorization flow's two ends (docs/zoho-api.md, "Authorization"): the address that sends the owner
// to Zoho, and which data centre the answer comes from. Multi-DC clients always start at the US
// accounts server; Zoho names the user's own accounts server in the callback.
import { dataCentreFromLocation, dataCentreOfAccountsServer, hostsFor, isSingleAccountsUrl, type HostOverrides } from './data-centres.ts';
import type { ZohoDataCentre } from '../zoho-names.ts';

/** Contacts and lists, read and write: all a customer sync needs (docs/zoho-api.md, "Authorization"). */
export const ZOHO_SCOPE = 'ZohoCampaigns.contact.ALL';

export function zohoAuthorizationUrl(input: { clientId: string; redirectUri: string; state: string; hosts: HostOverrides }): string {
  const url = new URL(`${hostsFor('com', input.hosts).accountsServer}/oauth/v2/auth`);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: input.clientId,
    scope: ZOHO_SCOPE,
    redirect_uri: input.redirectUri,
    // offline: a refresh token, so the bridge keeps working; consent: Zoho only issues a new
    // refresh token on a re-authorisation when it asks again (docs/zoho-api.md, "Authorization").
    access_type: 'offline',
    prompt: 'consent',
    state: input.state,
  }).toString();
  return url.toString();
}

/**
 * The data centre to exchange the code at, from the callback's `accounts-server` and `location`.
 * Undefined when the server is not on the allowlist or the two disagree: the code must never be
 * sent anywhere else. Behind a single ZOHO_ACCOUNTS_URL (a proxy) the callback may name the proxy
 * itself, and then only `location` tells the data centre. A client without multi-DC support gets
 * neither, and its codes come from the US server the flow started at.
 */
export function callbackDataCentre(accountsServer: string | undefined, location: string | undefined, hosts: HostOverrides): ZohoDataCentre | undefined {
  const byLocation = location ? dataCentreFromLocation(location) : undefined;
  if (!accountsServer) return location ? byLocation : 'com';
  const byServer = dataCentreOfAccountsServer(accountsServer, hosts);
  if (byServer) return byLocation && byLocation !== byServer ? undefined : byServer;
  const namesTheProxy = isSingleAccountsUrl(hosts) && sameAddress(accountsServer, hostsFor('com', hosts).accountsServer);
  return namesTheProxy ? byLocation : undefined;
}

function sameAddress(a: string, b: string): boolean {
  const normalise = (url: string) => url.replace(/\/+$/, '').toLowerCase();
  return normalise(a) === normalise(b);
}
