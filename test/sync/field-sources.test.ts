// The WooCommerce values a field mapping reads, in words: every value the bridge can read has a
// plain label, unlike any other, and whatever the owner picks or types (a label in any capitals, a
// key, a custom field either way) comes back as the key the mapping stores.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isKnownSource, KNOWN_SOURCES } from '../../src/sync/field-mapping.ts';
import { customFieldChoice, sourceKeyOf, sourceLabel, STANDARD_SOURCES } from '../../src/sync/field-sources.ts';

describe('field sources in words', () => {
  it('labels every value the bridge reads, each label different and none a raw key', () => {
    assert.deepEqual(
      STANDARD_SOURCES.map((choice) => choice.key),
      [...KNOWN_SOURCES],
    );
    const labels = STANDARD_SOURCES.map((choice) => choice.label);
    assert.equal(new Set(labels.map((label) => label.toLowerCase())).size, labels.length);
    for (const label of labels) assert.doesNotMatch(label, /[._]/, `${label} reads as words`);
    assert.equal(sourceLabel('billing.phone'), 'Billing phone');
    assert.equal(sourceLabel('shipping.address_1'), 'Shipping address line 1');
    assert.equal(sourceLabel('first_name'), 'First name');
    assert.equal(sourceLabel('meta:loyalty_tier'), 'Custom field: loyalty_tier');
    assert.equal(customFieldChoice('loyalty_tier').label, 'Custom field: loyalty_tier');
  });

  it('reads back what was picked or typed as the key the mapping stores', () => {
    for (const choice of STANDARD_SOURCES) assert.equal(sourceKeyOf(choice.label), choice.key);
    assert.equal(sourceKeyOf('  billing PHONE '), 'billing.phone');
    assert.equal(sourceKeyOf('billing.phone'), 'billing.phone');
    assert.equal(sourceKeyOf('custom field: loyalty_tier'), 'meta:loyalty_tier');
    assert.equal(sourceKeyOf('Custom field:loyalty_tier'), 'meta:loyalty_tier');
    assert.equal(sourceKeyOf('meta:loyalty_tier'), 'meta:loyalty_tier');
    assert.equal(sourceKeyOf('Custom field: '), 'Custom field:', 'a custom field without a key stays as typed, to be refused');
    assert.equal(isKnownSource(sourceKeyOf('Custom field: ')), false);
    assert.equal(sourceKeyOf('Billing phon'), 'Billing phon');
    assert.equal(isKnownSource(sourceKeyOf('Billing phon')), false);
  });
});
