// Counting the managed Zoho lists for the overview's charts: the worker's job counts them when it
// starts, a count belongs to the owner's day and replaces that day's earlier count, days older
// than 400 are forgotten, and nothing is counted without a chosen list or a connected Zoho.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListSizeRecorder } from '../../src/use-cases/list-sizes.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { OWNER_PASSWORD } from '../support/owner.ts';
import { CUSTOMERS } from '../support/sync.ts';

describe('use case: counting the managed Zoho lists', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge();
  });
  after(() => bridge?.close());

  const rows = () => bridge.services.db.listSizeSample.findMany({ orderBy: [{ listKey: 'asc' }, { day: 'asc' }] });
  const count = async (now: Date) => {
    // The catalog keeps Zoho's answer for ten minutes; each step here wants Zoho's count of now.
    await bridge.services.zoho.catalog.forget();
    return bridge.services.listSizes.run(now);
  };

  it('counts the lists once the worker starts', async () => {
    const first = await waitFor('the scheduled count', async () => (await rows()).find((row) => row.listKey === CUSTOMERS));
    assert.equal(first.listName, 'Customers');
    assert.equal(first.contacts, 0);
  });

  it('files a count under the owner’s day and replaces that day’s earlier count', async () => {
    await bridge.services.db.listSizeSample.deleteMany({});
    await bridge.services.owner.applyConfiguredPassword(OWNER_PASSWORD);
    await bridge.services.owner.chooseTimeZone('Asia/Tokyo');
    for (const email of ['a@example.com', 'b@example.com', 'c@example.com']) bridge.sim.setContactStatus(CUSTOMERS, email, 'active');
    bridge.sim.setContactStatus(CUSTOMERS, 'gone@example.com', 'unsubscribed');

    // 20:30 UTC on 7 December is 05:30 on 8 December in Tokyo.
    assert.deepEqual(await count(new Date('2026-12-07T20:30:00Z')), { recorded: 1, day: '2026-12-08' });
    bridge.sim.setContactStatus(CUSTOMERS, 'd@example.com', 'active');
    assert.deepEqual(await count(new Date('2026-12-08T10:00:00Z')), { recorded: 1, day: '2026-12-08' });
    const stored = await rows();
    assert.deepEqual(
      stored.map((row) => ({ list: row.listKey, day: row.day.toISOString().slice(0, 10), contacts: row.contacts, at: row.recordedAt.toISOString() })),
      [{ list: CUSTOMERS, day: '2026-12-08', contacts: 4, at: '2026-12-08T10:00:00.000Z' }],
      'one row for the day, with the latest count of active contacts (the unsubscribed one is not counted)',
    );
  });

  it('forgets days older than 400', async () => {
    const old = { listKey: CUSTOMERS, listName: 'Customers', contacts: 1, recordedAt: new Date('2025-10-01T12:00:00Z') };
    await bridge.services.db.listSizeSample.createMany({
      data: [
        { ...old, day: new Date('2025-11-02T00:00:00Z') },
        { ...old, day: new Date('2025-11-03T00:00:00Z') },
      ],
    });
    await count(new Date('2026-12-08T12:00:00Z'));
    const days = (await rows()).map((row) => row.day.toISOString().slice(0, 10));
    assert.deepEqual(days, ['2025-11-03', '2026-12-08'], '2025-11-03 is 400 days before 2026-12-08 and stays; the day before goes');
  });

  it('counts nothing while no list is chosen', async () => {
    const recorder = new ListSizeRecorder({
      stores: bridge.services.repositories.stores,
      sizes: bridge.services.repositories.listSizes,
      mailingLists: () => bridge.services.zoho.catalog.mailingLists(),
      timeZone: async () => undefined,
      defaults: { customersList: undefined, roles: ['customer'] },
    });
    assert.deepEqual(await recorder.run(), { recorded: 0, skipped: 'no list is chosen yet' });
  });

  it('counts nothing while Zoho is not connected, and says why', async () => {
    await bridge.services.zoho.connector.disconnect();
    const before = await rows();
    const run = await count(new Date('2026-12-09T12:00:00Z'));
    assert.equal(run.recorded, 0);
    assert.match('skipped' in run ? run.skipped : '', /Zoho/);
    assert.deepEqual(await rows(), before);
  });
});
