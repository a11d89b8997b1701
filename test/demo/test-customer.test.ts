// `npm run send-test-delivery` and the README's curl example tell one story: the same email is the
// same customer (same id), names are as given or come from the email, so not everyone is the same person.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { testCustomer } from '../../scripts/test-customer.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('the test customer of send-test-delivery', () => {
  it("is the customer the README's curl example sends for the same email, and its printed line agrees", () => {
    const body = JSON.parse(/^BODY='(.+)'$/m.exec(README)![1]!) as Record<string, unknown>;
    const ana = testCustomer(String(body.email), { firstName: 'Ana' });
    assert.deepEqual(
      { id: body.id, first_name: body.first_name, last_name: body.last_name },
      { id: ana.id, first_name: ana.firstName, last_name: ana.lastName },
    );
    assert.ok(README.includes(`# Sent customer.created for customer ${ana.id}, Ana ${ana.lastName} <ana@example.com>.`));
    assert.ok(README.includes('npm run send-test-delivery -- --email ana@example.com --first-name Ana'));
  });

  it('keeps one id per email, and names as given or from the email', () => {
    assert.equal(testCustomer('Ana@Example.com ').id, testCustomer('ana@example.com').id);
    assert.notEqual(testCustomer('ana@example.com').id, testCustomer('ben@example.com').id);
    assert.deepEqual([testCustomer('zoe.muller@example.com').firstName, testCustomer('zoe.muller@example.com').lastName], ['Zoe', 'Muller']);
    assert.equal(testCustomer('ben@example.com').firstName, 'Ben');
    assert.deepEqual(testCustomer('x@example.com', { id: '42', firstName: 'Łukasz', lastName: 'Kowalski' }), {
      ...testCustomer('x@example.com'),
      id: 42,
      firstName: 'Łukasz',
      lastName: 'Kowalski',
    });
    const surnames = new Set(['ana', 'ben', 'chloe', 'dmitri', 'emma', 'farah'].map((name) => testCustomer(`${name}@example.com`).lastName));
    assert.ok(surnames.size >= 3, `surnames vary: ${[...surnames].join(', ')}`);
  });
});
