// The owner's browser session: an encrypted, signed cookie (@fastify/secure-session) holding the
// CSRF secret, a one-time message and, once signed in, the id of a server-side session
// (src/access/owner-sessions.ts), which is what really signs the owner in: deleting its row ends
// the session whatever copies of the cookie exist. The cookie's key is derived from ENCRYPTION_KEY.
import type { SecureSessionPluginOptions } from '@fastify/secure-session';
import type { FastifyRequest } from 'fastify';
import type { SecretBox } from '../../crypto/secret-box.ts';

declare module '@fastify/secure-session' {
  interface SessionData {
    /** The server-side session's id, while signed in (see OwnerSessions). */
    session: string;
    /** A random id for this sign-in: OAuth states are bound to it. */
    sid: string;
    /** A one-time message for the next page ("Saved."). */
    flash: string;
    /** @fastify/csrf-protection's secret. */
    _csrf: string;
  }
}

/** Renew the cookie at most this often, not on every request. */
const RENEW_AFTER_SECONDS = 3600;

/** The cookie lives as long as a session may (SESSION_MAX_DAYS); the server ends it sooner when idle. */
export function sessionOptions(secrets: SecretBox, publicUrl: string, maxMs: number): SecureSessionPluginOptions {
  const secure = publicUrl.startsWith('https:');
  const seconds = Math.ceil(maxMs / 1000);
  return {
    key: secrets.deriveKey('owner-session-cookie'),
    // The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only, path /.
    cookieName: secure ? '__Host-wzb_session' : 'wzb_session',
    expiry: seconds,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: seconds },
  };
}

/** Slides the session's expiry forward while the owner keeps using the pages. */
export function renewIfOld(request: FastifyRequest): void {
  const issuedAt = Number(request.session.get('__ts'));
  if (Number.isFinite(issuedAt) && Date.now() / 1000 - issuedAt > RENEW_AFTER_SECONDS) request.session.touch();
}

/** Reads and clears the one-time message. */
export function takeFlash(request: FastifyRequest): string | undefined {
  const flash = request.session.get('flash');
  if (flash !== undefined) request.session.set('flash', undefined);
  return flash;
}

export function setFlash(request: FastifyRequest, message: string): void {
  request.session.set('flash', message);
}
