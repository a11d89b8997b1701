// Encrypts secrets at rest (webhook secrets, Zoho tokens) with AES-256-GCM. Each sealed value names
// the key that sealed it (a key id derived from the key), so the key can be changed without
// guessing: ENCRYPTION_KEY seals, the previous keys only open, and `woo-zoho-bridge rotate-key`
// re-seals what is stored under the current key (docs/security.md, "Key rotation").
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';

/** v2 carries a key id; v1 (no key id) is what bridges sealed before, still opened by trying each key. */
const FORMAT = 'v2';
const FORMAT_WITHOUT_KEY_ID = 'v1';
const IV_BYTES = 12;

interface Key {
  id: string;
  bytes: Buffer;
}

/** 6 bytes of a hash of the key: names the key in a sealed value without revealing anything useful about it. */
export function keyIdOf(key: Buffer): string {
  return createHash('sha256').update('woo-zoho-bridge key id\0').update(key).digest().subarray(0, 6).toString('base64url');
}

function keyFrom(keyBase64: string): Key {
  const bytes = Buffer.from(keyBase64, 'base64');
  if (bytes.length !== 32) throw new Error('The encryption key must be 32 bytes (base64).');
  return { id: keyIdOf(bytes), bytes };
}

export class SecretBox {
  readonly #current: Key;
  /** The current key first, then the previous ones (they only open). */
  readonly #keys: Key[];

  constructor(keyBase64: string, previousKeysBase64: readonly string[] = []) {
    this.#current = keyFrom(keyBase64);
    this.#keys = [this.#current, ...previousKeysBase64.map(keyFrom).filter((key) => key.id !== this.#current.id)];
  }

  /** The id of the key new values are sealed with. */
  get currentKeyId(): string {
    return this.#current.id;
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.#current.bytes, iv);
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const tag = cipher.getAuthTag();
    return [FORMAT, this.#current.id, ...[iv, tag, ciphertext].map((part) => part.toString('base64url'))].join('.');
  }

  /** Whether the value was sealed with another key than the current one (or with no key id): rotate-key re-seals it. */
  isSealedWithOldKey(sealed: string): boolean {
    const [format, keyId] = sealed.split('.');
    return !(format === FORMAT && keyId === this.#current.id);
  }

  /**
   * A 32-byte key for another purpose (e.g. the session cookie), derived with HKDF-SHA256 so that
   * ENCRYPTION_KEY stays the only secret to configure and no derived key reveals it or another.
   */
  deriveKey(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.#current.bytes, Buffer.alloc(0), `woo-zoho-bridge:${purpose}`, 32));
  }

  decrypt(sealed: string): string {
    const parts = sealed.split('.');
    if (parts[0] === FORMAT && parts.length === 5) {
      const [, keyId, iv, tag, ciphertext] = parts as [string, string, string, string, string];
      const key = this.#keys.find((candidate) => candidate.id === keyId);
      if (!key) {
        throw new Error(
          `Could not decrypt a stored secret: ENCRYPTION_KEY differs from the key it was sealed with (key id ${keyId}; ` +
            `ENCRYPTION_KEY's id is ${this.#current.id}), and no key in ENCRYPTION_KEY_PREVIOUS has that id (docs/security.md, "Key rotation").`,
        );
      }
      const opened = open(key, iv, tag, ciphertext);
      if (opened === undefined) throw new Error('Could not decrypt a stored secret: it was altered after it was sealed.');
      return opened;
    }
    if (parts[0] === FORMAT_WITHOUT_KEY_ID && parts.length === 4) {
      const [, iv, tag, ciphertext] = parts as [string, string, string, string];
      for (const key of this.#keys) {
        const opened = open(key, iv, tag, ciphertext);
        if (opened !== undefined) return opened;
      }
      throw new Error(
        'Could not decrypt a stored secret: ENCRYPTION_KEY differs from the key it was sealed with, and no key in ' +
          'ENCRYPTION_KEY_PREVIOUS opens it (docs/security.md, "Key rotation").',
      );
    }
    throw new Error('Not a value sealed by this bridge (unknown format).');
  }
}

/** The plaintext, or undefined when this key does not open the value (wrong key, or tampered). */
function open(key: Key, iv: string, tag: string, ciphertext: string): string | undefined {
  const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}

export function generateEncryptionKey(): string {
  return randomBytes(32).toString('base64');
}
