// What every owner page needs: the sign-in check, rendering with the layout's data (CSRF token,
// flash message), and safe redirects. Templates live in ./views and escape everything by default.
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { OwnerAccount } from '../../access/owner-account.ts';
import { formatDate, formatNumber } from '../../readable.ts';
import { formatIn } from '../../sync-log/time-zones.ts';
import { renewIfOld, takeFlash } from './session.ts';

/**
 * Sends anyone who is not the signed-in owner to the sign-in page (or, before a password exists,
 * to the page that claims the bridge). A session ended on the server (signed out, password
 * changed, run out) no longer counts, whatever cookie the browser still sends.
 */
export function requireOwner(owner: OwnerAccount): preHandlerAsyncHookHandler {
  return async function checkOwner(request, reply) {
    const sessionId = request.session.get('session');
    if (!(await owner.sessions.isLive(sessionId))) {
      if (sessionId !== undefined) request.session.set('session', undefined);
      if (!(await owner.hasPassword())) return reply.redirect('/admin/setup', 303);
      // Only admin pages are remembered: an OAuth callback URL carries a one-time code.
      const next = request.method === 'GET' && request.url.startsWith('/admin') ? request.url : '/admin';
      return reply.redirect(`/admin/login?next=${encodeURIComponent(next)}`, 303);
    }
    renewIfOld(request);
    zones.set(request, await owner.timeZone());
  };
}

/** The signed-in owner's time zone, per request (looked up by requireOwner). */
const zones = new WeakMap<FastifyRequest, string | undefined>();

/** The owner's time zone for this request; undefined means UTC. */
export function timeZoneOf(request: FastifyRequest): string | undefined {
  return zones.get(request);
}

/** A moment for a page: in the owner's zone, with the UTC time on hover and for machines. */
function timeElement(zone: string | undefined): (date: Date | undefined) => string {
  return (date) => {
    if (!date || Number.isNaN(date.getTime())) return '';
    // Only digits, letters and punctuation from the formatters: nothing here needs escaping.
    return `<time datetime="${date.toISOString()}" title="${formatDate(date)}">${formatIn(zone, date)}</time>`;
  };
}

/** Whether the cookie names a session (for the page layout; requireOwner checks it on the server). */
export function isSignedIn(request: FastifyRequest): boolean {
  return typeof request.session.get('session') === 'string';
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
    // How every page writes a moment and a count (src/readable.ts, src/sync-log/time-zones.ts):
    // `when` as text, `at` as a <time> element with the UTC time on hover (insert it unescaped).
    when: (date: Date | undefined) => formatIn(timeZoneOf(request), date),
    at: timeElement(timeZoneOf(request)),
    timeZone: timeZoneOf(request) ?? 'UTC',
    number: formatNumber,
    // This page's address, for forms that come back to it (e.g. Retry on a row of the log).
    here: request.url,
    ...data,
    csrfToken: reply.generateCsrf(),
    signedIn: isSignedIn(request),
    flash: takeFlash(request),
  });
}

const BRIDGE = 'http://bridge.invalid';

/**
 * Where to go after signing in: a dashboard page of this bridge, else /admin. Browsers read a
 * Location header loosely (they drop tabs and line breaks, and take a backslash for "/"), so
 * anything with those is refused, and the path must still name /admin after the URL parser has
 * resolved it. The answer is the parser's own serialisation, safe to put in a header.
 */
export function safeNextPath(next: unknown): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what this refuses.
  if (typeof next !== 'string' || !next.startsWith('/') || /[\u0000-\u001f\u007f\\]/.test(next)) return '/admin';
  let url: URL;
  try {
    url = new URL(next, BRIDGE);
  } catch {
    return '/admin';
  }
  const path = url.pathname;
  if (url.origin !== BRIDGE || !(path === '/admin' || path.startsWith('/admin/'))) return '/admin';
  return `${path}${url.search}${url.hash}`;
}
