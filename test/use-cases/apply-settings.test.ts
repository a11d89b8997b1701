// "Apply settings to everyone": after the owner changes the rules, the Settings notice appears only
// when people are stored, the preview counts who joins and leaves each list from the stored
// contacts, the run moves exactly those people in the Zoho simulator (consent still holding), and
// the notice goes once it has run for the current settings. Pause, resume and cancel act on a run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ContactRepository } from '../../src/db/contacts.ts';
import { ApplySettings } from '../../src/use-cases/apply-settings.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { NEW_RULES, storePeople } from '../support/apply-settings.ts';
import { ACTIVE, CUSTOMERS, LAPSED, listsOf, ROUTING_LISTS } from '../support/sync.ts';

describe('apply settings to everyone', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge();
    assert.equal((await bridge.services.storeSettings.save('default', { lists: ROUTING_LISTS })).ok, true);
    await storePeople(bridge);
  });
  after(() => bridge.close());

  const apply = () => bridge.services.applySettings;

  it('has nothing outstanding for settings saved before anyone was stored, or saved unchanged', async () => {
    assert.deepEqual(listsOf(bridge.sim, 'ana@example.com'), [ACTIVE, CUSTOMERS]);
    assert.deepEqual(listsOf(bridge.sim, 'di@example.com'), [ACTIVE, CUSTOMERS]);
    assert.equal((await apply().notice('default')).outstanding, false);
    await bridge.services.storeSettings.save('default', { lists: ROUTING_LISTS, fieldMapping: [{ source: 'first_name', zohoField: 'First Name' }] });
    assert.equal((await apply().notice('default')).outstanding, false, 'the details sent move nobody between lists');
  });

  it('says people keep their old lists after the rules change, until the rules are changed back', async () => {
    assert.equal((await bridge.services.storeSettings.save('default', NEW_RULES)).ok, true);
    assert.equal((await apply().notice('default')).outstanding, true);
    await bridge.services.storeSettings.save('default', { lists: ROUTING_LISTS });
    assert.equal((await apply().notice('default')).outstanding, false, 'back to the settings people were given');
    await bridge.services.storeSettings.save('default', NEW_RULES);
    assert.equal((await apply().notice('default')).outstanding, true);
  });

  it('previews who joins and leaves each list, consent included, and sends nothing', async () => {
    const calls = bridge.sim.calls.length;
    const result = await apply().preview('default');
    assert.ok(result.ok);
    const { preview } = result;
    assert.equal(preview.people, 4);
    assert.equal(preview.moving, 3, 'Ana moves to the lapsed list; Cy and Di, who said no, leave theirs');
    assert.equal(preview.withoutConsent, 2);
    const row = (listKey: string) => preview.lists.find((list) => list.listKey === listKey);
    assert.deepEqual(row(CUSTOMERS), { listKey: CUSTOMERS, join: 0, leave: 2, stay: 2 });
    assert.deepEqual(row(ACTIVE), { listKey: ACTIVE, join: 0, leave: 2, stay: 1 });
    assert.deepEqual(row(LAPSED), { listKey: LAPSED, join: 1, leave: 0, stay: 0 });
    assert.equal(result.duration, 'under a minute');
    assert.equal(bridge.sim.calls.length, calls, 'a preview calls nobody');
  });

  it('refuses to start for settings other than those previewed', async () => {
    const started = await apply().start('default', 'not-these-settings');
    assert.equal(started.ok, false);
    assert.match(started.message, /The settings changed since you looked/);
    assert.equal((await apply().status('default')).state, 'none');
  });

  it('moves exactly those people in Zoho, never puts anyone on a list without consent, and clears the notice', async () => {
    const result = await apply().preview('default');
    assert.ok(result.ok);
    assert.equal((await apply().start('default', result.preview.fingerprint)).ok, true);
    const view = await waitFor('the run to finish sending', async () => {
      const status = await apply().status('default');
      return status.state === 'done' ? status : undefined;
    });
    assert.equal(view.total, 3);
    assert.deepEqual(view.sending, { done: 3, failed: 0, waiting: 0, inLine: 0 });
    assert.equal(view.percent, 100);

    assert.deepEqual(listsOf(bridge.sim, 'ana@example.com'), [CUSTOMERS, LAPSED], 'on hold: moved from active to lapsed');
    assert.deepEqual(listsOf(bridge.sim, 'bo@example.com'), [ACTIVE, CUSTOMERS], 'unchanged');
    assert.deepEqual(listsOf(bridge.sim, 'cy@example.com'), [], 'said no');
    assert.deepEqual(listsOf(bridge.sim, 'di@example.com'), [], 'said no: off every list, and never put on the lapsed one');
    assert.equal(
      bridge.sim.callsTo('listsubscribe').filter((call) => call.params.contactinfo?.includes('di@example.com') && call.params.listkey === LAPSED).length,
      0,
    );
    const events = await bridge.services.db.webhookEvent.findMany({ where: { topic: 'bridge.settings_applied' }, orderBy: { id: 'asc' } });
    assert.deepEqual(
      events.map((event) => [event.contactKey, event.status]),
      [
        ['80', 'synced'],
        ['82', 'synced'],
        ['83', 'synced'],
      ],
      'one change per person moved, in the sync log',
    );
    const notice = await apply().notice('default');
    assert.equal(notice.outstanding, false);
    assert.equal(notice.run, undefined);
    const again = await apply().preview('default');
    assert.ok(again.ok);
    assert.equal(again.preview.moving, 0, 'nobody left to move');
  });
});

describe('apply settings to everyone: a run stopped, paused, cancelled and continued', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge();
    assert.equal((await bridge.services.storeSettings.save('default', { lists: ROUTING_LISTS })).ok, true);
    await storePeople(bridge);
    // From here no worker runs: the run's job is run by hand, and the syncs it queues stay in line.
    await bridge.workers!.close(5_000);
    bridge.workers = undefined;
    assert.equal((await bridge.services.storeSettings.save('default', NEW_RULES)).ok, true);
  });
  after(() => bridge.close());

  /** The bridge's use case, a contact at a time, with a worker that stops after `pages` pages. */
  function applyStoppingAfter(pages: number): { apply: ApplySettings; shutdown: AbortSignal } {
    const { services, config } = bridge;
    const stop = new AbortController();
    let read = 0;
    const contacts = {
      pageOfStore: async (storeId: string, afterId: bigint, take: number) => {
        // Only the run's pages (one contact each) count; the preview reads its own.
        if (take === 1 && ++read >= pages) stop.abort();
        return services.repositories.contacts.pageOfStore(storeId, afterId, take);
      },
    } as ContactRepository;
    const apply = new ApplySettings({
      ...services.repositories,
      contacts,
      runs: services.repositories.settingsApplies,
      enqueuer: services.enqueuer,
      syncQueue: services.syncQueue,
      applyQueue: services.settingsApplyQueue,
      redis: services.redis,
      redisPrefix: config.redisPrefix,
      attempts: config.worker.attempts,
      defaults: services.settingsDefaults,
      pageSize: 1,
    });
    return { apply, shutdown: stop.signal };
  }
  const inLine = () => bridge.services.db.webhookEvent.count({ where: { topic: 'bridge.settings_applied', status: 'received' } });

  it('continues after the last contact handed over, hands nobody over while paused, and withdraws the unsent on cancel', async () => {
    const { apply, shutdown } = applyStoppingAfter(1);
    const previewed = await apply.preview('default');
    assert.ok(previewed.ok);
    assert.equal((await apply.start('default', previewed.preview.fingerprint)).ok, true);
    const run = (await bridge.services.repositories.settingsApplies.latest('default'))!;
    await apply.runJob('default', run.id, shutdown);
    assert.equal(await inLine(), 1, 'the worker stopped after the first person (Ana)');
    assert.equal((await apply.status('default')).state, 'running', 'still running: the next start continues it');

    assert.match((await apply.pause('default')).message, /^Paused\. People already in line still go to Zoho/);
    assert.equal((await apply.notice('default')).run, 'paused');
    await apply.runJob('default', run.id, new AbortController().signal);
    assert.equal(await inLine(), 1, 'a paused run hands nobody over');

    assert.equal((await apply.resume('default')).ok, true);
    const cancelled = await apply.cancel('default');
    assert.equal(cancelled.message, 'Cancelled. 1 person was not sent to Zoho. The others keep the lists they have now.');
    const withdrawn = await bridge.services.db.webhookEvent.findFirstOrThrow({ where: { topic: 'bridge.settings_applied' } });
    assert.equal(withdrawn.status, 'skipped');
    assert.equal(withdrawn.statusReason, 'Applying the settings was cancelled before this was sent.');
    assert.equal((await apply.status('default')).state, 'cancelled');
    assert.equal((await apply.notice('default')).outstanding, true, 'a cancelled run applied nothing');
  });

  it('hands everyone over in a run of its own, and the notice goes while their syncs are still in line', async () => {
    const { apply } = applyStoppingAfter(Number.POSITIVE_INFINITY);
    const previewed = await apply.preview('default');
    assert.ok(previewed.ok);
    await apply.start('default', previewed.preview.fingerprint);
    const run = (await bridge.services.repositories.settingsApplies.latest('default'))!;
    await apply.runJob('default', run.id, new AbortController().signal);
    const view = await apply.status('default');
    assert.equal(view.state, 'sending');
    assert.deepEqual(view.sending, { done: 0, failed: 0, waiting: 0, inLine: 3 });
    const notice = await apply.notice('default');
    assert.equal(notice.outstanding, false);
    assert.equal(notice.run, 'sending', 'Settings still shows the run until it has sent everyone');
    assert.equal((await apply.pause('default')).ok, false, 'nothing left to pause');
  });
});
