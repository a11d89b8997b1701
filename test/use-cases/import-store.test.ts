// The dashboard's import: the CLI's backfill run as a job, followed in Postgres, which the owner
// pauses, resumes and cancels, and which a restart of the worker continues after its last page.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_STORE_ID } from '../../src/db/stores.ts';
import { ImportStore } from '../../src/use-cases/import-store.ts';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../tools/woocommerce-simulator/index.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';

describe('use cases: import a store with pause, resume, cancel and restart', () => {
  let bridge: TestBridge;
  let shop: WooCommerceSimulator;
  let wouldJoin = 0;
  before(async () => {
    bridge = await startBridge();
    // 250 people on 3 pages of 100; each page takes a moment, so there is time to press a button.
    // Pages come slowly enough that a pause always finds pages still to read, read-ahead and all.
    shop = await startWooCommerceSimulator({ customers: 250, subscriptions: 20, latencyMs: 1_000 });
    const connected = await bridge.services.setup.connectStore.connect(DEFAULT_STORE_ID, {
      url: shop.baseUrl,
      consumerKey: shop.consumerKey,
      consumerSecret: shop.consumerSecret,
    });
    assert.ok(connected.ok);
  });
  after(async () => {
    await shop?.close();
    await bridge?.close();
  });
  const imports = () => bridge.services.setup.importStore;
  // The job finishes the page in hand, then ends.
  const jobStopped = () => waitFor('the import job to stop', async () => (await bridge.services.importQueue.getActiveCount()) === 0);
  const customerPagesRead = () =>
    shop.requests.filter((request) => request.path.endsWith('/customers') && request.status === 200).map((request) => Number(request.query.page));

  it('previews who would join each list, who is left out and why, and how long it takes', async () => {
    const preview = await imports().preview(DEFAULT_STORE_ID);
    assert.ok(preview.ok);
    assert.equal(preview.preview.users, 250);
    assert.equal(preview.preview.skippedByRole, 25 - preview.preview.usersByRole.subscriber!, 'administrators and shop managers are left out');
    // No consent gate and a single opt-in list: everyone who joins may go through the bulk path.
    const joining = 250 - preview.preview.skippedByRole;
    assert.deepEqual(preview.preview.lists, [{ listKey: 'sim-customers', wouldJoin: joining, alreadyOn: 0, bulk: joining }]);
    wouldJoin = 250 - preview.preview.skippedByRole;
    assert.equal(preview.duration, 'about 1 minute', '270 jobs, 240 ms apart');
    // The rest of the tests need not wait for Zoho's pace.
    bridge.services.setup.importStore = new ImportStore({ ...imports().deps, pacing: { minSpacingMs: 5 } });
  });

  it('pauses after the page in hand, and resumes after it', async () => {
    assert.deepEqual(await imports().start(DEFAULT_STORE_ID), { ok: true, message: 'The import has started.' });
    await waitFor('the first page', async () => (await imports().status(DEFAULT_STORE_ID)).reading[0]?.read === 100);
    assert.equal((await imports().pause(DEFAULT_STORE_ID)).ok, true);
    await jobStopped();
    const paused = await imports().status(DEFAULT_STORE_ID);
    assert.equal(paused.state, 'paused');
    assert.ok(paused.reading[0]!.read < 250, `stopped reading (read ${paused.reading[0]!.read})`);
    const readWhilePaused = paused.reading[0]!.read;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    assert.equal((await imports().status(DEFAULT_STORE_ID)).reading[0]!.read, readWhilePaused, 'nothing read while paused');

    assert.equal((await imports().resume(DEFAULT_STORE_ID)).ok, true);
    // Done means all 270 events synced to Zoho too: on a loaded machine that takes a while.
    const done = await waitFor(
      'the import to finish',
      async () => {
        const view = await imports().status(DEFAULT_STORE_ID);
        return view.state === 'done' ? view : undefined;
      },
      90_000,
    );
    assert.deepEqual(
      done.reading.map((entry) => [entry.kind, entry.read, entry.total]),
      [
        ['customers', 250, 250],
        ['subscriptions', 20, 20],
      ],
    );
    assert.equal(done.percent, 100);
    assert.equal(done.sending.failed, 0);
    const pages = customerPagesRead();
    assert.deepEqual(pages.filter((page) => page === 1).length, 2, 'page 1: the preview and the import; resuming did not read it again');
    assert.equal(bridge.sim.contacts('sim-customers').size, wouldJoin, 'everyone the preview promised is on the Zoho list');
  });

  it('cancel stops reading and says so', async () => {
    shop.requests.length = 0;
    await imports().start(DEFAULT_STORE_ID);
    await waitFor('the first page', async () => (await imports().status(DEFAULT_STORE_ID)).reading[0]?.read === 100);
    const cancelled = await imports().cancel(DEFAULT_STORE_ID);
    assert.ok(cancelled.ok);
    assert.match(cancelled.message, /^The import is cancelled\./);
    await jobStopped();
    const view = await imports().status(DEFAULT_STORE_ID);
    assert.equal(view.state, 'cancelled');
    assert.ok(customerPagesRead().length <= 3, 'at most the page in hand was finished (and the next one read ahead)');
    assert.deepEqual(await imports().resume(DEFAULT_STORE_ID), { ok: false, message: 'No import is running for this store.' });
  });

  it('survives a restart of the worker, continuing after the last page it finished', async () => {
    shop.requests.length = 0;
    await imports().start(DEFAULT_STORE_ID);
    await waitFor('the first page', async () => (await imports().status(DEFAULT_STORE_ID)).reading[0]?.read === 100);
    await bridge.workers!.close(10_000);
    assert.equal((await imports().status(DEFAULT_STORE_ID)).state, 'running', 'still to be continued, not failed');
    const readBefore = customerPagesRead();
    await bridge.startWorkers();
    const done = await waitFor(
      'the import to finish after the restart',
      async () => {
        const view = await imports().status(DEFAULT_STORE_ID);
        return view.state === 'done' ? view : undefined;
      },
      60_000,
    );
    assert.equal(done.reading[0]!.read, 250);
    const readAfter = customerPagesRead().slice(readBefore.length);
    assert.ok(!readAfter.includes(1), `continued after page 1 (read ${readAfter.join(', ')})`);
  });
});
