import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateEncryptionKey, SecretBox } from '../../src/crypto/secret-box.ts';

describe('SecretBox', () => {
  it('round-trips a secret and never stores it in clear', () => {
    const box = new SecretBox(generateEncryptionKey());
    const sealed = box.encrypt('1000.refresh-token-värde');
    assert.doesNotMatch(sealed, /refresh-token/);
    assert.equal(box.decrypt(sealed), '1000.refresh-token-värde');
    assert.notEqual(box.encrypt('same'), box.encrypt('same'));
  });

  it('refuses to decrypt with another key or after tampering, saying why', () => {
    const sealed = new SecretBox(generateEncryptionKey()).encrypt('secret');
    assert.throws(() => new SecretBox(generateEncryptionKey()).decrypt(sealed), /ENCRYPTION_KEY differs/);
    assert.throws(() => new SecretBox(generateEncryptionKey()).decrypt('plain text'), /unknown format/);
  });

  it('rejects keys that are not 32 bytes', () => {
    assert.throws(() => new SecretBox(Buffer.alloc(16).toString('base64')), /32 bytes/);
  });
});
