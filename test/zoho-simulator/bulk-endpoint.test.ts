// The simulator's addlistsubscribersinbulk, as strict as docs/zoho-api.md says Zoho is: its
// parameters, its ten-address cap, its own allowance (2,000 a minute, a 10-minute lock), and what
// it does with each address (ignores unusable ones, re-adds the unsubscribed), plus paging
// getlistsubscribers to read the result back.
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import { startZohoSimulator, type ZohoSimulator, type ZohoSimulatorOptions } from '../../tools/zoho-simulator/index.ts';
import { accessTokenFor, bearer, getJson, manualClock, postForm } from './test-http.ts';

async function simulator(t: TestContext, options: ZohoSimulatorOptions = {}): Promise<ZohoSimulator> {
  const sim = await startZohoSimulator(options);
  t.after(() => sim.close());
  return sim;
}

const bulkAdd = (sim: ZohoSimulator, token: string, form: Record<string, string>) =>
  postForm(`${sim.campaignsUrl('com')}/api/v1.1/addlistsubscribersinbulk`, { resfmt: 'JSON', ...form }, bearer(token));

describe('campaigns: addlistsubscribersinbulk', () => {
  it('adds addresses only, re-adds the unsubscribed, ignores unusable ones, and answers with its arrays', async (t) => {
    const sim = await simulator(t);
    const token = await accessTokenFor(sim);
    sim.setContactStatus('sim-customers', 'gone@example.com', 'unsubscribed');
    sim.setContactStatus('sim-customers', 'there@example.com', 'active');
    const answer = await bulkAdd(sim, token, {
      listkey: 'sim-customers',
      emailids: 'new@example.com,gone@example.com,there@example.com,not-an-address,someone@mailinator.com',
    });
    assert.equal(answer.body.status, 'success');
    assert.deepEqual(answer.body.existing_contacts, ['there@example.com']);
    assert.deepEqual(answer.body.readd_contacts, ['gone@example.com']);
    assert.deepEqual(answer.body.ignored_contacts, ['not-an-address', 'someone@mailinator.com']);
    const contacts = sim.contacts('sim-customers');
    assert.equal(contacts.get('new@example.com')?.status, 'active');
    assert.equal(contacts.get('gone@example.com')?.status, 'active', 'the harm a client must avoid: an unsubscribe undone');
    assert.equal(contacts.get('someone@mailinator.com'), undefined);
    // No confirmation asked even on a double opt-in list [U]: the other harm a client must avoid.
    await bulkAdd(sim, token, { listkey: 'sim-newsletter-doi', emailids: 'asked@example.com' });
    assert.equal(sim.contacts('sim-newsletter-doi').get('asked@example.com')?.status, 'active');
  });

  it('refuses a call without its parameters, with more than ten addresses, to an unknown list, or by GET', async (t) => {
    const sim = await simulator(t);
    const token = await accessTokenFor(sim);
    assert.equal((await bulkAdd(sim, token, { listkey: 'sim-customers' })).body.code, '903');
    assert.equal((await bulkAdd(sim, token, { emailids: 'a@example.com' })).body.code, '903');
    const eleven = Array.from({ length: 11 }, (_, i) => `p${i}@example.com`).join(',');
    assert.equal((await bulkAdd(sim, token, { listkey: 'sim-customers', emailids: eleven })).body.status, 'error');
    assert.equal(sim.contacts('sim-customers').size, 0, 'refused whole');
    assert.equal((await bulkAdd(sim, token, { listkey: 'no-such-list', emailids: 'a@example.com' })).body.code, '2206');
    const get = await getJson(`${sim.campaignsUrl('com')}/api/v1.1/addlistsubscribersinbulk?listkey=sim-customers&emailids=a@example.com`, bearer(token));
    assert.equal(get.body.code, '1004');
  });

  it('needs a token with a create scope', async (t) => {
    const sim = await simulator(t);
    const readOnly = await accessTokenFor(sim, 'com', 'ZohoCampaigns.contact.READ');
    assert.equal((await bulkAdd(sim, readOnly, { listkey: 'sim-customers', emailids: 'a@example.com' })).body.code, '2706');
  });

  it('allows 2,000 calls a minute on its own allowance, then locks only itself for 10 minutes', async (t) => {
    const clock = manualClock();
    const sim = await simulator(t, { now: clock.now });
    const token = await accessTokenFor(sim);
    for (let start = 0; start < 2_000; start += 50) {
      const calls = Array.from({ length: 50 }, (_, i) => bulkAdd(sim, token, { listkey: 'sim-customers', emailids: `c${start + i}@example.com` }));
      for (const answer of await Promise.all(calls)) assert.equal(answer.body.status, 'success', JSON.stringify(answer.body));
    }
    assert.equal((await bulkAdd(sim, token, { listkey: 'sim-customers', emailids: 'late@example.com' })).body.code, '2008');
    const subscribe = await postForm(
      `${sim.campaignsUrl('com')}/api/v1.1/json/listsubscribe`,
      { listkey: 'sim-customers', resfmt: 'JSON', contactinfo: '{"Contact Email":"x@example.com"}' },
      bearer(token),
    );
    assert.equal(subscribe.body.status, 'success', 'listsubscribe has its own allowance');
    clock.advance(9 * 60_000);
    assert.equal((await bulkAdd(sim, token, { listkey: 'sim-customers', emailids: 'late@example.com' })).body.code, '2008');
    clock.advance(60_000);
    assert.equal((await bulkAdd(sim, token, { listkey: 'sim-customers', emailids: 'late@example.com' })).body.status, 'success');
    assert.deepEqual(sim.stats.lockouts, { addlistsubscribersinbulk: 1 });
  });

  it('is read back page by page with getlistsubscribers, which ends with 2502', async (t) => {
    const sim = await simulator(t);
    const token = await accessTokenFor(sim);
    for (let i = 0; i < 70; i += 10) {
      const emails = Array.from({ length: 10 }, (_, j) => `r${i + j}@example.com`).join(',');
      await bulkAdd(sim, token, { listkey: 'sim-customers', emailids: emails });
    }
    const page = (fromindex: number) =>
      getJson(
        `${sim.campaignsUrl('com')}/api/v1.1/getlistsubscribers?resfmt=JSON&listkey=sim-customers&status=active&fromindex=${fromindex}&range=650`,
        bearer(token),
      );
    const first = await page(1);
    assert.equal((first.body.list_of_details as unknown[]).length, 70);
    assert.equal((await page(71)).body.code, '2502');
  });
});
