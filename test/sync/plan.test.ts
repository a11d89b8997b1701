import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planOperations } from '../../src/sync/plan.ts';

const info = { 'Contact Email': 'zoe@example.com', 'First Name': 'Zoë' };

describe('planOperations', () => {
  it('subscribes a new contact to every list it belongs on', () => {
    const operations = planOperations(
      { email: null, lists: [], fieldsHash: null },
      { email: 'zoe@example.com', lists: ['customers', 'active'], contactInfo: info, fieldsHash: 'h1' },
    );
    assert.deepEqual(
      operations.map((operation) => [operation.action, operation.listKey]),
      [
        ['subscribe', 'customers'],
        ['subscribe', 'active'],
      ],
    );
  });

  it('plans nothing when Zoho already shows this exact state (identical redelivery)', () => {
    const operations = planOperations(
      { email: 'zoe@example.com', lists: ['customers'], fieldsHash: 'h1' },
      { email: 'zoe@example.com', lists: ['customers'], contactInfo: info, fieldsHash: 'h1' },
    );
    assert.deepEqual(operations, []);
  });

  it('sends one listsubscribe to update changed fields', () => {
    const operations = planOperations(
      { email: 'zoe@example.com', lists: ['customers', 'active'], fieldsHash: 'old' },
      { email: 'zoe@example.com', lists: ['customers', 'active'], contactInfo: info, fieldsHash: 'new' },
    );
    assert.deepEqual(
      operations.map((operation) => [operation.action, operation.listKey]),
      [['subscribe', 'customers']],
    );
  });

  it('moves lists: joins the new and leaves the old', () => {
    const operations = planOperations(
      { email: 'zoe@example.com', lists: ['customers', 'active'], fieldsHash: 'h1' },
      { email: 'zoe@example.com', lists: ['customers', 'lapsed'], contactInfo: info, fieldsHash: 'h1' },
    );
    assert.deepEqual(
      operations.map((operation) => [operation.action, operation.listKey]),
      [
        ['subscribe', 'lapsed'],
        ['unsubscribe', 'active'],
      ],
    );
  });

  it('on an email change takes the old address off every list and adds the new one', () => {
    const operations = planOperations(
      { email: 'old@example.com', lists: ['customers', 'active'], fieldsHash: 'h1' },
      { email: 'zoe@example.com', lists: ['customers', 'active'], contactInfo: info, fieldsHash: 'h1' },
    );
    assert.deepEqual(
      operations.map((operation) => [operation.action, operation.email, operation.listKey]),
      [
        ['unsubscribe', 'old@example.com', 'customers'],
        ['unsubscribe', 'old@example.com', 'active'],
        ['subscribe', 'zoe@example.com', 'customers'],
        ['subscribe', 'zoe@example.com', 'active'],
      ],
    );
  });

  it('treats an email that differs only in case as the same address', () => {
    const operations = planOperations(
      { email: 'Zoe@Example.com', lists: ['customers'], fieldsHash: 'h1' },
      { email: 'zoe@example.com', lists: ['customers'], contactInfo: info, fieldsHash: 'h1' },
    );
    assert.deepEqual(operations, []);
  });

  it('never sends a fields-only update to a double opt-in list (it could resend the confirmation)', () => {
    const quiet = planOperations(
      { email: 'zoe@example.com', lists: ['doi'], fieldsHash: 'old' },
      { email: 'zoe@example.com', lists: ['doi'], contactInfo: info, fieldsHash: 'new', quietLists: ['doi'] },
    );
    assert.deepEqual(quiet, []);
    const elsewhere = planOperations(
      { email: 'zoe@example.com', lists: ['doi', 'customers'], fieldsHash: 'old' },
      { email: 'zoe@example.com', lists: ['doi', 'customers'], contactInfo: info, fieldsHash: 'new', quietLists: ['doi'] },
    );
    assert.deepEqual(
      elsewhere.map((operation) => [operation.action, operation.listKey]),
      [['subscribe', 'customers']],
    );
  });

  it('sends every list again when the owner asks (resend), but not a double opt-in list they are on, and leaves only where the bridge put them', () => {
    const operations = planOperations(
      { email: 'zoe@example.com', lists: ['customers', 'active', 'doi', 'lapsed'], fieldsHash: 'h1' },
      { email: 'zoe@example.com', lists: ['customers', 'active', 'doi'], contactInfo: info, fieldsHash: 'h1', quietLists: ['doi'], resend: true },
    );
    assert.deepEqual(
      operations.map((operation) => [operation.action, operation.listKey]),
      [
        ['subscribe', 'customers'],
        ['subscribe', 'active'],
        ['unsubscribe', 'lapsed'],
      ],
    );
  });
});
