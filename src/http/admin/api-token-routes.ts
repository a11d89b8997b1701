// API access (/admin/api-tokens): tokens for the JSON API at /api/v1. A new token is shown on the
// answer page, once; the bridge keeps only its hash.
import type { FastifyInstance } from 'fastify';
import type { ApiTokens } from '../../access/api-tokens.ts';
import { formField } from './form.ts';
import type { OwnerOnly } from './route-options.ts';
import { renderPage } from './pages.ts';
import { setFlash } from './session.ts';

export interface ApiTokenRouteOptions extends OwnerOnly {
  apiTokens: ApiTokens;
  publicUrl: string;
}

export async function apiTokenRoutes(app: FastifyInstance, options: ApiTokenRouteOptions): Promise<void> {
  const { apiTokens: tokens, publicUrl, ownerOnly } = options;

  app.get('/admin/api-tokens', { preHandler: ownerOnly }, async (request, reply) =>
    renderPage(request, reply, 'api-tokens', {
      title: 'API access',
      section: 'api',
      tokens: (await tokens.list()).map((token) => ({ ...token, id: token.id.toString() })),
      apiUrl: `${publicUrl}/api/v1`,
    }),
  );

  app.post('/admin/api-tokens', { preHandler: ownerOnly }, async (request, reply) => {
    const { token, record } = await tokens.create(formField(request.body, 'name'));
    request.log.info({ tokenId: record.id.toString() }, 'Owner made an API token');
    return renderPage(request, reply, 'api-token-shown', { title: 'New API token', section: 'api', token, name: record.name, apiUrl: `${publicUrl}/api/v1` });
  });

  app.post<{ Params: { id: string } }>('/admin/api-tokens/:id/revoke', { preHandler: ownerOnly }, async (request, reply) => {
    const revoked = /^\d{1,18}$/.test(request.params.id) && (await tokens.revoke(BigInt(request.params.id)));
    if (revoked) request.log.info({ tokenId: request.params.id }, 'Owner revoked an API token');
    setFlash(request, revoked ? 'The token is revoked: it no longer opens the API.' : 'That token was already revoked.');
    return reply.redirect('/admin/api-tokens', 303);
  });
}
