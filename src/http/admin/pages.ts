// What every owner page needs: the sign-in check, rendering with the layout's data (CSRF token,
// flash message), and safe redirects. Templates live in ./views and escape everything by default.
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { OwnerAccount } from '../../owner/owner-account.ts';
import { formatDate, formatNumber } from '../../owner/readable.ts';
import { renewIfOld, takeFlash } from './session.ts';

/**
 * Sends anyone who is not the signed-in owner to the sign-in page (or, before a password exists,
 * to the page that chooses it). Sessions made with a previous password no longer count.
 */
export function requireOwner(owner: OwnerAccount): preHandlerAsyncHookHandler {
  return async function checkOwner(request, reply) {
    const fingerprint = await owner.currentFingerprint();
    if (!fingerprint) return reply.redirect('/admin/setup', 303);
    if (request.session.get('owner') !== fingerprint) {
      // Only admin pages are remembered: an OAuth callback URL carries a one-time code.
      const next = request.method === 'GET' && request.url.startsWith('/admin') ? request.url : '/admin';
      return reply.redirect(`/admin/login?next=${encodeURIComponent(next)}`, 303);
    }
    renewIfOld(request);
  };
}

export function isSignedIn(request: FastifyRequest): boolean {
  return typeof request.session.get('owner') === 'string';
}

/** Renders `template` in the layout. Every form on the page gets the same CSRF token. */
export function renderPage(
  request: FastifyRequest,
  reply: FastifyReply,
  template: string,
  data: Record<string, unknown> & { title: string },
  statusCode = 200,
): FastifyReply {
  return reply.code(statusCode).view(template, {
    // How every page writes a moment and a count (src/owner/readable.ts).
    when: formatDate,
    number: formatNumber,
    ...data,
    csrfToken: reply.generateCsrf(),
    signedIn: isSignedIn(request),
    flash: takeFlash(request),
  });
}

/** A same-site path to go to after signing in; anything else (//evil, https://…) becomes /admin. */
export function safeNextPath(next: unknown): string {
  if (typeof next !== 'string' || !/^\/(?![/\\])/.test(next)) return '/admin';
  return next;
}
