// `rotate-key`: after ENCRYPTION_KEY changed and the old key went to ENCRYPTION_KEY_PREVIOUS, the
// bridge still reads what the old key sealed, and rotate-key re-seals all of it under the new key.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateEncryptionKey, SecretBox } from '../../src/crypto/secret-box.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { runCli } from '../support/cli.ts';
import { sealedWithoutKeyId } from '../support/sealed.ts';

describe('cli: rotate-key', () => {
  const oldKey = generateEncryptionKey();
  const newKey = generateEncryptionKey();
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false, env: { ENCRYPTION_KEY: newKey, ENCRYPTION_KEY_PREVIOUS: oldKey } });
  });
  after(() => bridge.close());

  it('reads secrets sealed with the previous key, re-seals them all and says how many', async () => {
    const db = bridge.services.db;
    const old = new SecretBox(oldKey);
    // As a bridge that ran on the old key left them: one value from before key ids existed.
    await db.store.update({ where: { id: 'default' }, data: { webhookSecretEnc: sealedWithoutKeyId(oldKey, 'old-webhook-secret') } });
    await db.store.create({
      data: {
        id: 'second',
        name: 'Second',
        url: 'https://second.example',
        webhookSecretEnc: old.encrypt('second-secret'),
        restCredentialsEnc: old.encrypt('{"consumerKey":"ck_1","consumerSecret":"cs_1"}'),
      },
    });
    const connection = await db.zohoConnection.findUniqueOrThrow({ where: { id: 1 } });
    const refreshToken = bridge.services.repositories.zohoConnection.decryptRefreshToken(connection);
    await db.zohoConnection.update({ where: { id: 1 }, data: { refreshTokenEnc: old.encrypt(refreshToken), accessTokenEnc: old.encrypt('access-1') } });

    assert.equal((await bridge.services.repositories.stores.findWithSecret('default'))?.webhookSecret, 'old-webhook-secret');
    assert.equal((await bridge.services.repositories.stores.findWithSecret('second'))?.webhookSecret, 'second-secret');

    const run = await runCli(bridge, ['rotate-key']);
    assert.equal(run.exitCode, undefined, run.text());
    assert.match(run.text(), /Re-encrypted 5 stored secrets under the current key \(3 store secrets, 2 Zoho tokens\)/);

    const onlyNew = new SecretBox(newKey);
    const stores = await db.store.findMany({ orderBy: { id: 'asc' } });
    assert.deepEqual(
      stores.map((store) => onlyNew.decrypt(store.webhookSecretEnc!)),
      ['old-webhook-secret', 'second-secret'],
    );
    assert.equal(onlyNew.decrypt(stores[1]!.restCredentialsEnc!), '{"consumerKey":"ck_1","consumerSecret":"cs_1"}');
    const rotated = await db.zohoConnection.findUniqueOrThrow({ where: { id: 1 } });
    assert.equal(onlyNew.decrypt(rotated.refreshTokenEnc), refreshToken);
    assert.equal(onlyNew.decrypt(rotated.accessTokenEnc!), 'access-1');

    const again = await runCli(bridge, ['rotate-key']);
    assert.match(again.text(), /Re-encrypted 0 stored secrets/);
    assert.match(again.text(), /already sealed with the current key/);
  });
});
