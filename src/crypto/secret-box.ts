// Encrypts secrets at rest (webhook secrets, Zoho tokens) with AES-256-GCM. The format carries a
// version so the key or algorithm can be rotated later without guessing what a value is.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const FORMAT = 'v1';
const IV_BYTES = 12;

export class SecretBox {
  readonly #key: Buffer;

  constructor(keyBase64: string) {
    const key = Buffer.from(keyBase64, 'base64');
    if (key.length !== 32) throw new Error('The encryption key must be 32 bytes (base64).');
    this.#key = key;
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#key, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [FORMAT, iv, tag, ciphertext].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
  }

  /**
   * A 32-byte key for another purpose (e.g. the session cookie), derived with HKDF-SHA256 so that
   * ENCRYPTION_KEY stays the only secret to configure and no derived key reveals it or another.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#key, Buffer.alloc(0), `woo-zoho-bridge:${purpose}`, 32));
  }

  decrypt(sealed: string): string {
    const [format, iv, tag, ciphertext] = sealed.split('.');
    if (format !== FORMAT || !iv || !tag || ciphertext === undefined) {
      throw new Error('Not a value sealed by this bridge (unknown format).');
    }
    const decipher = createDecipheriv('aes-256-gcm', this.#key, Buffer.from(iv, 'base64url'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new Error('Could not decrypt a stored secret: ENCRYPTION_KEY differs from the key it was sealed with.');
    }
  }
}

export function generateEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}
