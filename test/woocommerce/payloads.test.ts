import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customerPayload, deletedPayload, modifiedAtOf, payloadProblem, restErrorOf, subscriptionPayload } from '../../src/woocommerce/payloads.ts';
import { phpJsonEncode } from '../../src/woocommerce/php-json.ts';
import { fixtureBytes, fixtureJson } from '../support/woocommerce.ts';

describe('WooCommerce payloads', () => {
  it('decodes PHP escapes in the customer fixture into the real names', () => {
    const customer = customerPayload.parse(JSON.parse(fixtureBytes('customer-created-42.json').toString('utf8')));
    assert.equal(customer.first_name, 'Zoë');
    assert.equal(customer.last_name, 'Müller');
    assert.equal(customer.billing.address_1, 'Hauptstraße 5');
  });

  it('re-encodes the documented fixtures byte for byte as PHP json_encode does', () => {
    for (const name of ['customer-created-42.json', 'subscription-updated-1351-cancelled.json']) {
      assert.equal(phpJsonEncode(fixtureJson(name)), fixtureBytes(name).toString('utf8'));
    }
  });

  it('accepts the loose shapes WooCommerce really sends', () => {
    // Empty objects arrive as [] after PHP's assoc decode; ids may be strings (docs/woocommerce-webhooks.md, "Body bytes").
    const customer = customerPayload.parse({ id: '42', email: 'a@example.com', shipping: [], billing: [], meta_data: [] });
    assert.equal(customer.id, 42);
    assert.deepEqual(customer.shipping, {});
    const v1 = subscriptionPayload.parse({
      id: 7,
      status: 'active',
      customer_id: 3,
      billing: { email: 'b@example.com' },
      date_modified: '2025-01-02T03:04:05',
    });
    assert.equal(v1.status, 'active');
    assert.equal(modifiedAtOf({ date_modified: '2025-01-02T03:04:05' })?.toISOString(), '2025-01-02T03:04:05.000Z');
  });

  it('prefers date_modified_gmt, which is UTC, over the local date', () => {
    const date = modifiedAtOf(fixtureJson('customer-created-42.json'));
    assert.equal(date?.toISOString(), '2025-03-14T09:21:08.000Z');
  });

  it('recognises a REST error object delivered instead of a resource', () => {
    assert.deepEqual(restErrorOf({ code: 'woocommerce_rest_invalid_id', message: 'Invalid ID.', data: { status: 404 } }), {
      code: 'woocommerce_rest_invalid_id',
      message: 'Invalid ID.',
    });
    assert.equal(restErrorOf(fixtureJson('customer-created-42.json')), undefined);
  });

  it('explains which field makes a payload unusable', () => {
    assert.match(payloadProblem('customer.updated', { email: 'x@example.com' }) ?? '', /"id"/);
    assert.match(payloadProblem('customer.updated', [1, 2]) ?? '', /not usable/);
    assert.equal(payloadProblem('customer.deleted', { id: 42 }), undefined);
    assert.match(payloadProblem('subscription.updated', { id: 1 }) ?? '', /"status"/);
  });

  it('refuses at the door exactly the payloads the worker could not parse', () => {
    // The receiver checks without copying the payload; it must still agree with the whole schema.
    const cases: Array<[string, typeof customerPayload | typeof subscriptionPayload | typeof deletedPayload, Record<string, unknown>]> = [
      ['customer.updated', customerPayload, fixtureJson('customer-created-42.json') as Record<string, unknown>],
      ['subscription.updated', subscriptionPayload, fixtureJson('subscription-updated-1351-cancelled.json') as Record<string, unknown>],
      ['customer.deleted', deletedPayload, { id: 42 }],
    ];
    const oddValues: unknown[] = [undefined, null, '', 'x', '7', 7, 7.5, -1, true, [], [1], {}, { a: 1 }, [{ key: 1 }], [{ key: 'k', value: {} }]];
    let compared = 0;
    for (const [topic, schema, payload] of cases) {
      for (const field of [...Object.keys(payload), 'id', 'status', 'customer_id', 'billing', 'meta_data']) {
        for (const value of oddValues) {
          const changed = { ...payload, [field]: value };
          const usable = payloadProblem(topic, changed) === undefined;
          assert.equal(usable, schema.safeParse(changed).success, `${topic} with ${field} = ${JSON.stringify(value)}`);
          compared++;
        }
      }
      const billing = (payload.billing ?? {}) as Record<string, unknown>;
      for (const value of oddValues) {
        const changed = { ...payload, billing: { ...billing, email: value } };
        assert.equal(payloadProblem(topic, changed) === undefined, schema.safeParse(changed).success, `${topic} with billing.email = ${JSON.stringify(value)}`);
      }
    }
    assert.ok(compared > 500, `compared ${compared} payloads`);
  });
});
