import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildContactInfo, fieldsHash, readSource } from '../../src/sync/field-mapping.ts';
import { DEFAULT_FIELD_MAPPING } from '../../src/sync/store-settings.ts';
import { fixtureJson } from '../support/woocommerce.ts';

describe('field mapping', () => {
  it('maps the documented customer to Zoho display names, leaving empty values out', () => {
    const contactInfo = buildContactInfo('zoe.muller@example.com', fixtureJson('customer-created-42.json'), DEFAULT_FIELD_MAPPING);
    assert.deepEqual(contactInfo, {
      'Contact Email': 'zoe.muller@example.com',
      'First Name': 'Zoë',
      'Last Name': 'Müller',
      Phone: '+49 30 1234567',
      City: 'Berlin',
      Country: 'DE',
      'Zip Code': '10115',
    });
  });

  it('falls back to billing names when the account names are empty', () => {
    const snapshot = { first_name: '', billing: { first_name: 'Ana' } };
    assert.equal(readSource(snapshot, 'first_name'), 'Ana');
  });

  it('reads meta_data values by key', () => {
    const snapshot = { meta_data: [{ id: 1, key: 'newsletter_opt_in', value: 'yes' }] };
    assert.equal(readSource(snapshot, 'meta:newsletter_opt_in'), 'yes');
    assert.equal(readSource(snapshot, 'meta:missing'), '');
  });

  it('fingerprints contactinfo independently of key order', () => {
    assert.equal(fieldsHash({ a: '1', b: '2' }), fieldsHash({ b: '2', a: '1' }));
    assert.notEqual(fieldsHash({ a: '1' }), fieldsHash({ a: '2' }));
  });
});
