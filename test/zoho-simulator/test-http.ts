// Plain-HTTP helpers for the simulator's own fidelity tests: no retries, no redirects followed,
// no throwing on 4xx/5xx, so each test sees exactly what the simulator put on the wire.
import got from 'got';
import type { ZohoSimulator } from '../../tools/zoho-simulator/index.ts';

export const http = got.extend({ retry: { limit: 0 }, throwHttpErrors: false, followRedirect: false });

export interface JsonAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function postForm(url: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  const response = await http.post(url, { form, headers });
  return { status: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> };
}

export async function getJson(url: string, headers: Record<string, string> = {}): Promise<JsonAnswer> {
  const response = await http.get(url, { headers });
  return { status: response.statusCode, body: JSON.parse(response.body) as Record<string, unknown> };
}

export function bearer(accessToken: string): Record<string, string> {
  return { authorization: `Zoho-oauthtoken ${accessToken}` };
}

export const CLIENT = { client_id: '1000.SIMCLIENT', client_secret: 'sim-secret' };

/** A fresh access token for the default client in `dc`, through the real token endpoint. */
export async function accessTokenFor(simulator: ZohoSimulator, dc = 'com', scope?: string): Promise<string> {
  const code = simulator.issueGrantCode({ dc, ...(scope ? { scope } : {}) });
  const { body } = await postForm(`${simulator.accountsUrl(dc)}/oauth/v2/token`, { ...CLIENT, grant_type: 'authorization_code', code });
  if (typeof body.access_token !== 'string') throw new Error(`No access token: ${JSON.stringify(body)}`);
  return body.access_token;
}

export async function subscribe(
  simulator: ZohoSimulator,
  accessToken: string,
  listkey: string,
  contactinfo: string,
  extra: Record<string, string> = {},
  dc = 'com',
): Promise<JsonAnswer> {
  return postForm(`${simulator.campaignsUrl(dc)}/api/v1.1/json/listsubscribe`, { listkey, resfmt: 'JSON', contactinfo, ...extra }, bearer(accessToken));
}

/** A controllable clock for expiry and rate windows. */
export function manualClock(start = Date.parse('2025-03-01T10:00:00Z')): { now: () => number; advance: (ms: number) => void } {
  let current = start;
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
}
