// Signing in and out, and claiming the bridge on first run with the one-time setup code. Attempts
// are rate-limited per address in Redis (every process shares the count); scrypt makes each
// password guess slow, and a setup code has ~98 bits.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ApiTokens } from '../../access/api-tokens.ts';
import { MIN_PASSWORD_LENGTH, type OwnerAccount } from '../../access/owner-account.ts';
import { formField, queryField } from './form.ts';
import { renderPage, safeNextPath } from './pages.ts';
import { setFlash } from './session.ts';

/** Sign-in, setup and password-change attempts per address per window. */
const ATTEMPTS = 10;
const ATTEMPT_WINDOW = '15 minutes';

export const attemptLimit = {
  rateLimit: {
    max: ATTEMPTS,
    timeWindow: ATTEMPT_WINDOW,
    errorResponseBuilder: (_request: FastifyRequest, context: { after: string }) =>
      Object.assign(new Error(`Too many sign-in attempts from your address. Wait ${context.after} and try again.`), {
        statusCode: 429,
        code: 'too_many_attempts',
      }),
  },
};

export const TOKENS_TO_REVIEW = 'API tokens made before this password still open the JSON API. Keep the ones you know and revoke the others.';

export async function signInRoutes(app: FastifyInstance, options: { owner: OwnerAccount; apiTokens: Pick<ApiTokens, 'count'> }): Promise<void> {
  const { owner, apiTokens } = options;
  const setupPage = { title: 'Claim your bridge', minLength: MIN_PASSWORD_LENGTH };

  app.get('/admin/login', async (request, reply) => {
    if (!(await owner.hasPassword())) return reply.redirect('/admin/setup', 303);
    const next = safeNextPath(queryField(request.query, 'next'));
    if (await owner.sessions.isLive(request.session.get('session'))) return reply.redirect(next, 303);
    // A session ended on the server: the page must not offer to sign out of it.
    request.session.set('session', undefined);
    return renderPage(request, reply, 'login', { title: 'Sign in', next });
  });

  app.post('/admin/login', { config: attemptLimit }, async (request, reply) => {
    const next = safeNextPath(formField(request.body, 'next'));
    const sessionId = await owner.signIn(formField(request.body, 'password'));
    if (!sessionId) {
      request.log.info('Owner sign-in refused: wrong password');
      return renderPage(request, reply, 'login', { title: 'Sign in', next, error: 'That password is not right. Try again.' }, 401);
    }
    startSession(request, sessionId);
    return reply.redirect(next, 303);
  });

  app.get('/admin/setup', async (request, reply) => {
    if (await owner.hasPassword()) return reply.redirect('/admin/login', 303);
    return renderPage(request, reply, 'setup', setupPage);
  });

  app.post('/admin/setup', { config: attemptLimit }, async (request, reply) => {
    const password = formField(request.body, 'password');
    const again = (error: string, statusCode = 400) => renderPage(request, reply, 'setup', { ...setupPage, error }, statusCode);
    if (password !== formField(request.body, 'confirm')) return again('The two passwords are not the same. Type them again.');
    const result = await owner.claim(formField(request.body, 'code'), password);
    switch (result.outcome) {
      case 'too-short':
        return again(`The password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
      case 'wrong-code':
        request.log.info('Dashboard claim refused: wrong or used setup code');
        return again(
          'That setup code is not right, or it has been used. Copy it again from the bridge’s log or its setup code file; every restart makes a new one.',
          401,
        );
      case 'already-set':
        return reply.redirect('/admin/login', 303);
      case 'claimed':
        break;
    }
    request.log.warn('Dashboard claimed with the setup code: owner password chosen');
    startSession(request, result.sessionId);
    if ((await apiTokens.count()) > 0) {
      setFlash(request, TOKENS_TO_REVIEW);
      return reply.redirect('/admin/api-tokens', 303);
    }
    return reply.redirect('/admin', 303);
  });

  app.post('/admin/logout', async (request, reply) => {
    await owner.sessions.end(request.session.get('session'));
    request.session.delete();
    return reply.redirect('/admin/login', 303);
  });
}

/** A fresh cookie on every sign-in, so a cookie planted before it is worth nothing. */
export function startSession(request: FastifyRequest, sessionId: string): void {
  request.session.regenerate();
  request.session.set('session', sessionId);
  // OAuth states are bound to this other random id, so Redis never holds the session's.
  request.session.set('sid', randomBytes(16).toString('base64url'));
}
