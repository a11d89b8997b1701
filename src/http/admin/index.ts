// The store owner's web pages. One encapsulated plugin, so its cookies, CSRF checks, form parsing
// and HTML error pages never touch the webhook routes. It registers sign-in itself; every page
// behind sign-in is registered by `pages` (the composition root, src/http-wiring.ts, which hands
// each its use cases) and gets all of that, and ownerOnly, for free.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import csrfProtection from '@fastify/csrf-protection';
import formBody from '@fastify/formbody';
import rateLimit from '@fastify/rate-limit';
import secureSession from '@fastify/secure-session';
import view from '@fastify/view';
import { Eta } from 'eta';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RedisClient } from '../../redis/connection.ts';
import type { ApiTokens } from '../../access/api-tokens.ts';
import type { OwnerAccount } from '../../access/owner-account.ts';
import type { SecretBox } from '../../crypto/secret-box.ts';
import type { OwnerOnly } from './route-options.ts';
import { renderPage, requireOwner } from './pages.ts';
import { sessionOptions } from './session.ts';
import { signInRoutes } from './sign-in-routes.ts';

const VIEWS = fileURLToPath(new URL('./views', import.meta.url));
const STYLESHEET = readFileSync(new URL('./assets/admin.css', import.meta.url), 'utf8');
const LIVE_SCRIPT = readFileSync(new URL('./assets/live.js', import.meta.url), 'utf8');

/**
 * Owner pages only ever load their own stylesheet and script file (never inline script), fetch
 * their own live JSON and post to themselves.
 */
const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // The OAuth callback URL carries a one-time code: it must not leak to another site.
  'referrer-policy': 'no-referrer',
};

export interface OwnerPagesOptions {
  owner: OwnerAccount;
  apiTokens: Pick<ApiTokens, 'count'>;
  /** Seals the session cookie. */
  secrets: SecretBox;
  publicUrl: string;
  sessionMaxMs: number;
  /** Where sign-in attempts are counted, shared by every server process. */
  redis: RedisClient;
  redisPrefix: string;
  /** Templates are compiled once and cached. */
  production: boolean;
  /** Registers the pages behind sign-in, each with the use cases it needs. */
  pages: (app: FastifyInstance, guard: OwnerOnly) => Promise<void>;
}

export async function ownerPages(app: FastifyInstance, options: OwnerPagesOptions): Promise<void> {
  await app.register(formBody, { bodyLimit: 16_384 });
  await app.register(secureSession, sessionOptions(options.secrets, options.publicUrl, options.sessionMaxMs));
  await app.register(csrfProtection, { sessionPlugin: '@fastify/secure-session' });
  // Counts live in Redis, shared by every server process. If Redis is down sign-in still works:
  // scrypt keeps each guess slow.
  await app.register(rateLimit, {
    global: false,
    redis: options.redis,
    nameSpace: `${options.redisPrefix}:rate-limit:`,
    skipOnError: true,
  });
  await app.register(view, {
    engine: { eta: new Eta({ views: VIEWS, autoEscape: true }) },
    root: VIEWS,
    production: options.production,
  });

  app.addHook('onSend', async (_request, reply) => {
    reply.headers(SECURITY_HEADERS);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  // Every state-changing form carries the session's CSRF token (@fastify/csrf-protection).
  app.addHook('preHandler', (request, reply, done) => {
    if (request.method === 'GET' || request.method === 'HEAD') return done();
    app.csrfProtection(request, reply, done);
  });
  app.setErrorHandler(htmlErrorHandler);

  app.get('/admin/assets/admin.css', async (_request, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'public, max-age=3600').send(STYLESHEET),
  );
  app.get('/admin/assets/live.js', async (_request, reply) =>
    reply.type('text/javascript; charset=utf-8').header('cache-control', 'public, max-age=3600').send(LIVE_SCRIPT),
  );

  await app.register(signInRoutes, { owner: options.owner, apiTokens: options.apiTokens });
  await options.pages(app, { ownerOnly: requireOwner(options.owner) });
}

/** Errors on owner pages are pages too, in words; 5xx details stay in the log. */
async function htmlErrorHandler(this: FastifyInstance, error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
  const csrf = error.code === 'FST_CSRF_MISSING_SECRET' || error.code === 'FST_CSRF_INVALID_TOKEN';
  if (statusCode >= 500) request.log.error({ err: error }, 'Owner page failed');
  else request.log.info({ code: error.code, statusCode }, `Owner page refused: ${error.message}`);
  const page = csrf
    ? {
        title: 'This form has expired',
        message: 'For your safety the bridge only accepts forms it showed you itself, recently. Go back, reload the page and try again.',
      }
    : statusCode === 429
      ? { title: 'Too many attempts', message: error.message }
      : statusCode >= 500
        ? { title: 'Something went wrong', message: 'Something went wrong inside the bridge. The details are in its log; try again in a moment.' }
        : { title: 'That did not work', message: error.message };
  try {
    return await renderPage(request, reply, 'error', { ...page, backTo: request.url.startsWith('/admin/login') ? '/admin/login' : '/admin' }, statusCode);
  } catch (renderError) {
    request.log.error({ err: renderError }, 'Could not render the error page');
    return reply.code(statusCode).type('text/plain; charset=utf-8').send(`${page.title}. ${page.message}`);
  }
}
