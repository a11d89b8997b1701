// The JSON API at /api/v1: the sync log's reads and actions for other programs, opened by a bearer
// token the owner makes on the dashboard (only its hash is stored). It is a plugin of its own, so
// no session cookie is ever read here: being signed in to the dashboard does not open the API,
// and without cookies there is nothing for a forged cross-site request to ride on (no CSRF).
import swagger from '@fastify/swagger';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiTokens } from '../../access/api-tokens.ts';
import { contactActionApiRoutes, type ContactActionApiOptions } from './contact-action-routes.ts';
import { eventApiRoutes, type EventApiOptions } from './event-routes.ts';
import { forgetApiRoutes, type ForgetApiOptions } from './forget-routes.ts';
import { readApiRoutes, type ReadApiOptions } from './read-routes.ts';

export const API_PREFIX = '/api/v1';

export interface JsonApiOptions extends EventApiOptions, ReadApiOptions, ForgetApiOptions, ContactActionApiOptions {
  /** Checks the bearer token of every request. */
  apiTokens: Pick<ApiTokens, 'verify'>;
  publicUrl: string;
}

export async function jsonApi(app: FastifyInstance, options: JsonApiOptions): Promise<void> {
  const { apiTokens: tokens, publicUrl, ...routes } = options;
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'woo-zoho-bridge API',
        version: '1',
        description:
          'The sync log of the WooCommerce → Zoho Campaigns bridge: read changes and their outcome, retry or discard failed ones. ' +
          'Every request needs `Authorization: Bearer <token>`; tokens are made on the dashboard’s API page.',
      },
      servers: [{ url: publicUrl }],
      components: { securitySchemes: { bearerToken: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearerToken: [] }],
    },
  });
  // Answers carry customers' data: no browser may guess another type for them, and no cache keep them.
  app.addHook('onSend', async (_request, reply) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('cache-control', 'no-store');
  });
  // The description itself is public: it holds no data, and tools fetch it without a token.
  app.get(`${API_PREFIX}/openapi.json`, { schema: { hide: true } }, async () => app.swagger());

  await app.register(async (api) => {
    api.addHook('onRequest', async (request, reply) => {
      const header = request.headers.authorization;
      const token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
      if (!(await tokens.verify(token))) {
        return reply
          .code(401)
          .header('www-authenticate', 'Bearer realm="woo-zoho-bridge"')
          .send({ ok: false, error: 'unauthorized', message: 'Send a token made on the dashboard’s API page as "Authorization: Bearer <token>".' });
      }
    });
    api.setErrorHandler(apiErrorHandler);
    await api.register(eventApiRoutes, { ...routes, prefix: API_PREFIX });
    await api.register(readApiRoutes, { ...routes, prefix: API_PREFIX });
    await api.register(forgetApiRoutes, { ...routes, prefix: API_PREFIX });
    await api.register(contactActionApiRoutes, { ...routes, prefix: API_PREFIX });
  });
}

async function apiErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.validation) return reply.code(400).send({ ok: false, error: 'invalid_request', message: error.message });
  const statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  if (statusCode >= 500) {
    request.log.error({ err: error }, 'API request failed');
    return reply.code(500).send({ ok: false, error: 'internal_error', message: 'Something went wrong inside the bridge; the details are in its log.' });
  }
  return reply.code(statusCode).send({ ok: false, error: error.code ?? 'error', message: error.message });
}
