// HTTP face of one DC's Campaigns API: `${baseUrl}/dc/${dc}/campaigns/api/v1.1/...`. Every call
// passes the same gate, in this order: access token (of THIS DC), scope, per-endpoint rate limit.
import type { CampaignsEnvelope } from './campaigns-envelope.ts';
import { URI_OF } from './campaigns-envelope.ts';
import { addListSubscribersInBulk } from './bulk-handler.ts';
import { listSubscribe, listUnsubscribe } from './contact-handlers.ts';
import type { FieldDefinition } from './contact-fields.ts';
import { json, type Answer, type Handler, type RequestContext, type Route } from './http-kit.ts';
import { getAllFields, getListSubscribers, getMailingLists } from './list-handlers.ts';
import type { MailingLists } from './mailing-lists.ts';
import type { EndpointRateLimiter } from './rate-limiter.ts';
import type { TokenLedger } from './token-ledger.ts';
import type { CampaignsEndpoint, CannedResponse, ZohoSimulatorOptions } from './types.ts';

export interface CampaignsRouteDeps {
  ledger: TokenLedger;
  limiter: EndpointRateLimiter;
  lists: MailingLists;
  fields: FieldDefinition[];
  envelope: CampaignsEnvelope;
  invalidTokenResponse: NonNullable<ZohoSimulatorOptions['invalidTokenResponse']>;
  lockoutResponse: CannedResponse;
}

const READ_SCOPES = ['contact.READ', 'contact.ALL'];
const CREATE_SCOPES = ['contact.CREATE', 'contact.CREATE-UPDATE', 'contact.WRITE', 'contact.ALL'];
const UPDATE_SCOPES = ['contact.UPDATE', 'contact.CREATE-UPDATE', 'contact.WRITE', 'contact.ALL'];

const ENDPOINTS: Array<[CampaignsEndpoint, readonly string[], string[], (deps: CampaignsRouteDeps, req: RequestContext) => Answer]> = [
  ['getmailinglists', ['GET'], READ_SCOPES, getMailingLists],
  ['listsubscribe', ['POST'], UPDATE_SCOPES, listSubscribe],
  ['listunsubscribe', ['POST'], UPDATE_SCOPES, listUnsubscribe],
  ['allfields', ['GET'], READ_SCOPES, getAllFields],
  ['getlistsubscribers', ['GET', 'POST'], READ_SCOPES, getListSubscribers],
  ['addlistsubscribersinbulk', ['POST'], CREATE_SCOPES, addListSubscribersInBulk],
];

/** Routes keyed by the path after `/dc/<dc>/campaigns`, e.g. `/api/v1.1/json/listsubscribe`. */
export function campaignsRoutes(deps: CampaignsRouteDeps): Map<string, Route> {
  return new Map(
    ENDPOINTS.map(([endpoint, methods, scopes, handler]) => [
      URI_OF[endpoint],
      { endpoint, methods, handle: gated(deps, endpoint, scopes, (req) => handler(deps, req)) },
    ]),
  );
}

/** A wrong URL (or a wrong method, which Zoho's docs never allow) answers like this [L]/[U]. */
export function wrongUrl(): Answer {
  return json({ status: 'error', code: '1004', message: 'Wrong URL entered.' });
}

function gated(deps: CampaignsRouteDeps, endpoint: CampaignsEndpoint, scopes: string[], handler: Handler): Handler {
  return (request) => {
    // Only the documented `Zoho-oauthtoken` scheme; a `Bearer` header is treated as no token [U].
    const token = /^Zoho-oauthtoken\s+(\S+)$/i.exec(request.headers.authorization ?? '')?.[1];
    const access = token === undefined ? undefined : deps.ledger.authenticate(token, request.dc);
    if (!access) return invalidToken(deps.invalidTokenResponse);
    if (!hasScope(access.scopes, scopes)) {
      // [U] the privilege code from the error table; Zoho documents no OAuth-scope error here.
      return deps.envelope.error(endpoint, '2706', 'Insufficient privilege.');
    }
    // One simulated Zoho account per DC, so the DC identifies the account being limited.
    if (!deps.limiter.admit(request.dc, endpoint).admitted) {
      return json(deps.lockoutResponse.body, deps.lockoutResponse.status);
    }
    return handler(request);
  };
}

function hasScope(granted: string[], accepted: string[]): boolean {
  const lower = new Set(granted.map((s) => s.toLowerCase()));
  return accepted.some((scope) => lower.has(`zohocampaigns.${scope}`.toLowerCase()));
}

function invalidToken(choice: CampaignsRouteDeps['invalidTokenResponse']): Answer {
  const body = { status: 'error', code: '1007', message: 'Unauthorized key.' };
  if (choice === 'code-1007') return json(body);
  if (choice === 'http-401') return json(body, 401);
  return json(choice.body, choice.status);
}
