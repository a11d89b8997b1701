// The Campaigns v1.1 JSON envelope: `{status, code, message, …, uri, version}`, always HTTP 200.
// Success codes alternate between 0 and "0" by default because Zoho sends both (docs/zoho-api.md, "Campaigns calls");
// error codes are numeric strings.
import { json, type Answer } from './http-kit.ts';
import type { CampaignsEndpoint } from './types.ts';

export const URI_OF: Record<CampaignsEndpoint, string> = {
  getmailinglists: '/api/v1.1/getmailinglists',
  listsubscribe: '/api/v1.1/json/listsubscribe',
  listunsubscribe: '/api/v1.1/json/listunsubscribe',
  allfields: '/api/v1.1/contact/allfields',
  getlistsubscribers: '/api/v1.1/getlistsubscribers',
  addlistsubscribersinbulk: '/api/v1.1/addlistsubscribersinbulk',
};

export type SuccessCodeStyle = 'alternate' | 'number' | 'string';

export class CampaignsEnvelope {
  private successes = 0;

  constructor(private readonly style: SuccessCodeStyle) {}

  success(endpoint: CampaignsEndpoint, fields: Record<string, unknown>, message?: string): Answer {
    return json({
      status: 'success',
      code: this.nextSuccessCode(),
      ...(message === undefined ? {} : { message }),
      ...fields,
      uri: URI_OF[endpoint],
      version: '1.1',
    });
  }

  error(endpoint: CampaignsEndpoint, code: string, message: string): Answer {
    return json({ status: 'error', code, message, uri: URI_OF[endpoint], version: '1.1' });
  }

  reset(): void {
    this.successes = 0;
  }

  /** Deterministic: the 1st, 3rd, 5th… success say 0, the others "0" (in `alternate` style). */
  private nextSuccessCode(): 0 | '0' {
    const index = this.successes++;
    if (this.style === 'number') return 0;
    if (this.style === 'string') return '0';
    return index % 2 === 0 ? 0 : '0';
  }
}

export function parsePositiveInt(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  const parsed = Number(value);
  return parsed >= 1 ? parsed : undefined;
}

/** 1-based `fromindex` and `range` → slice bounds. */
export function pageOf<T>(items: T[], params: Record<string, string>, defaultRange: number, maxRange: number): T[] {
  const from = parsePositiveInt(params.fromindex) ?? 1;
  const range = Math.min(parsePositiveInt(params.range) ?? defaultRange, maxRange);
  return items.slice(from - 1, from - 1 + range);
}
