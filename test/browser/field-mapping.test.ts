// Field mapping by choosing, in Chromium: the Settings page offers WooCommerce's values in words
// (with the custom field a recent delivery carried) and Zoho's own fields; the owner picks one of
// each, saves, and the next change about a customer brings that value to the Zoho simulator.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Locator } from 'playwright-core';
import { KNOWN_SOURCES } from '../../src/sync/field-mapping.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { launchChromium, screenshots, signInInBrowser, type OwnerTab } from '../support/chromium.ts';
import { CUSTOMERS, deliver, wooTime } from '../support/sync.ts';
import { customerBody } from '../support/woocommerce.ts';

const EMAIL = 'mo@example.com';
const customer = (minutes: number, tier: string, shippingPhone: string) =>
  customerBody({
    id: 90,
    email: EMAIL,
    first_name: 'Mo',
    last_name: 'Farah',
    shipping: { first_name: 'Mo', last_name: 'Farah', phone: shippingPhone, city: 'London', country: 'GB' },
    meta_data: [{ id: 1, key: 'loyalty_tier', value: tier }],
    date_modified_gmt: wooTime(minutes),
  });

describe('field mapping by choosing, in a browser', () => {
  let bridge: TestBridge;
  let browser: Browser;
  let tab: OwnerTab;

  before(async () => {
    browser = await launchChromium();
    bridge = await startBridge({ simulator: { extraFields: [{ displayName: 'Loyalty Tier' }] } });
    await deliver(bridge, 'customer.created', customer(0, 'silver', ''));
    tab = await signInInBrowser(browser, bridge);
  });
  after(async () => {
    await browser?.close();
    await bridge?.close();
  });

  /**
   * Chooses `label` from the list `input` offers. The list's pop-up is drawn by the browser itself,
   * which headless Chromium does not do, so the offered option's value goes in the box: exactly
   * what choosing it does.
   */
  async function choose(input: Locator, label: string): Promise<void> {
    const listId = await input.getAttribute('list');
    const option = input
      .page()
      .locator(`datalist#${listId} > option`)
      .filter({ has: input.page().locator(`xpath=self::*[@value=${JSON.stringify(label)}]`) });
    assert.equal(await option.count(), 1, `"${label}" is offered`);
    await input.fill((await option.getAttribute('value'))!);
  }

  it('offers WooCommerce values in words, the custom field a delivery carried, and Zoho’s fields', async () => {
    const { page } = tab;
    await page.goto('/admin/settings');
    const options = page.locator('datalist#sources > option');
    assert.equal(await page.locator('datalist#sources > option[value="Billing phone"]').getAttribute('label'), 'billing.phone', 'the key beside the words');
    assert.equal(await page.locator('datalist#sources > option[value="Custom field: loyalty_tier"]').count(), 1);
    assert.equal(await options.count(), KNOWN_SOURCES.length + 1, 'every value the bridge reads, and the one custom field seen');
    const zohoFields = await page.locator('datalist#zoho-fields > option').evaluateAll((all) => all.map((option) => option.getAttribute('value')));
    assert.deepEqual(zohoFields.slice(-2), ['Zip Code', 'Loyalty Tier'], 'Zoho’s own list, custom fields included');
    assert.equal(await page.getByLabel('WooCommerce value, row 3').inputValue(), 'Billing phone', 'a saved row reads in words');
    assert.equal(await page.getByLabel('Zoho field, row 3').inputValue(), 'Phone');
  });

  it('saves what was chosen, and the next change brings those values to Zoho', async () => {
    const { page } = tab;
    const rows = await page.locator('input[name="source"]').count();
    // The three rows at the end are empty, for new mappings.
    await choose(page.getByLabel(`WooCommerce value, row ${rows - 2}`), 'Custom field: loyalty_tier');
    await choose(page.getByLabel(`Zoho field, row ${rows - 2}`), 'Loyalty Tier');
    await choose(page.getByLabel(`WooCommerce value, row ${rows - 1}`), 'Shipping phone');
    await choose(page.getByLabel(`Zoho field, row ${rows - 1}`), 'Mobile');
    await screenshots(page, 'settings-field-mapping');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.waitForURL((url) => url.pathname === '/admin/settings');
    assert.match(await page.getByRole('status').innerText(), /^Saved\./);
    assert.equal(await page.getByLabel(`WooCommerce value, row ${rows - 2}`).inputValue(), 'Custom field: loyalty_tier');
    const stored = (await bridge.services.db.store.findUniqueOrThrow({ where: { id: 'default' } })).settings as { fieldMapping: unknown[] };
    assert.deepEqual(stored.fieldMapping.slice(-2), [
      { source: 'meta:loyalty_tier', zohoField: 'Loyalty Tier' },
      { source: 'shipping.phone', zohoField: 'Mobile' },
    ]);

    const event = await deliver(bridge, 'customer.updated', customer(1, 'gold', '+44 20 7946 0000'));
    assert.equal(event.status, 'synced');
    const fields = bridge.sim.contacts(CUSTOMERS).get(EMAIL)?.fields;
    assert.equal(fields?.['Loyalty Tier'], 'gold');
    assert.equal(fields?.Mobile, '+44 20 7946 0000');
    assert.equal(fields?.['First Name'], 'Mo', 'the other mappings still apply');
  });
});
