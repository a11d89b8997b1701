// Settings and stores over HTTP, as a signed-in browser uses them: rules and field mapping saved
// through StoreSettingsService with its refusals shown next to the form; stores added and secrets
// made, each shown exactly once and working at once; refused deliveries explained.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { textOf, type Browser } from '../support/browser.ts';
import { signedInBrowser } from '../support/owner.ts';
import { ROUTING_LISTS } from '../support/sync.ts';
import { customerBody, sendDelivery, sendPing } from '../support/woocommerce.ts';

const SECRET = /<code class="secret">([A-Za-z0-9_-]{43})<\/code>/;

describe('settings and stores pages', () => {
  let bridge: TestBridge;
  let browser: Browser;
  before(async () => {
    bridge = await startBridge({ workers: false });
    browser = await signedInBrowser(bridge);
  });
  after(() => bridge.close());

  const stored = async (storeId = 'default') =>
    (await bridge.services.db.store.findUniqueOrThrow({ where: { id: storeId } })).settings as Record<string, unknown>;

  it('shows the settings with the account’s lists and fields, and saves rules and mapping', async () => {
    const page = await browser.get('/admin/settings');
    assert.equal(page.status, 200);
    const text = textOf(page.body);
    assert.match(text, /Every customer Everyone who registers or buys in your store\. None Customers Active subscribers Lapsed customers/);
    assert.match(page.body, /<option value="sim-customers" selected>Customers<\/option>/);
    assert.match(page.body, /<datalist id="zoho-fields">.*<option value="Last Name"><\/option>/s, 'Zoho’s fields are offered');
    assert.match(page.body, /<input type="text" name="zohoField" value="Zip Code"/);

    const saved = await browser.submit(page, '/admin/settings', {
      list_customers: ROUTING_LISTS.customers,
      list_activeSubscribers: ROUTING_LISTS.activeSubscribers,
      list_lapsed: ROUTING_LISTS.lapsed,
      'status_on-hold': 'lists',
      'status_on-hold_lists': ROUTING_LISTS.lapsed,
      onCustomerDeleted: 'keep',
      roles: 'customer, subscriber, wholesale',
      consent_metaKey: 'newsletter_opt_in',
      source: 'first_name',
      zohoField: 'First Name',
    });
    assert.equal(new URL(saved.url).pathname, '/admin/settings');
    assert.match(textOf(saved.body), /Saved\. The new settings apply to each customer the next time WooCommerce sends a change about them\./);
    assert.deepEqual(await stored(), {
      lists: ROUTING_LISTS,
      statusLists: { 'on-hold': [ROUTING_LISTS.lapsed] },
      onCustomerDeleted: 'keep',
      fieldMapping: [{ source: 'first_name', zohoField: 'First Name' }],
      roles: ['customer', 'subscriber', 'wholesale'],
      consent: { metaKey: 'newsletter_opt_in' },
    });
    // The page shows what was saved.
    assert.match(saved.body, /<option value="lists" selected>Exactly the lists ticked below<\/option>/);
    assert.match(saved.body, /name="status_on-hold_lists" value="sim-lapsed-customers" checked/);
    assert.match(saved.body, /<input type="radio" name="onCustomerDeleted" value="keep" checked>/);
  });

  it('refuses a Zoho field that does not exist, says why next to the mapping, and keeps what was typed', async () => {
    const before = await stored();
    const page = await browser.get('/admin/settings');
    const refused = await browser.post('/admin/settings', {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!,
      store: 'default',
      list_customers: ROUTING_LISTS.customers,
      source: 'meta:loyalty_tier',
      zohoField: 'Loyalty Teir',
    });
    assert.equal(refused.status, 400);
    const text = textOf(refused.body);
    assert.match(text, /Nothing was saved The problem is named in red below, next to what it is about\./);
    assert.match(
      text,
      /Details sent to Zoho .* Zoho Campaigns has no contact field "Loyalty Teir" \(mapped from Custom field: loyalty_tier\)\. Create it in Zoho Campaigns first, or choose one of its fields\./,
    );
    assert.match(refused.body, /<input type="text" name="source" value="Custom field: loyalty_tier"/, 'the custom field, in words');
    assert.match(refused.body, /<input type="text" name="zohoField" value="Loyalty Teir"/);
    assert.deepEqual(await stored(), before, 'nothing was saved');

    const caseOnly = await browser.post('/admin/settings', {
      _csrf: /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!,
      store: 'default',
      source: 'last_name',
      zohoField: 'last name',
    });
    assert.match(textOf(caseOnly.body), /Did you mean "Last Name"\? Zoho matches field names exactly\./);
  });

  it('offers WooCommerce values in words, with their keys beside them, and the custom fields recent deliveries carried', async () => {
    const meta = [
      { id: 1, key: 'loyalty_tier', value: 'gold' },
      { id: 2, key: '_wc_last_active', value: '1733600000' },
      { id: 3, key: 'preferences', value: { colour: 'blue' } },
    ];
    assert.equal((await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body: customerBody({ id: 8, meta_data: meta }) })).status, 200);
    await sendPing(bridge.webhookUrl);
    const page = await browser.get('/admin/settings');
    const sources = /<datalist id="sources">(.*?)<\/datalist>/s.exec(page.body)?.[1] ?? '';
    const offered = [...sources.matchAll(/<option value="([^"]+)" label="([^"]+)">/g)].map((match) => [match[1], match[2]]);
    assert.deepEqual(offered.slice(0, 3), [
      ['Email (account)', 'email'],
      ['First name', 'first_name'],
      ['Last name', 'last_name'],
    ]);
    assert.ok(offered.some(([label, key]) => label === 'Billing phone' && key === 'billing.phone'));
    assert.ok(offered.some(([label, key]) => label === 'Shipping postcode' && key === 'shipping.postcode'));
    assert.deepEqual(
      offered.filter(([label]) => label?.startsWith('Custom field')),
      [
        ['Custom field: loyalty_tier', 'meta:loyalty_tier'],
        ['Custom field: _wc_last_active', 'meta:_wc_last_active'],
      ],
      'plain values only (not a field holding a list of things), the plugins’ own after the others',
    );
    // The saved row (first_name → First Name) reads in words.
    assert.match(page.body, /<input type="text" name="source" value="First name" list="sources"/);
    assert.doesNotMatch(textOf(page.body), /billing\.phone|meta:/, 'no raw key in the page’s text');

    const saved = await browser.submit(page, '/admin/settings', {
      list_customers: ROUTING_LISTS.customers,
      source: ['First name', 'custom field: loyalty_tier', 'billing.city'],
      zohoField: ['First Name', 'Company Name', 'City'],
    });
    assert.equal(new URL(saved.url).pathname, '/admin/settings');
    assert.deepEqual((await stored()).fieldMapping, [
      { source: 'first_name', zohoField: 'First Name' },
      { source: 'meta:loyalty_tier', zohoField: 'Company Name' },
      { source: 'billing.city', zohoField: 'City' },
    ]);
  });

  it('adds a store and shows its secret once; the secret works for that store’s deliveries at once', async () => {
    const page = await browser.get('/admin/stores');
    const added = await browser.submit(page, '/admin/stores', { name: 'Outlet shop', url: 'https://outlet.example.com/' });
    assert.equal(added.status, 200);
    const secret = SECRET.exec(added.body)?.[1];
    assert.ok(secret, 'the secret is on the page');
    assert.match(textOf(added.body), /Store added: Outlet shop The secret, shown only this once/);
    assert.match(added.body, /\/webhooks\/woocommerce\/outlet-shop/);
    assert.equal(added.headers.get('cache-control'), 'no-store');

    const list = await browser.get('/admin/stores');
    assert.doesNotMatch(list.body, new RegExp(secret), 'never shown again');
    assert.match(textOf(list.body), /Outlet shop Store address https:\/\/outlet\.example\.com Delivery URL .*\/webhooks\/woocommerce\/outlet-shop Secret set/);

    const url = `${bridge.url}/webhooks/woocommerce/outlet-shop`;
    assert.equal((await sendDelivery(url, { topic: 'customer.created', body: customerBody({ id: 3 }), secret })).status, 200);
    const duplicate = await browser.submit(list, '/admin/stores', { name: 'Again', url: 'https://OUTLET.example.com' });
    assert.equal(duplicate.status, 400);
    assert.match(textOf(duplicate.body), /https:\/\/OUTLET\.example\.com is already here, as “Outlet shop”/);
  });

  it('makes a new secret after asking, shows it once, and refuses the old one from then on', async () => {
    const page = await browser.get('/admin/stores');
    await browser.submit(page, '/admin/stores', { name: 'Pop-up', url: 'https://popup.example.com' }).then((added) => SECRET.exec(added.body)![1]!);
    const old = (await bridge.services.repositories.stores.findWithSecret('pop-up'))!.webhookSecret!;
    const confirm = await browser.get('/admin/stores/pop-up/secret');
    assert.match(textOf(confirm.body), /Make a new secret for Pop-up\? .* refuses deliveries signed with the old secret/);
    const rotated = await browser.submit(confirm, '/admin/stores/pop-up/secret');
    const secret = SECRET.exec(rotated.body)?.[1];
    assert.ok(secret && secret !== old);
    assert.match(
      textOf(rotated.body),
      /New secret for Pop-up .* Open each webhook whose Delivery URL is .*\/webhooks\/woocommerce\/pop-up ?, paste the secret above/,
    );
    assert.doesNotMatch((await browser.get('/admin/stores')).body, new RegExp(secret));

    const url = `${bridge.url}/webhooks/woocommerce/pop-up`;
    assert.equal((await sendDelivery(url, { topic: 'customer.created', body: customerBody({ id: 4 }), secret: old })).status, 401);
    assert.equal((await sendDelivery(url, { topic: 'customer.created', body: customerBody({ id: 5 }), secret })).status, 200);
  });

  it('leaves a secret that comes from WC_WEBHOOK_SECRET to that setting, and says so', async () => {
    const stores = await browser.get('/admin/stores');
    assert.match(textOf(stores.body), /shop\.example\.com .* Secret from the WC_WEBHOOK_SECRET setting/);
    assert.doesNotMatch(stores.body, /href="\/admin\/stores\/default\/secret"/);
    const page = await browser.get('/admin/stores/default/secret');
    const refused = await browser.submit(page, '/admin/stores/default/secret');
    assert.equal(refused.status, 400);
    assert.match(textOf(refused.body), /This store’s secret comes from the WC_WEBHOOK_SECRET setting/);
    assert.ok(await bridge.services.repositories.stores.findWithSecret('default').then((store) => store?.webhookSecret === 'test-secret-123'));
  });

  it('lists refused deliveries with the fix, and counts wrong secrets on the overview', async () => {
    await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body: customerBody({ id: 6 }), secret: 'not-the-secret' });
    const overview = textOf((await browser.get('/admin')).body);
    assert.match(overview, /1 delivery was refused in the last 7 days because the secret did not match/);
    const refused = textOf((await browser.get('/admin/refused?store=default')).body);
    assert.match(
      refused,
      /customer\.updated .*webhook #7 The signature did not match: the secret in this WooCommerce webhook is not the store’s secret in the bridge\. On the Stores page, make a new secret and paste it into every webhook in WooCommerce\. .* HTTP 401/,
    );
  });
});
