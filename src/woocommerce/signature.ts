// WooCommerce signs the exact body bytes it sends: base64(HMAC-SHA256(body, secret))
// (docs/woocommerce-webhooks.md, "Signature"). Verification must run over the raw bytes, never re-serialised JSON.
import { createHmac, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing_signature' | 'bad_signature' | 'no_secret'; detail: string };

export function signBody(body: Buffer | string, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}

export function verifySignature(body: Buffer, signatureHeader: string | undefined, secret: string | undefined): SignatureCheck {
  // An empty key makes the HMAC forgeable by anyone (docs/woocommerce-webhooks.md, "Signature"), so refuse outright.
  if (!secret) {
    return {
      ok: false,
      reason: 'no_secret',
      detail: 'This store has no webhook secret configured, so no delivery can be trusted yet.',
    };
  }
  if (!signatureHeader) {
    return {
      ok: false,
      reason: 'missing_signature',
      detail: 'The X-WC-Webhook-Signature header is missing.',
    };
  }
  const expected = createHmac('sha256', secret).update(body).digest();
  const given = Buffer.from(signatureHeader.trim(), 'base64');
  // timingSafeEqual needs equal lengths; comparing lengths first leaks nothing useful.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return {
      ok: false,
      reason: 'bad_signature',
      detail: 'X-WC-Webhook-Signature does not match the body. Check that the secret in WooCommerce equals the one shown for this store in the bridge.',
    };
  }
  return { ok: true };
}
