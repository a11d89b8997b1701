// Values sealed the way older bridges sealed them, for tests of the migration path.
import { createCipheriv, randomBytes } from 'node:crypto';

/** A value as bridges sealed them before key ids: v1.<iv>.<tag>.<ciphertext>. */
export function sealedWithoutKeyId(keyBase64: string, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', Buffer.from(keyBase64, 'base64'), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv, cipher.getAuthTag(), ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}
