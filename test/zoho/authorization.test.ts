// The two ends of the browser flow that need no server: where the owner is sent, and which
// accounts server a callback may name (only Zoho's own, consistent with its `location`).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { callbackDataCentre, zohoAuthorizationUrl } from '../../src/zoho/authorization.ts';
import { mailingListsOf } from '../../src/zoho/mailing-lists.ts';
import type { ZohoCallResult } from '../../src/zoho/outcome.ts';

describe('the Zoho authorization URL', () => {
  it('always starts at the US accounts server and asks for offline access with consent', () => {
    const url = new URL(zohoAuthorizationUrl({ clientId: '1000.ABC', redirectUri: 'https://bridge.example.com/oauth/zoho/callback', state: 's', hosts: {} }));
    assert.equal(`${url.origin}${url.pathname}`, 'https://accounts.zoho.com/oauth/v2/auth');
    assert.equal(url.searchParams.get('scope'), 'ZohoCampaigns.contact.ALL');
    assert.equal(url.searchParams.get('access_type'), 'offline');
    assert.equal(url.searchParams.get('prompt'), 'consent');
    assert.equal(url.searchParams.get('redirect_uri'), 'https://bridge.example.com/oauth/zoho/callback');
  });
});

describe('the data centre of an OAuth callback', () => {
  it("accepts Zoho's own accounts servers, including the Canadian one", () => {
    assert.equal(callbackDataCentre('https://accounts.zoho.eu', 'eu', {}), 'eu');
    assert.equal(callbackDataCentre('https://accounts.zoho.com/', 'us', {}), 'com');
    assert.equal(callbackDataCentre('https://accounts.zohocloud.ca', 'ca', {}), 'zohocloud.ca');
    assert.equal(callbackDataCentre('https://accounts.zoho.com.au', undefined, {}), 'com.au');
  });

  it('refuses any other server, and a location that contradicts the server', () => {
    assert.equal(callbackDataCentre('https://accounts.zoho.com.evil.example', 'us', {}), undefined);
    assert.equal(callbackDataCentre('http://accounts.zoho.eu', 'eu', {}), undefined);
    assert.equal(callbackDataCentre('https://accounts.zoho.eu', 'us', {}), undefined);
    assert.equal(callbackDataCentre(undefined, 'mars', {}), undefined);
  });

  it('uses the location alone when no server is named, and the US when neither is (single-DC clients)', () => {
    assert.equal(callbackDataCentre(undefined, 'in', {}), 'in');
    assert.equal(callbackDataCentre(undefined, undefined, {}), 'com');
  });

  it("matches the configured host template (tests and proxies) as well as Zoho's hosts, whose codes then go to the template's address", () => {
    const hosts = { accountsUrlTemplate: 'http://127.0.0.1:4010/dc/{dc}/accounts' };
    assert.equal(callbackDataCentre('http://127.0.0.1:4010/dc/jp/accounts', 'jp', hosts), 'jp');
    // Behind a proxy, Zoho still names its own server; the connector exchanges at hostsFor('jp', hosts).
    assert.equal(callbackDataCentre('https://accounts.zoho.jp', 'jp', hosts), 'jp');
    assert.equal(callbackDataCentre('http://127.0.0.1:4010/dc/mars/accounts', 'jp', hosts), undefined);
    assert.equal(callbackDataCentre('http://127.0.0.1:4010/dc/eu/accounts', 'jp', hosts), undefined);
  });
});

describe('reading getmailinglists', () => {
  const result = (fields: Partial<ZohoCallResult>): ZohoCallResult => ({
    outcome: 'done',
    httpStatus: 200,
    code: '0',
    message: '',
    body: undefined,
    durationMs: 1,
    ...fields,
  });

  it('reads keys, names and string counts, skipping rows without a key', () => {
    const lists = mailingListsOf(
      result({
        body: { list_of_details: [{ listkey: 'k1', listname: 'Customers', noofcontacts: '15' }, { listkey: 'k2', listname: '' }, { listname: 'no key' }] },
      }),
    );
    assert.deepEqual(lists, [
      { key: 'k1', name: 'Customers', contacts: 15 },
      { key: 'k2', name: 'k2', contacts: undefined },
    ]);
  });

  it('treats code 2401 as an account without lists, and other errors as no answer', () => {
    assert.deepEqual(mailingListsOf(result({ outcome: 'permanent', code: '2401' })), []);
    assert.equal(mailingListsOf(result({ outcome: 'permanent', code: '2706' })), undefined);
  });
});
