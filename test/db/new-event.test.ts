// A delivery made storable: texts taken from the request lose any NUL (Postgres text cannot hold
// one), and the usual delivery, with none, keeps its headers object as it is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type NewEvent, storableEvent } from '../../src/db/new-event.ts';

const event = (overrides: Partial<NewEvent> = {}): NewEvent => ({
  storeId: 'default',
  topic: 'customer.created',
  resource: 'customer',
  resourceId: '42',
  contactKey: '42',
  webhookId: '7',
  deliveryId: 'abc',
  bodySha256: '00',
  body: Buffer.from('{"id":42}'),
  headers: { 'x-wc-webhook-topic': 'customer.created', 'user-agent': 'WooCommerce' },
  modifiedAt: undefined,
  status: 'received',
  statusReason: undefined,
  ...overrides,
});

describe('storableEvent', () => {
  it('puts U+FFFD in place of a NUL in any text, headers included', () => {
    const stored = storableEvent(event({ deliveryId: 'a\u0000b', headers: { 'user-agent': 'Woo\u0000Commerce', 'x-wc-webhook-id': '7' } }));
    assert.equal(stored.deliveryId, 'a\uFFFDb');
    assert.deepEqual(stored.headers, { 'user-agent': 'Woo\uFFFDCommerce', 'x-wc-webhook-id': '7' });
  });

  it('keeps the headers object of a delivery without a NUL, and its bytes untouched', () => {
    const plain = event();
    const stored = storableEvent(plain);
    assert.equal(stored.headers, plain.headers);
    assert.equal(stored.body, plain.body);
    assert.deepEqual(stored, plain);
  });
});
