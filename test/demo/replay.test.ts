// The deliveries `npm run demo` replays, run against a test bridge: each one ends the way the
// demo tells the newcomer it will, and the Zoho simulator holds the result.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_STORE_ID } from '../../src/db/stores.ts';
import { DEMO_LISTS, DEMO_STEPS } from '../../scripts/demo/deliveries.ts';
import { replayDemo, type ReplayResult } from '../../scripts/demo/replay.ts';
import { databaseSummary, describeResults } from '../../scripts/demo/summary.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { TEST_SECRET } from '../support/woocommerce.ts';

describe('demo: the replayed deliveries', () => {
  let bridge: TestBridge;
  let results: ReplayResult[];
  before(async () => {
    bridge = await startBridge();
    await bridge.services.repositories.stores.updateSettings(DEFAULT_STORE_ID, { lists: DEMO_LISTS });
    results = await replayDemo({ webhookUrl: bridge.webhookUrl, secret: TEST_SECRET, events: bridge.services.repositories.events });
  });
  after(() => bridge.close());

  const resultOf = (label: RegExp) => {
    const result = results.find((entry) => label.test(entry.step.label));
    assert.ok(result, `a step matching ${label}`);
    return result;
  };

  it('gets a 200 for every delivery and the ping', () => {
    assert.equal(results.length, DEMO_STEPS.length);
    assert.deepEqual(
      results.filter((result) => result.httpStatus !== 200),
      [],
    );
  });

  it('stores the repeated bytes once', () => {
    const duplicate = resultOf(/same bytes again/);
    assert.equal(duplicate.answer.duplicate, true);
    assert.equal(duplicate.eventId, resultOf(/José Álvarez signs up/).eventId);
  });

  it('keeps the newer snapshot, skips a role that is not synced, and fails the bad address visibly', () => {
    assert.equal(resultOf(/older snapshot/).finalStatus, 'skipped');
    assert.match(resultOf(/older snapshot/).reason ?? '', /older snapshot/i);
    assert.equal(resultOf(/administrator/).finalStatus, 'skipped');
    const typo = resultOf(/mistyped/);
    assert.equal(typo.finalStatus, 'failed');
    assert.match(typo.reason ?? '', /2004.*Invalid contact email/);
    assert.equal(bridge.sim.contacts(DEMO_LISTS.customers).get('soren.jorgensen@example.com')?.fields['First Name'], 'Søren');
  });

  it('leaves Zoho as the story says: names intact, the subscription lifecycle followed, the deletion applied', () => {
    const customers = bridge.sim.contacts(DEMO_LISTS.customers);
    assert.equal(customers.get('zoe.mueller@example.com')?.fields['Last Name'], 'Müller');
    assert.equal(customers.get('li.lei@example.com')?.fields['First Name'], '雷');
    assert.equal(customers.get('li.lei@example.com')?.status, 'unsubscribed');
    assert.equal(bridge.sim.contacts(DEMO_LISTS.activeSubscribers).get('jose.alvarez@example.com')?.status, 'unsubscribed');
    assert.equal(bridge.sim.contacts(DEMO_LISTS.lapsed).get('jose.alvarez@example.com')?.status, 'active');
    assert.equal(customers.has('mia.typo@example'), false);
    assert.equal(customers.has('webmaster-demo@example.com'), false);
    // Zoë's created + updated pair made one call.
    const zoeCalls = bridge.sim.callsTo('listsubscribe').filter((call) => call.params.contactinfo?.includes('zoe.mueller@example.com'));
    assert.equal(zoeCalls.length, 1);
  });

  it('prints what happened in plain words', async () => {
    const text = [...describeResults(results), ...(await databaseSummary(bridge.services, results))].join('\n');
    assert.match(text, /duplicate/);
    assert.match(text, /jose\.alvarez@example\.com +José Álvarez +on sim-customers, sim-lapsed-customers/);
    // One numbering: the failed event is named by the step that sent it, as numbered above.
    const typo = results.findIndex((result) => result.finalStatus === 'failed') + 1;
    assert.ok(typo > 0, 'a step failed');
    assert.match(text, new RegExp(`^ ?${typo}\\. .*\\n +HTTP 200 → failed`, 'm'));
    assert.match(text, new RegExp(`failed: step ${typo} \\(customer\\.created\\): Could not subscribe mia\\.typo@example`));
    assert.doesNotMatch(text, /#\d+/, 'no event ids beside step numbers');
  });
});
