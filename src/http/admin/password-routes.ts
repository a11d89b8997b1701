// Changing the owner's password (/admin/password). It signs out every other browser; this one
// gets a fresh session. With ADMIN_PASSWORD set the page only says where the password comes from.
import type { FastifyInstance } from 'fastify';
import type { ApiTokens } from '../../access/api-tokens.ts';
import { MIN_PASSWORD_LENGTH, type OwnerAccount } from '../../access/owner-account.ts';
import { formField } from './form.ts';
import type { OwnerOnly } from './route-options.ts';
import { renderPage } from './pages.ts';
import { setFlash } from './session.ts';
import { attemptLimit, startSession, TOKENS_TO_REVIEW } from './sign-in-routes.ts';

export interface PasswordRouteOptions extends OwnerOnly {
  owner: OwnerAccount;
  apiTokens: Pick<ApiTokens, 'count'>;
  /** ADMIN_PASSWORD is set: the password is changed there, not on the page. */
  fromSettings: boolean;
}

export async function passwordRoutes(app: FastifyInstance, options: PasswordRouteOptions): Promise<void> {
  const { owner, apiTokens, fromSettings, ownerOnly } = options;
  const page = { title: 'Change your password', minLength: MIN_PASSWORD_LENGTH, fromSettings };

  app.get('/admin/password', { preHandler: ownerOnly }, async (request, reply) => renderPage(request, reply, 'password', page));

  app.post('/admin/password', { preHandler: ownerOnly, config: attemptLimit }, async (request, reply) => {
    const again = (error: string, statusCode = 400) => renderPage(request, reply, 'password', { ...page, error }, statusCode);
    if (fromSettings) return again('The password is set by the ADMIN_PASSWORD setting: change it there.', 409);
    const password = formField(request.body, 'password');
    if (password !== formField(request.body, 'confirm')) return again('The two new passwords are not the same. Type them again.');
    const result = await owner.changePassword(formField(request.body, 'current'), password);
    if (result.outcome !== 'changed') {
      return result.outcome === 'wrong-password'
        ? again('Your current password is not right. Try again.', 401)
        : again(`The new password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
    }
    request.log.warn({ endedSessions: result.endedSessions }, 'Owner changed the dashboard password; every other browser is signed out');
    startSession(request, result.sessionId);
    if ((await apiTokens.count()) > 0) {
      setFlash(request, `Password changed; every other browser is signed out. ${TOKENS_TO_REVIEW}`);
      return reply.redirect('/admin/api-tokens', 303);
    }
    setFlash(request, 'Password changed; every other browser is signed out.');
    return reply.redirect('/admin', 303);
  });
}
