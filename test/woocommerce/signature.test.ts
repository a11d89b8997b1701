import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signBody, verifySignature } from '../../src/woocommerce/signature.ts';
import { fixtureBytes, TEST_SECRET } from '../support/woocommerce.ts';

// Test vectors from docs/woocommerce-webhooks.md, "Signature", produced by PHP's hash_hmac over the exact bytes.
describe('WooCommerce signature', () => {
  it('matches the documented signature of the PHP-encoded customer.created body', () => {
    const body = fixtureBytes('customer-created-42.json');
    assert.equal(body.length, 1056);
    assert.equal(signBody(body, TEST_SECRET), 'nFt3PXA+1y6K8Jt5kovkUoEgPhygDQPP2TqfSaZMh7Y=');
    assert.deepEqual(verifySignature(body, 'nFt3PXA+1y6K8Jt5kovkUoEgPhygDQPP2TqfSaZMh7Y=', TEST_SECRET), { ok: true });
  });

  it('matches the documented subscription.updated and customer.deleted vectors', () => {
    const body = fixtureBytes('subscription-updated-1351-cancelled.json');
    assert.equal(signBody(body, TEST_SECRET), 'swPo5vjSWw4q1pp69Jt3qjd+ykFgMTGXEYLPuOdGZuc=');
    assert.equal(signBody(Buffer.from('{"id":42}'), TEST_SECRET), 'AcddkWX2Ad1Ig5gkJNDIK3krFbqdiCLtFdtQyQog9sM=');
    assert.equal(signBody(Buffer.from('secret'), ''), 'GBDo00G55h6IiV+6CxqivQPLbI//KzaOZm747971tPs=');
  });

  it('fails when the body was re-serialised by JSON.stringify', () => {
    const body = fixtureBytes('customer-created-42.json');
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(body.toString('utf8'))));
    assert.notEqual(reserialised.length, body.length);
    const result = verifySignature(reserialised, signBody(body, TEST_SECRET), TEST_SECRET);
    assert.equal(result.ok, false);
    assert.equal(result.ok === false && result.reason, 'bad_signature');
  });

  it('names a missing header, a wrong signature and a store without secret differently', () => {
    const body = Buffer.from('{"id":42}');
    const missing = verifySignature(body, undefined, TEST_SECRET);
    const wrong = verifySignature(body, signBody(body, 'another-secret'), TEST_SECRET);
    const truncated = verifySignature(body, 'AcddkWX2', TEST_SECRET);
    // An empty secret makes the HMAC forgeable, so even a "correct" one is refused.
    const noSecret = verifySignature(body, signBody(body, ''), '');
    assert.equal(missing.ok === false && missing.reason, 'missing_signature');
    assert.equal(wrong.ok === false && wrong.reason, 'bad_signature');
    assert.equal(truncated.ok === false && truncated.reason, 'bad_signature');
    assert.equal(noSecret.ok === false && noSecret.reason, 'no_secret');
  });
});
