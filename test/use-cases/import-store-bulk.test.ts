// The dashboard's fast import: the same bulk phase as the CLI's backfill --bulk-first
// (src/backfill/bulk-phase.ts), run as the import job. Its preview shows both phases and their
// durations from a sample of a big store; phase 1 streams the customers page by page (each read
// once) and survives pause, resume, a worker restart and cancel; guests join through their
// subscriptions; whoever Zoho ignores is sent on their own with the reason in the sync log.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { IGNORED_IN_BULK_REASON } from '../../src/backfill/bulk-calls.ts';
import { DEFAULT_STORE_ID } from '../../src/db/stores.ts';
import { ImportStore } from '../../src/use-cases/import-store.ts';
import { startWooCommerceSimulator, type WooCommerceSimulator } from '../../tools/woocommerce-simulator/index.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';

const CUSTOMERS = 'sim-customers';
const ACTIVE = 'sim-active-subscribers';

describe('use cases: the fast import from the dashboard, phase by phase', () => {
  let bridge: TestBridge;
  let shop: WooCommerceSimulator;
  const expected = { customers: [] as string[], active: [] as string[] };
  let unsubscribedInZoho: string;
  let ignoredByZoho: string;
  const guest = 'guest.buyer@example.com';

  before(async () => {
    bridge = await startBridge();
    // 300 accounts on 3 pages of 100; each page takes a moment, so there is time to press a button.
    // Pages come slowly enough that a pause always finds phase 1 with pages still to read.
    shop = await startWooCommerceSimulator({ customers: 300, subscriptions: 30, latencyMs: 1_000 });
    await bridge.services.repositories.stores.updateSettings(DEFAULT_STORE_ID, { lists: { customers: CUSTOMERS, activeSubscribers: ACTIVE } });
    const synced = shop.customers.filter((customer) => ['customer', 'subscriber'].includes(String(customer.role)));
    unsubscribedInZoho = String(synced[5]!.email);
    bridge.sim.setContactStatus(CUSTOMERS, unsubscribedInZoho, 'unsubscribed');
    const dropped = synced[150]!;
    ignoredByZoho = `${String(dropped.username)}@mailinator.com`;
    dropped.email = ignoredByZoho;
    (dropped.billing as Record<string, unknown>).email = ignoredByZoho;
    // A guest: a subscription without an account, known only by its billing address.
    const guestSubscription = shop.subscriptions.find((subscription) => subscription.status === 'active')!;
    guestSubscription.customer_id = 0;
    (guestSubscription.billing as Record<string, unknown>).email = guest;
    expected.customers = synced.map((customer) => String(customer.email).toLowerCase()).filter((email) => email !== unsubscribedInZoho);
    expected.customers.push(guest);
    const activeIds = new Set(
      shop.subscriptions
        .filter((subscription) => ['active', 'pending-cancel'].includes(String(subscription.status)))
        .map((subscription) => subscription.customer_id),
    );
    expected.active = synced.filter((customer) => activeIds.has(customer.id)).map((customer) => String(customer.email).toLowerCase());
    expected.active.push(guest);

    const connected = await bridge.services.setup.connectStore.connect(DEFAULT_STORE_ID, {
      url: shop.baseUrl,
      consumerKey: shop.consumerKey,
      consumerSecret: shop.consumerSecret,
    });
    assert.ok(connected.ok);
    // Phase 2 at a pace where hardly a job runs during the test: whoever is on a list got there by phase 1.
    bridge.services.setup.importStore = new ImportStore({ ...imports().deps, pacing: { dailyBudget: 24, burst: 1 } });
  });
  after(async () => {
    await shop?.close();
    await bridge?.close();
  });
  const imports = () => bridge.services.setup.importStore;
  const status = () => imports().status(DEFAULT_STORE_ID);
  const jobStopped = () => waitFor('the import job to stop', async () => (await bridge.services.importQueue.getActiveCount()) === 0, 30_000);
  const customerPagesRead = () =>
    shop.requests.filter((request) => request.path.endsWith('/customers') && request.status === 200).map((request) => Number(request.query.page));
  const phaseOneDone = () =>
    waitFor(
      'phase 1 to finish',
      async () => {
        const view = await status();
        return view.bulk?.phase === 'done' ? view : undefined;
      },
      60_000,
    );

  it('previews both phases and their durations, estimating a big store from its first pages', async () => {
    const full = await imports().preview(DEFAULT_STORE_ID);
    assert.ok(full.ok);
    assert.equal(full.preview.sample, undefined, 'a store this small is read whole');
    assert.ok(full.bulk, 'the fast way is offered');
    assert.equal(full.bulk.recommended, true, 'one by one would take days at this pace');
    assert.match(full.bulk.onLists, /^(under a minute|about \d+ minutes?)$/);
    assert.match(full.bulk.fields, /^about \d+ days$/);
    assert.equal(full.duration, full.bulk.fields, 'one by one, the last person waits as long as the last details');
    const joins = full.preview.lists.reduce((sum, list) => sum + list.bulk, 0);
    assert.equal(joins, expected.customers.length + 1 + expected.active.length, 'Zoho’s unsubscribed are only known once read: up to');

    shop.requests.length = 0;
    const sampling = new ImportStore({ ...imports().deps, previewSample: 100 });
    const sampled = await sampling.preview(DEFAULT_STORE_ID);
    assert.ok(sampled.ok);
    assert.deepEqual(sampled.preview.sample, { users: 100, subscriptions: 30 });
    assert.deepEqual(customerPagesRead(), [1], 'one page of customers, not the whole store');
    assert.equal(sampled.preview.users, 300, 'the total comes from X-WP-Total');
    assert.equal(sampled.preview.jobs, full.preview.jobs);
    const off = Math.abs(sampled.preview.contacts - full.preview.contacts) / full.preview.contacts;
    assert.ok(off < 0.1, `estimated ${sampled.preview.contacts} people, really ${full.preview.contacts}`);
    assert.ok(sampled.bulk, 'the estimate offers the fast way too');
  });

  it('phase 1 puts everyone on their lists; a pause stops it after the page in hand and resume goes on', async () => {
    shop.requests.length = 0;
    assert.deepEqual(await imports().start(DEFAULT_STORE_ID, { bulkFirst: true }), { ok: true, message: 'The import has started.' });
    await waitFor('the first page', async () => (await status()).reading[0]?.read === 100, 30_000);
    assert.equal((await imports().pause(DEFAULT_STORE_ID)).ok, true);
    await jobStopped();
    const paused = await status();
    assert.equal(paused.state, 'paused');
    assert.equal(paused.bulk?.phase, 'adding');
    assert.ok(paused.bulk.added > 0 && paused.bulk.added < expected.customers.length, `added ${paused.bulk.added} before the pause`);

    assert.equal((await imports().resume(DEFAULT_STORE_ID)).ok, true);
    const done = await phaseOneDone();
    assert.deepEqual(
      { added: done.bulk!.added, leftOut: done.bulk!.leftOut, ignored: done.bulk!.ignored },
      { added: expected.customers.length + expected.active.length, leftOut: 1, ignored: 1 },
    );
    for (const [list, emails] of [
      [CUSTOMERS, expected.customers],
      [ACTIVE, expected.active],
    ] as const) {
      const onList = bridge.sim.contacts(list);
      for (const email of emails) assert.equal(onList.get(email)?.status, 'active', `${email} on ${list}`);
    }
    assert.equal(bridge.sim.contacts(CUSTOMERS).get(unsubscribedInZoho)?.status, 'unsubscribed', 'never put back');

    // Streamed: each page of customers read once, but for the one read ahead when the pause came
    // (the subscriptions are read again at each start, into their small index).
    const pages = customerPagesRead();
    assert.deepEqual([...new Set(pages)].sort(), [1, 2, 3]);
    assert.ok(pages.length <= 4, `customers pages read: ${pages.join(', ')}`);

    const fallback = await bridge.services.db.syncAttempt.findMany({ where: { email: ignoredByZoho, eventId: null } });
    assert.equal(fallback.length, 1);
    assert.equal(fallback[0]!.outcome, 'done');
    assert.ok(fallback[0]!.zohoMessage!.startsWith(IGNORED_IN_BULK_REASON));
    assert.equal(await bridge.services.db.bulkAddition.count(), 0, 'the addresses recorded for the check are gone once it is done');
    // Phase 2 goes on: every customer's event waits for its slot in the queue.
    assert.ok(done.sending.inLine > 250, `in line for names and details: ${done.sending.inLine}`);
  });

  it('a worker restart in phase 1 goes on with the bulk add', async () => {
    shop.requests.length = 0;
    await imports().start(DEFAULT_STORE_ID, { bulkFirst: true });
    await waitFor('the first page', async () => (await status()).reading[0]?.read === 100, 30_000);
    await bridge.workers!.close(10_000);
    assert.equal((await status()).state, 'running', 'still to be continued, not failed');
    await bridge.startWorkers();
    const done = await phaseOneDone();
    // Whom phase 2 of the first import has synced since is on their lists already: not added again.
    const synced = await bridge.services.db.contact.findMany({ select: { syncedLists: true } });
    const alreadyOn = synced.reduce((sum, contact) => sum + contact.syncedLists.filter((list) => list === CUSTOMERS || list === ACTIVE).length, 0);
    assert.equal(done.bulk!.added + alreadyOn, expected.customers.length + expected.active.length);
    assert.deepEqual([...new Set(customerPagesRead())].sort(), [1, 2, 3]);
    assert.ok(customerPagesRead().length <= 4, 'each page once, but for the one read ahead when the worker stopped');
  });

  it('once everything is read, pause says so and cancel withdraws the names and details not sent yet', async () => {
    // Everyone changed since the imports above, so this one has events of its own to send.
    for (const customer of shop.customers) customer.date_modified_gmt = '2026-12-07T12:00:00';
    await imports().start(DEFAULT_STORE_ID);
    const read = await waitFor(
      'the reading to finish',
      async () => {
        const view = await status();
        return view.readingDone ? view : undefined;
      },
      30_000,
    );
    assert.equal(read.state, 'running');
    assert.equal(read.bulk, undefined, 'one by one this time');
    assert.deepEqual(await imports().pause(DEFAULT_STORE_ID), {
      ok: false,
      message: 'Everything was read already; the rest is on its way to Zoho. Cancel the import to withdraw what is not sent yet.',
    });
    const cancelled = await imports().cancel(DEFAULT_STORE_ID);
    assert.ok(cancelled.ok);
    assert.match(cancelled.message, /^The import is cancelled\. \d+ people it had read were not sent to Zoho\.$/);
    const view = await status();
    assert.equal(view.state, 'cancelled');
    assert.equal(view.sending.inLine, 0, 'nothing left in line');
  });

  it('cancel in phase 1 stops it; whoever is on a list stays, and the page says so', async () => {
    shop.requests.length = 0;
    await imports().start(DEFAULT_STORE_ID, { bulkFirst: true });
    await waitFor('the first additions', async () => ((await status()).bulk?.added ?? 0) > 0, 30_000);
    const cancelled = await imports().cancel(DEFAULT_STORE_ID);
    assert.ok(cancelled.ok);
    assert.match(cancelled.message, /^The import is cancelled\. .*The \d+ already put on their lists stay there\.$/);
    await jobStopped();
    const view = await status();
    assert.equal(view.state, 'cancelled');
    assert.ok(customerPagesRead().length <= 3, 'at most the page in hand was finished (and the next one read ahead)');
    assert.equal(await bridge.services.db.bulkAddition.count(), 0, 'nothing left over for a check that will not come');
  });
});
