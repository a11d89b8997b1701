// The names a setting may give for Zoho: its data centres (ZOHO_DC) and the endpoints whose call
// limits ZOHO_QUOTA_LIMITS may replace. Kept below src/config.ts, which checks settings against
// them; what each one means lives in src/zoho/ (docs/zoho-api.md, "Data centres", "Rate limits").

export const ZOHO_DATA_CENTRES = ['com', 'eu', 'in', 'com.au', 'jp', 'zohocloud.ca', 'com.cn', 'sa', 'uk', 'ae'] as const;
export type ZohoDataCentre = (typeof ZOHO_DATA_CENTRES)[number];

export const ZOHO_ENDPOINTS = ['listsubscribe', 'listunsubscribe', 'getmailinglists', 'getlistsubscribers', 'allfields', 'addlistsubscribersinbulk'] as const;
export type ZohoEndpoint = (typeof ZOHO_ENDPOINTS)[number];

export interface QuotaWindow {
  limit: number;
  windowMs: number;
}

/** An endpoint's limits as ZOHO_QUOTA_LIMITS gives them. */
export type QuotaOverride = { windows: QuotaWindow[]; lockMs?: number | undefined };
