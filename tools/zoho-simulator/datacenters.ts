// The Zoho data centres the simulator emulates (docs/zoho-api.md, "Data centres"), named by the domain suffix that
// follows `accounts.`/`campaigns.` in the real host names, which is also what the bridge puts in
// the `{dc}` placeholder of its override URLs.

export const DATA_CENTRES = ['com', 'eu', 'in', 'com.au', 'jp', 'zohocloud.ca', 'com.cn', 'sa', 'uk', 'ae'] as const;
export type DataCentre = (typeof DATA_CENTRES)[number];

/** The `location` value Zoho puts in the OAuth callback for each DC. */
const LOCATION_BY_DC: Record<DataCentre, string> = {
  com: 'us',
  eu: 'eu',
  in: 'in',
  'com.au': 'au',
  jp: 'jp',
  'zohocloud.ca': 'ca',
  'com.cn': 'cn',
  sa: 'sa',
  uk: 'uk',
  ae: 'ae',
};

export function isDataCentre(value: string): value is DataCentre {
  return (DATA_CENTRES as readonly string[]).includes(value);
}

export function assertDataCentre(value: string): DataCentre {
  if (!isDataCentre(value)) {
    throw new Error(`Unknown Zoho DC "${value}"; expected one of ${DATA_CENTRES.join(', ')}`);
  }
  return value;
}

export function locationOf(dc: DataCentre): string {
  return LOCATION_BY_DC[dc];
}

export function locations(): Array<[DataCentre, string]> {
  return DATA_CENTRES.map((dc) => [dc, LOCATION_BY_DC[dc]]);
}

/**
 * The real `api_domain` Zoho returns in token responses. Deliberately NOT a simulator URL: docs/zoho-api.md
 * says api_domain is not the Campaigns host, so a bridge that wrongly calls it fails here too.
 */
export function apiDomainOf(dc: DataCentre): string {
  return dc === 'zohocloud.ca' ? 'https://www.zohoapis.ca' : `https://www.zohoapis.${dc}`;
}
