// The owner's browser session: an encrypted, signed cookie (@fastify/secure-session), so no
// session table is needed. Its key is derived from ENCRYPTION_KEY, so there is nothing extra to
// configure, and rotating ENCRYPTION_KEY signs everybody out.
import type { SecureSessionPluginOptions } from '@fastify/secure-session';
import type { FastifyRequest } from 'fastify';
import type { SecretBox } from '../../crypto/secret-box.ts';

declare module '@fastify/secure-session' {
  interface SessionData {
    /** Fingerprint of the password the owner signed in with (see OwnerAccount). */
    owner: string;
    /** A random id for this sign-in: OAuth states are bound to it. */
    sid: string;
    /** A one-time message for the next page ("Saved."). */
    flash: string;
    /** @fastify/csrf-protection's secret. */
    _csrf: string;
  }
}

/** Signed-in sessions end after a week without a visit (the cookie is renewed as it is used). */
export const SESSION_IDLE_SECONDS = 7 * 24 * 3600;
/** Renew the cookie at most this often, not on every request. */
const RENEW_AFTER_SECONDS = 3600;

export function sessionOptions(secrets: SecretBox, publicUrl: string): SecureSessionPluginOptions {
  const secure = publicUrl.startsWith('https:');
  return {
    key: secrets.deriveKey('owner-session-cookie'),
    // The __Host- prefix makes browsers refuse the cookie unless it is Secure, host-only, path /.
    cookieName: secure ? '__Host-wzb_session' : 'wzb_session',
    expiry: SESSION_IDLE_SECONDS,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure, maxAge: SESSION_IDLE_SECONDS },
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
