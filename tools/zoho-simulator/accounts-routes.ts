// HTTP face of one DC's accounts server: `${baseUrl}/dc/${dc}/accounts/...`. The OAuth logic
// lives in ZohoAccounts; these handlers only translate HTTP in and out.
import type { DataCentre } from './datacenters.ts';
import { locations } from './datacenters.ts';
import { basicAuthCredentials, escapeHtml, html, json, redirect, type Answer, type RequestContext, type Route } from './http-kit.ts';
import type { ZohoAccounts } from './zoho-accounts.ts';

export interface AccountsRouteDeps {
  accounts: ZohoAccounts;
  throttleStatus: 200 | 400;
  accountsUrlOf: (dc: DataCentre) => string;
}

/** Routes keyed by the path after `/dc/<dc>/accounts`. */
export function accountsRoutes(deps: AccountsRouteDeps): Map<string, Route> {
  const { accounts } = deps;
  return new Map<string, Route>([
    // Every DC's auth endpoint works: multi-DC apps start at accounts.zoho.com whatever the
    // user's DC, and the callback names the user's DC (docs/zoho-api.md, "Authorization").
    ['/oauth/v2/auth', { endpoint: 'auth', methods: ['GET'], handle: (req) => authorize(accounts, req) }],
    ['/oauth/v2/token', { endpoint: 'token', methods: ['POST'], handle: (req) => token(deps, req) }],
    ['/oauth/v2/token/revoke', { endpoint: 'revoke', methods: ['POST'], handle: (req) => revoke(accounts, req) }],
    ['/oauth/serverinfo', { endpoint: 'serverinfo', methods: ['GET'], handle: () => serverInfo(deps) }],
  ]);
}

function authorize(accounts: ZohoAccounts, request: RequestContext): Answer {
  const answer = accounts.authorize(request.params);
  if ('redirectTo' in answer) return redirect(answer.redirectTo);
  // Zoho shows an HTML error page here; the error name is in the title for tests to read.
  const page =
    `<!DOCTYPE html><html><head><title>${escapeHtml(answer.errorPage)}</title></head>` +
    `<body><h1>Invalid request</h1><p id="error">${escapeHtml(answer.errorPage)}</p></body></html>`;
  return html(page, 400);
}

function token(deps: AccountsRouteDeps, request: RequestContext): Answer {
  const params = { ...basicAuthCredentials(request.headers.authorization), ...request.params };
  const answer = deps.accounts.grantToken(params, request.dc);
  // Zoho answers token errors with HTTP 200 and an `error` key; only the throttle's status varies.
  return json(answer.body, answer.throttled ? deps.throttleStatus : 200);
}

function revoke(accounts: ZohoAccounts, request: RequestContext): Answer {
  const revoked = accounts.revoke(request.params.token ?? '', request.dc);
  // [U] bodies: Zoho documents only the HTTP 400 for an invalid token (docs/zoho-api.md, "Tokens").
  return revoked ? json({ status: 'success' }) : json({ error: 'invalid_token', status: 'failure' }, 400);
}

/** `/oauth/serverinfo` in the shape third-party code reads (`result`, `locations`) [U]. */
function serverInfo(deps: AccountsRouteDeps): Answer {
  const byLocation = Object.fromEntries(locations().map(([dc, location]) => [location, deps.accountsUrlOf(dc)]));
  return json({ result: 'success', locations: byLocation });
}
