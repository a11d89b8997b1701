import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateEncryptionKey, keyIdOf, SecretBox } from '../../src/crypto/secret-box.ts';
import { sealedWithoutKeyId } from '../support/sealed.ts';

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

describe('SecretBox key ids and previous keys', () => {
  const oldKey = generateEncryptionKey();
  const newKey = generateEncryptionKey();

  it('names the sealing key in every value, by an id derived from the key', () => {
    const box = new SecretBox(newKey);
    const sealed = box.encrypt('secret');
    assert.equal(sealed.split('.')[1], keyIdOf(Buffer.from(newKey, 'base64')));
    assert.equal(box.currentKeyId, keyIdOf(Buffer.from(newKey, 'base64')));
    assert.equal(box.isSealedWithOldKey(sealed), false);
    assert.notEqual(new SecretBox(oldKey).currentKeyId, box.currentKeyId);
  });

  it('opens values sealed with a previous key, but seals only with the current one', () => {
    const sealedBefore = new SecretBox(oldKey).encrypt('webhook-secret');
    const box = new SecretBox(newKey, [oldKey]);
    assert.equal(box.decrypt(sealedBefore), 'webhook-secret');
    assert.equal(box.isSealedWithOldKey(sealedBefore), true);
    assert.equal(new SecretBox(newKey).decrypt(box.encrypt('x')), 'x');
    assert.throws(() => new SecretBox(oldKey).decrypt(box.encrypt('x')), /ENCRYPTION_KEY_PREVIOUS/);
  });

  it('still opens values sealed before key ids existed, with the current or a previous key', () => {
    assert.equal(new SecretBox(oldKey).decrypt(sealedWithoutKeyId(oldKey, 'legacy')), 'legacy');
    assert.equal(new SecretBox(newKey, [oldKey]).decrypt(sealedWithoutKeyId(oldKey, 'legacy')), 'legacy');
    assert.equal(new SecretBox(newKey).isSealedWithOldKey(sealedWithoutKeyId(newKey, 'legacy')), true);
    assert.throws(() => new SecretBox(newKey).decrypt(sealedWithoutKeyId(oldKey, 'legacy')), /ENCRYPTION_KEY differs/);
  });

  it('says a value was altered rather than blaming the key', () => {
    const box = new SecretBox(newKey);
    const parts = box.encrypt('secret').split('.');
    parts[4] = Buffer.from('tampered').toString('base64url');
    assert.throws(() => box.decrypt(parts.join('.')), /altered/);
  });
});
