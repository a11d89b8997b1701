// The browser flow that connects Zoho Campaigns (docs/zoho-api.md, "Authorization"): /oauth/zoho/start sends the
// signed-in owner to Zoho; /oauth/zoho/callback checks the state, exchanges the code at once at
// the accounts server Zoho named (only if it is one of Zoho's), and goes on to choosing lists.
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Config } from '../../config.ts';
import type { ZohoConnector } from '../../zoho/connector.ts';
import { callbackDataCentre, zohoAuthorizationUrl } from '../../zoho/authorization.ts';
import type { ZohoDataCentre } from '../../zoho-names.ts';
import { DATA_CENTRE_NAMES } from '../../zoho/data-centres.ts';
import { problemPage, type BrowserConnectProblem } from './connect-problems.ts';
import { queryField } from './form.ts';
import type { OAuthStates } from './oauth-state.ts';
import { renderPage } from './pages.ts';
import { setFlash } from './session.ts';

export const CALLBACK_PATH = '/oauth/zoho/callback';

export interface ZohoOAuthRoutesOptions {
  connector: ZohoConnector;
  states: OAuthStates;
  publicUrl: string;
  /** The OAuth client and Zoho's hosts (ZOHO_CLIENT_ID, ZOHO_DC, ZOHO_ACCOUNTS_URL…). */
  zoho: Config['zoho'];
  ownerOnly: preHandlerAsyncHookHandler;
}

export async function zohoOAuthRoutes(app: FastifyInstance, options: ZohoOAuthRoutesOptions): Promise<void> {
  const { connector, states, publicUrl, zoho, ownerOnly } = options;
  const redirectUri = `${publicUrl}${CALLBACK_PATH}`;

  const showProblem = async (
    request: FastifyRequest,
    reply: FastifyReply,
    problem: BrowserConnectProblem,
    context: { dataCentre?: ZohoDataCentre; detail?: string } = {},
  ) => {
    const page = problemPage(problem, {
      dataCentreName: context.dataCentre ? DATA_CENTRE_NAMES[context.dataCentre] : undefined,
      redirectUri,
      detail: context.detail,
    });
    request.log.warn({ problem }, `Connecting Zoho failed: ${page.title}`);
    const status = await connector.status();
    return renderPage(request, reply, 'connect-problem', { ...page, connection: status }, page.statusCode);
  };

  app.get('/oauth/zoho/start', { preHandler: ownerOnly }, async (request, reply) => {
    const clientId = zoho.clientId;
    if (!connector.clientConfigured || !clientId) return showProblem(request, reply, 'not_configured');
    const state = await states.issue(request.session.get('sid')!);
    return reply.redirect(zohoAuthorizationUrl({ clientId, redirectUri, state, hosts: zoho }), 302);
  });

  app.get(CALLBACK_PATH, { preHandler: ownerOnly }, async (request, reply) => {
    const query = request.query;
    // The state is taken before anything else, so the same answer is never exchanged twice.
    const state = await states.take(queryField(query, 'state'), request.session.get('sid'));
    if (state === 'used') return showProblem(request, reply, 'invalid_code');
    if (state === 'unknown') return showProblem(request, reply, 'state_mismatch');

    const error = queryField(query, 'error');
    if (error) return showProblem(request, reply, error === 'access_denied' ? 'consent_denied' : 'other', { detail: error });
    const code = queryField(query, 'code');
    if (!code) return showProblem(request, reply, 'other', { detail: 'no code in the answer' });
    const dataCentre = callbackDataCentre(queryField(query, 'accounts-server'), queryField(query, 'location'), zoho);
    if (!dataCentre) return showProblem(request, reply, 'unknown_server');

    const result = await connector.connectWithCode({ code, dataCentre, redirectUri, origin: 'browser' });
    if (!result.ok) return showProblem(request, reply, result.problem, { dataCentre, detail: result.detail });
    setFlash(request, `Zoho Campaigns is connected (${DATA_CENTRE_NAMES[dataCentre]}). Now choose the list(s) your customers go on.`);
    return reply.redirect('/admin/zoho/lists', 303);
  });
}
