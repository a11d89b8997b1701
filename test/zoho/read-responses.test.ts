import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fieldDisplayNamesOf, subscriberEmailsOf } from '../../src/zoho/read-responses.ts';

describe('reading Zoho Campaigns read answers', () => {
  it('reads contact/allfields display names at response.fieldnames.fieldname[]', () => {
    const body = {
      status: 'success',
      code: 0,
      response: {
        fieldnames: {
          fieldname: [{ DISPLAY_NAME: 'Contact Email', FIELD_NAME: 'contact_email' }, { DISPLAY_NAME: 'Loyalty Tier' }, { FIELD_NAME: 'nameless' }],
        },
      },
    };
    assert.deepEqual(fieldDisplayNamesOf(body), ['Contact Email', 'Loyalty Tier']);
  });

  it('accepts a single field given as an object, and says when there is no field list at all', () => {
    assert.deepEqual(fieldDisplayNamesOf({ response: { fieldnames: { fieldname: { DISPLAY_NAME: 'Contact Email' } } } }), ['Contact Email']);
    assert.equal(fieldDisplayNamesOf({ status: 'success' }), undefined);
  });

  it('reads subscriber emails from list_of_details', () => {
    assert.deepEqual(subscriberEmailsOf({ list_of_details: [{ contact_email: 'a@example.com' }, { zuid: '1' }] }), ['a@example.com']);
    assert.deepEqual(subscriberEmailsOf({ code: '2502' }), []);
  });
});
