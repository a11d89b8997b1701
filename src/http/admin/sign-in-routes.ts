// Signing in and out, and choosing the password on first run. Attempts are rate-limited per
// address in Redis (every process shares the count); scrypt makes each guess slow as well.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { MIN_PASSWORD_LENGTH, type OwnerAccount } from '../../owner/owner-account.ts';
import { formField, queryField } from './form.ts';
import { isSignedIn, renderPage, safeNextPath } from './pages.ts';

/** Sign-in and password-choice attempts per address per window. */
const ATTEMPTS = 10;
const ATTEMPT_WINDOW = '15 minutes';

export async function signInRoutes(app: FastifyInstance, options: { owner: OwnerAccount }): Promise<void> {
  const { owner } = options;
  const attemptLimit = {
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

  app.get('/admin/login', async (request, reply) => {
    if (!(await owner.hasPassword())) return reply.redirect('/admin/setup', 303);
    const next = safeNextPath(queryField(request.query, 'next'));
    if (isSignedIn(request) && (await owner.currentFingerprint()) === request.session.get('owner')) return reply.redirect(next, 303);
    return renderPage(request, reply, 'login', { title: 'Sign in', next });
  });

  app.post('/admin/login', { config: attemptLimit }, async (request, reply) => {
    const next = safeNextPath(formField(request.body, 'next'));
    const fingerprint = await owner.signIn(formField(request.body, 'password'));
    if (!fingerprint) {
      request.log.info('Owner sign-in refused: wrong password');
      return renderPage(request, reply, 'login', { title: 'Sign in', next, error: 'That password is not right. Try again.' }, 401);
    }
    startSession(request, fingerprint);
    return reply.redirect(next, 303);
  });

  app.get('/admin/setup', async (request, reply) => {
    if (await owner.hasPassword()) return reply.redirect('/admin/login', 303);
    return renderPage(request, reply, 'setup', { title: 'Choose your password', minLength: MIN_PASSWORD_LENGTH });
  });

  app.post('/admin/setup', { config: attemptLimit }, async (request, reply) => {
    const password = formField(request.body, 'password');
    const again = (error: string) =>
      renderPage(request, reply, 'setup', { title: 'Choose your password', minLength: MIN_PASSWORD_LENGTH, error }, 400);
    if (password !== formField(request.body, 'confirm')) return again('The two passwords are not the same. Type them again.');
    const result = await owner.choosePassword(password);
    if (result === 'too-short') return again(`The password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
    if (result === 'already-set') return reply.redirect('/admin/login', 303);
    request.log.info('Owner password chosen');
    startSession(request, (await owner.signIn(password))!);
    return reply.redirect('/admin', 303);
  });

  app.post('/admin/logout', async (request, reply) => {
    request.session.delete();
    return reply.redirect('/admin/login', 303);
  });
}

/** A fresh session on every sign-in, so a session id planted before it is worth nothing. */
function startSession(request: FastifyRequest, fingerprint: string): void {
  request.session.regenerate();
  request.session.set('owner', fingerprint);
  request.session.set('sid', randomBytes(16).toString('base64url'));
}
