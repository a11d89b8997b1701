// Zoho data centres and their hosts: the one allowlist of Zoho's accounts servers
// (docs/zoho-api.md, "Data centres"). Campaigns hosts are built from the data centre, never
// from the token response's api_domain.

import { ZOHO_DATA_CENTRES, type ZohoDataCentre } from '../zoho-names.ts';

/** How a store owner recognises each data centre (the domain they sign in to Zoho at). */
export const DATA_CENTRE_NAMES: Record<ZohoDataCentre, string> = {
  com: 'United States (zoho.com)',
  eu: 'Europe (zoho.eu)',
  in: 'India (zoho.in)',
  'com.au': 'Australia (zoho.com.au)',
  jp: 'Japan (zoho.jp)',
  'zohocloud.ca': 'Canada (zohocloud.ca)',
  'com.cn': 'China (zoho.com.cn)',
  sa: 'Saudi Arabia (zoho.sa)',
  uk: 'United Kingdom (zoho.uk)',
  ae: 'United Arab Emirates (zoho.ae)',
};

/** The `location` codes Zoho puts in the OAuth callback, mapped to our data-centre names. */
const LOCATION_TO_DATA_CENTRE: Record<string, ZohoDataCentre> = {
  us: 'com',
  eu: 'eu',
  in: 'in',
  au: 'com.au',
  jp: 'jp',
  ca: 'zohocloud.ca',
  cn: 'com.cn',
  sa: 'sa',
  uk: 'uk',
  ae: 'ae',
};

export function dataCentreFromLocation(location: string): ZohoDataCentre | undefined {
  return LOCATION_TO_DATA_CENTRE[location.toLowerCase()];
}

export function isZohoDataCentre(value: string): value is ZohoDataCentre {
  return (ZOHO_DATA_CENTRES as readonly string[]).includes(value);
}

export interface ZohoHosts {
  accountsServer: string;
  campaignsUrl: string;
}

export interface HostOverrides {
  /** May contain "{dc}", replaced by the data centre name (tests run every DC on one simulator). */
  accountsUrlTemplate?: string | undefined;
  campaignsUrlTemplate?: string | undefined;
}

function zohoDomain(dataCentre: ZohoDataCentre): string {
  return dataCentre === 'zohocloud.ca' ? 'zohocloud.ca' : `zoho.${dataCentre}`;
}

export function hostsFor(dataCentre: ZohoDataCentre, overrides: HostOverrides = {}): ZohoHosts {
  const fill = (template: string) => template.replaceAll('{dc}', dataCentre).replace(/\/+$/, '');
  return {
    accountsServer: overrides.accountsUrlTemplate ? fill(overrides.accountsUrlTemplate) : `https://accounts.${zohoDomain(dataCentre)}`,
    campaignsUrl: overrides.campaignsUrlTemplate ? fill(overrides.campaignsUrlTemplate) : `https://campaigns.${zohoDomain(dataCentre)}`,
  };
}

/** True when the override names one address for every data centre (a proxy), not a `{dc}` template. */
export function isSingleAccountsUrl(overrides: HostOverrides): boolean {
  return Boolean(overrides.accountsUrlTemplate && !overrides.accountsUrlTemplate.includes('{dc}'));
}

/**
 * The data centre whose accounts server is exactly `accountsServer`, or undefined. The OAuth
 * callback names an accounts server; only one on the allowlist (Zoho's own hosts, or the `{dc}`
 * override filled in) is ever believed. A single override URL names no data centre by itself.
 */
export function dataCentreOfAccountsServer(accountsServer: string, overrides: HostOverrides = {}): ZohoDataCentre | undefined {
  const wanted = accountsServer.replace(/\/+$/, '').toLowerCase();
  const matches = (hosts: HostOverrides) => (dataCentre: ZohoDataCentre) => hostsFor(dataCentre, hosts).accountsServer.toLowerCase() === wanted;
  const zohos = ZOHO_DATA_CENTRES.find(matches({}));
  if (zohos || isSingleAccountsUrl(overrides) || !overrides.accountsUrlTemplate) return zohos;
  return ZOHO_DATA_CENTRES.find(matches(overrides));
}
