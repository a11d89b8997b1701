// The overview's last 30 days on a real Postgres: each change counts on the day it arrived in the
// owner's time zone (across a daylight-saving change), as sent only when Zoho took a call for it
// or it went with a newer change; earlier days are counted again after ten minutes, today at every
// view; and the lists' sizes line up with the same days.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { EventStatus } from '../../src/db/rows.ts';
import { EventRepository } from '../../src/db/events.ts';
import { ListSizeRepository } from '../../src/db/list-sizes.ts';
import { OverviewTrendReader, PAST_DAYS_FRESH_MS, TREND_DAYS } from '../../src/use-cases/overview-trend.ts';
import { createTestDatabase, type TestDatabase } from '../../tools/support/database.ts';

const ZONE = 'America/New_York';
/** 22:00 on 7 December in New York. */
const NOW = new Date('2026-12-08T03:00:00Z');

describe('the overview’s trend', () => {
  let database: TestDatabase;
  let reader: OverviewTrendReader;
  let sizes: ListSizeRepository;
  let serial = 0;

  /** A change received at `at` that ended as `status`; `sentToZoho` records a call Zoho accepted. */
  async function change(storeId: string, at: string, status: EventStatus, sentToZoho = false) {
    const body = `{"n":${++serial}}`;
    const event = await database.prisma.webhookEvent.create({
      data: {
        storeId,
        topic: 'customer.updated',
        resource: 'customer',
        bodySha256: createHash('sha256').update(body).digest('hex'),
        body: Buffer.from(body),
        headers: {},
        status,
        receivedAt: new Date(at),
      },
    });
    if (sentToZoho) {
      await database.prisma.syncAttempt.create({
        data: {
          storeId,
          eventId: event.id,
          email: 'a@example.com',
          action: 'subscribe',
          listKey: 'customers',
          contactInfo: {},
          attempt: 1,
          outcome: 'done',
          durationMs: 5,
        },
      });
    }
  }

  before(async () => {
    database = await createTestDatabase();
    for (const id of ['default', 'outlet']) await database.prisma.store.create({ data: { id, name: id, url: `https://${id}.example.com` } });
    sizes = new ListSizeRepository(database.prisma);
    reader = new OverviewTrendReader({
      events: new EventRepository(database.prisma),
      sizes,
      managedListKeys: async () => ['customers', 'vip'],
    });
  });
  after(() => database?.drop());

  it('counts each day’s changes in the owner’s zone, by what became of them', async () => {
    await change('default', '2026-12-08T02:00:00Z', 'synced', true); // 21:00 on 7 Dec in New York
    await change('default', '2026-12-07T06:00:00Z', 'coalesced'); // 01:00 on 7 Dec
    await change('default', '2026-12-07T07:00:00Z', 'synced'); // nothing was sent: not counted as sent
    await change('default', '2026-12-07T04:00:00Z', 'failed', true); // 23:00 on 6 Dec; failed later
    for (const status of ['received', 'queued', 'waiting'] as const) await change('default', '2026-12-05T15:00:00Z', status);
    await change('default', '2026-12-05T16:00:00Z', 'skipped');
    await change('outlet', '2026-12-07T15:00:00Z', 'failed');
    // Daylight saving time ended on 1 November: the first day, 8 November, starts at 05:00 UTC.
    await change('default', '2026-11-08T04:59:00Z', 'synced', true);
    await change('default', '2026-11-08T05:00:00Z', 'synced', true);
    await change('default', '2026-12-08T05:00:00Z', 'synced', true); // tomorrow in New York

    const trend = await reader.read(ZONE, ['default', 'outlet'], NOW);
    assert.equal(trend.days.length, TREND_DAYS);
    assert.equal(trend.days[0], '2026-11-08');
    assert.equal(trend.days.at(-1), '2026-12-07');
    const busy = (storeId: string) =>
      Object.fromEntries(trend.stores[storeId]!.filter((day) => day.sent + day.failed + day.waiting > 0).map(({ day, ...counts }) => [day, counts]));
    assert.deepEqual(busy('default'), {
      '2026-11-08': { sent: 1, failed: 0, waiting: 0 },
      '2026-12-05': { sent: 0, failed: 0, waiting: 3 },
      '2026-12-06': { sent: 0, failed: 1, waiting: 0 },
      '2026-12-07': { sent: 2, failed: 0, waiting: 0 },
    });
    assert.deepEqual(busy('outlet'), { '2026-12-07': { sent: 0, failed: 1, waiting: 0 } });
  });

  it('counts today’s changes at every view, and earlier days again after ten minutes', async () => {
    await change('outlet', '2026-12-08T01:00:00Z', 'synced', true); // today
    await change('outlet', '2026-12-06T15:00:00Z', 'synced', true); // two days ago
    const outlet = async (now: Date) => {
      const days = (await reader.read(ZONE, ['outlet'], now)).stores.outlet!;
      return { twoDaysAgo: days.at(-2)!.sent, today: days.at(-1)!.sent, failedToday: days.at(-1)!.failed };
    };
    assert.deepEqual(await outlet(NOW), { twoDaysAgo: 0, today: 1, failedToday: 1 }, 'the earlier day is as counted at the last view');
    assert.deepEqual(await outlet(new Date(NOW.getTime() + PAST_DAYS_FRESH_MS + 1)), { twoDaysAgo: 1, today: 1, failedToday: 1 });
  });

  it('gives each managed list its size at the end of each day, and no size where it was not counted', async () => {
    await sizes.record('2026-11-07', [{ listKey: 'customers', listName: 'Old name', contacts: 5 }], new Date('2026-11-08T04:00:00Z'));
    await sizes.record('2026-11-20', [{ listKey: 'customers', listName: 'Old name', contacts: 10 }], new Date('2026-11-21T04:00:00Z'));
    await sizes.record('2026-12-07', [{ listKey: 'customers', listName: 'Customers', contacts: 12 }], NOW);
    await sizes.record('2026-12-07', [{ listKey: 'elsewhere', listName: 'Not managed', contacts: 1 }], NOW);

    const trend = await reader.read(ZONE, ['default'], NOW);
    assert.deepEqual(
      trend.lists.map((list) => ({ ...list, sizes: list.sizes.filter((size) => size.contacts !== undefined) })),
      [
        {
          key: 'customers',
          name: 'Customers',
          sizes: [
            { day: '2026-11-20', contacts: 10 },
            { day: '2026-12-07', contacts: 12 },
          ],
        },
        { key: 'vip', name: 'vip', sizes: [] },
      ],
    );
    assert.equal(trend.lists[0]!.sizes.length, TREND_DAYS);
  });
});
