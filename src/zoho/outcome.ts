// Classifies what Zoho Campaigns answered into what the caller should do next.
// Campaigns reports most errors inside HTTP 200 with a string or numeric `code` (docs/zoho-api.md, "Campaigns calls").
import { parseJsonObject, type RawResponse } from './http.ts';

export type ZohoOutcome =
  /** Zoho did it (or there was nothing to do). */
  | 'done'
  /** Transient: network, timeout, 5xx, an unreadable answer, "retry later" codes. */
  | 'retry'
  /** Zoho will refuse this call every time: fix the data or the settings first. */
  | 'permanent'
  /** The access token was refused. */
  | 'auth'
  /** Zoho says the endpoint's call limit was exceeded (a lock-out is likely). */
  | 'rate_limited';

export interface ZohoCallResult {
  outcome: ZohoOutcome;
  httpStatus: number | undefined;
  code: string | undefined;
  message: string;
  body: Record<string, unknown> | undefined;
  durationMs: number;
}

const RETRY_CODES = new Set([
  '2101', // listunsubscribe: "Please retry after sometime."
  '2104', // contactdonotmail: retry
  '2402', // getmailinglists: display error, retry
  // 2001 means "error in subscription, retry" in Zoho's table and "bad JSON" on the listsubscribe
  // page (docs/zoho-api.md, "Error codes"). The bridge always sends valid JSON, so the transient reading applies.
  '2001',
]);
const AUTH_CODES = new Set(['1007', 'INVALID_OAUTHTOKEN', 'INVALID_TOKEN', 'invalid_token']);
const RATE_LIMIT_CODES = new Set(['2008', '409909']);

/** Codes that mean "already in the state asked for": unsubscribing someone not on the list. */
export const ALREADY_DONE_ON_UNSUBSCRIBE = new Set(['2103']);

export function classifyCampaignsResponse(response: RawResponse, alreadyDone: ReadonlySet<string> = new Set()): ZohoCallResult {
  const base = { httpStatus: response.httpStatus, durationMs: response.durationMs };
  if (response.networkError) {
    return { ...base, outcome: 'retry', code: undefined, message: response.networkError, body: undefined };
  }
  const body = parseJsonObject(response.body);
  const status = response.httpStatus ?? 0;
  if (!body) {
    const what = /^\s*</.test(response.body) ? 'an HTML page' : 'a body that is not JSON';
    const outcome = status === 401 ? 'auth' : status === 429 ? 'rate_limited' : 'retry';
    return { ...base, outcome, code: undefined, message: `Zoho answered HTTP ${status} with ${what}.`, body: undefined };
  }
  const code = body.code === undefined || body.code === null ? undefined : String(body.code);
  const message = typeof body.message === 'string' ? body.message : `HTTP ${status}`;
  const result = (outcome: ZohoOutcome): ZohoCallResult => ({ ...base, outcome, code, message, body });

  if (code === '0' || (body.status === 'success' && code === undefined)) return result('done');
  if (code !== undefined && alreadyDone.has(code)) return result('done');
  if (status === 401 || (code !== undefined && AUTH_CODES.has(code))) return result('auth');
  if (status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code)) || /limit exceeded/i.test(message)) {
    return result('rate_limited');
  }
  if (status >= 500 || (code !== undefined && RETRY_CODES.has(code))) return result('retry');
  if (/oauth ?token|unauthori[sz]ed|invalid.?token/i.test(message)) return result('auth');
  // Any other code is an answer Zoho will repeat (invalid email, bad list key, privileges, …).
  return result('permanent');
}
