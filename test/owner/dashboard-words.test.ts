// The dashboard's pieces that need no server: Zoho's answers in plain words, who an event is about,
// reading the sync log's filter from a query, and the settings form in both directions.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { filterFrom, filterParams } from '../../src/sync-log/event-filter.ts';
import { explainAttempt, explainEvent, statusLabelOf, type AttemptFacts } from '../../src/sync-log/explanations.ts';
import { personOf } from '../../src/sync-log/people.ts';
import { settingsForm, settingsFromForm } from '../../src/http/admin/settings-form.ts';

const call = (facts: Partial<AttemptFacts>): AttemptFacts => ({
  action: 'subscribe',
  outcome: 'permanent',
  zohoCode: null,
  zohoMessage: null,
  httpStatus: 200,
  listName: 'Customers',
  ...facts,
});

describe('Zoho’s answers in plain words', () => {
  it('names the fix for answers that need the owner', () => {
    assert.equal(
      explainAttempt(call({ zohoCode: '2004', zohoMessage: 'Invalid contact email address.' })).text,
      "Zoho says this email address is not valid. Fix it in WooCommerce (the customer's account email), then press Retry.",
    );
    assert.equal(explainAttempt(call({ zohoCode: '2501' })).text, 'The chosen list no longer exists in Zoho: choose a list in Settings, then press Retry.');
    assert.match(explainAttempt(call({ zohoCode: '2005' })).text, /group addresses such as info@/);
    assert.match(
      explainAttempt(call({ zohoCode: '9999', zohoMessage: 'Something new' })).text,
      /^Zoho answered “Something new” \(code 9999\) and will answer the same until something changes/,
    );
  });

  it('says passing problems fix themselves, until the bridge has stopped trying', () => {
    const timeout = call({ outcome: 'retry', httpStatus: null, zohoMessage: 'Zoho did not answer in time (timeout).' });
    assert.equal(explainAttempt(timeout).text, 'Zoho did not answer in time. The bridge tries again by itself; there is nothing to do.');
    assert.equal(explainAttempt(timeout, true).text, 'Zoho did not answer in time. The bridge has stopped trying: press Retry to send it again.');
    assert.match(explainAttempt(call({ outcome: 'retry', httpStatus: 502 })).text, /^Zoho had a problem on its side \(HTTP 502\)\./);
    assert.match(explainAttempt(call({ outcome: 'rate_limited', zohoCode: '2008' })).text, /^Zoho’s limit of calls was reached/);
    assert.match(explainAttempt(call({ outcome: 'auth', zohoCode: '1007' })).text, /Needs reconnecting/);
    assert.match(explainAttempt(call({ outcome: 'retry', zohoCode: '2101' })).text, /^Zoho asked to try again later\./);
    assert.equal(explainAttempt(call({ outcome: 'done', action: 'unsubscribe', listName: 'Lapsed' })).text, 'Zoho took the customer off Lapsed.');
  });

  it('explains an event from its status and its calls', () => {
    const refused = call({ zohoCode: '2004' });
    assert.match(explainEvent({ status: 'failed', statusReason: 'x' }, [refused]).text, /^Zoho says this email address is not valid/);
    assert.equal(
      explainEvent({ status: 'synced', statusReason: null }, [
        refused,
        call({ outcome: 'done' }),
        call({ outcome: 'done', action: 'unsubscribe', listName: 'Lapsed' }),
      ]).text,
      'Put on Customers; Taken off Lapsed.',
    );
    assert.match(
      explainEvent({ status: 'synced', statusReason: 'Zoho already matches this state; no call needed.' }, []).text,
      /^Zoho already had this customer’s newest details/,
    );
    assert.equal(
      explainEvent({ status: 'coalesced', statusReason: 'Applied together with event #12.' }, []).text,
      'Sent to Zoho together with change #12, which carried this customer’s newest details.',
    );
    assert.equal(
      explainEvent({ status: 'skipped', statusReason: 'Users with the role "administrator" are not synced.' }, []).text,
      'Users with the role "administrator" are not synced.',
    );
    assert.match(
      explainEvent({ status: 'queued', statusReason: 'Attempt 1 of 8 failed, will retry' }, [call({ outcome: 'retry', httpStatus: 503 })]).text,
      /^Not accepted by Zoho yet\. Zoho had a problem on its side \(HTTP 503\)\. The bridge tries again by itself/,
    );
  });
});

describe('who an event is about', () => {
  it('reads a customer delivery, and a subscription through its customer', () => {
    assert.deepEqual(
      personOf('customer.updated', { id: 7, email: 'ana@example.com', first_name: 'Ana', last_name: '', billing: { last_name: 'Ng' } }, undefined),
      {
        name: 'Ana Ng',
        email: 'ana@example.com',
        customerId: '7',
        subscriptionId: undefined,
      },
    );
    const contact = { email: 'ana@example.com', customerId: 7, snapshot: { first_name: 'Ana', last_name: 'Ng' } };
    assert.deepEqual(personOf('subscription.updated', { id: 90, customer_id: 7, billing: { first_name: 'A.', email: 'billing@example.com' } }, contact), {
      name: 'Ana Ng',
      email: 'ana@example.com',
      customerId: '7',
      subscriptionId: '90',
    });
    assert.deepEqual(personOf('customer.deleted', { id: 7 }, contact), {
      name: 'Ana Ng',
      email: 'ana@example.com',
      customerId: '7',
      subscriptionId: undefined,
    });
    assert.deepEqual(personOf('customer.created', 'not an object', undefined), {
      name: undefined,
      email: undefined,
      customerId: undefined,
      subscriptionId: undefined,
    });
  });
});

describe('the sync log filter', () => {
  it('keeps what it understands and drops the rest', () => {
    assert.deepEqual(
      filterFrom({ status: 'failed', topic: 'customer.updated', store: 'outlet', from: '2025-07-01', to: '2025-07-31', q: ' ana@example.com ' }),
      {
        status: 'failed',
        topic: 'customer.updated',
        store: 'outlet',
        from: '2025-07-01',
        to: '2025-07-31',
        q: 'ana@example.com',
      },
    );
    assert.deepEqual(filterFrom({ status: 'everything', from: '2025-13-45', to: 'tomorrow', q: ['a', 'b'], topic: '' }), {
      status: undefined,
      topic: undefined,
      store: undefined,
      from: undefined,
      to: undefined,
      q: undefined,
    });
    assert.equal(filterParams(filterFrom({ status: 'failed', q: 'a b' })).toString(), 'status=failed&q=a+b');
  });
});

describe('the settings form', () => {
  const defaults = { customersList: 'list-c', roles: ['customer', 'subscriber'] };

  it('turns a submitted form into settings, rows and ticked lists included', () => {
    assert.deepEqual(
      settingsFromForm({
        list_customers: 'list-c',
        list_activeSubscribers: '',
        'status_on-hold': 'keep',
        status_cancelled: 'lists',
        status_cancelled_lists: ['list-l', 'list-x'],
        status_active: 'default',
        status_active_lists: 'ignored-unless-lists',
        onCustomerDeleted: 'keep',
        roles: ' customer ,, wholesale ',
        consent_metaKey: 'opt_in',
        source: ['first_name', '', 'meta:tier'],
        zohoField: ['First Name', '', 'Tier'],
      }),
      {
        lists: { customers: 'list-c' },
        statusLists: { 'on-hold': 'keep', cancelled: ['list-l', 'list-x'] },
        onCustomerDeleted: 'keep',
        fieldMapping: [
          { source: 'first_name', zohoField: 'First Name' },
          { source: 'meta:tier', zohoField: 'Tier' },
        ],
        roles: ['customer', 'wholesale'],
        consent: { metaKey: 'opt_in' },
      },
    );
  });

  it('shows stored settings with the defaults filled in and three empty mapping rows', () => {
    const form = settingsForm({ lists: { lapsed: 'list-l' }, statusLists: { expired: [] } }, defaults, (key) => key.toUpperCase());
    assert.deepEqual(form.lists, { customers: 'list-c', activeSubscribers: '', lapsed: 'list-l' });
    const expired = form.statuses.find((entry) => entry.status === 'expired')!;
    assert.deepEqual([expired.mode, expired.lists, expired.defaultWords], ['lists', [], 'on LIST-L']);
    assert.equal(form.statuses.find((entry) => entry.status === 'on-hold')!.defaultWords, 'keep lists as they are');
    assert.equal(form.mapping.length, 8 + 3);
    assert.equal(form.roles, '');
    assert.equal(form.defaultRoles, 'customer, subscriber');
  });
});

describe('saying exactly what a change did', () => {
  it('names both addresses of an email change', () => {
    const text = explainEvent({ status: 'synced', statusReason: null }, [
      call({ outcome: 'done', action: 'unsubscribe', email: 'old@example.com' }),
      call({ outcome: 'done', action: 'subscribe', email: 'new@example.com' }),
    ]).text;
    assert.equal(text, 'Email changed from old@example.com to new@example.com: old@example.com taken off Customers; new@example.com put on Customers.');
  });

  it('says "Sent to Zoho" only when a call sent something', () => {
    assert.deepEqual(statusLabelOf('synced', [call({ outcome: 'done' })]), { label: 'Sent to Zoho', tone: 'ok' });
    assert.deepEqual(statusLabelOf('synced', []), { label: 'Nothing to send', tone: 'neutral' });
    assert.deepEqual(statusLabelOf('synced', [call({ outcome: 'retry' })]), { label: 'Nothing to send', tone: 'neutral' });
    assert.equal(statusLabelOf('failed', []).label, 'Failed');
  });
});
