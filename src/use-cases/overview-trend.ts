// The overview's trend: the last 30 days in the owner's time zone, per store the changes each day
// brought by what became of them (sent, failed, not sent yet), and each managed Zoho list's size at
// the end of each day (counted by src/use-cases/list-sizes.ts). Counting a month of changes reads
// every one of them (about 1.5 s for 225,000 on a busy 2-core machine), so the days before today
// are kept for ten minutes per process; today's, a few milliseconds, are counted at every view.
import type { EventRepository } from '../db/events.ts';
import type { ListSizeRepository } from '../db/list-sizes.ts';
import { addDays, dayIn, dayStartIn } from '../sync-log/time-zones.ts';

export const TREND_DAYS = 30;
/** @defaultValue 10 minutes */
export const PAST_DAYS_FRESH_MS = 10 * 60_000;

type DayCounts = Awaited<ReturnType<EventRepository['countPerDay']>>;

export interface DayOutcomes {
  /** "2026-12-08", in the owner's time zone. */
  day: string;
  sent: number;
  failed: number;
  waiting: number;
}

export interface ListSizeTrend {
  key: string;
  /** The name Zoho gave the list when it was last counted (the key until it is counted). */
  name: string;
  /** Active contacts at the end of each day (today: at the last count); undefined when not counted. */
  sizes: Array<{ day: string; contacts: number | undefined }>;
}

export interface OverviewTrend {
  days: string[];
  /** Per store id, one entry per day. */
  stores: Record<string, DayOutcomes[]>;
  lists: ListSizeTrend[];
}

export interface TrendDependencies {
  events: Pick<EventRepository, 'countPerDay'>;
  sizes: Pick<ListSizeRepository, 'since'>;
  /** Every list a store fills now (ListSizeRecorder.managedListKeys). */
  managedListKeys: () => Promise<string[]>;
}

export class OverviewTrendReader {
  #past: { key: string; until: number; counts: Promise<DayCounts> } | undefined;

  constructor(private readonly deps: TrendDependencies) {}

  async read(timeZone: string | undefined, storeIds: string[], now = new Date()): Promise<OverviewTrend> {
    const today = dayIn(timeZone, now);
    const days = Array.from({ length: TREND_DAYS }, (_, index) => addDays(today, index - (TREND_DAYS - 1)));
    const starts = [...days, addDays(today, 1)].map((day) => dayStartIn(timeZone, day));
    const listKeys = await this.deps.managedListKeys();
    const [past, todays, sizes] = await Promise.all([
      this.#pastCounts(`${timeZone}|${today}`, starts.slice(0, TREND_DAYS), now),
      this.deps.events.countPerDay(starts.slice(TREND_DAYS - 1)),
      this.deps.sizes.since(days[0]!, listKeys),
    ]);
    const counts = [...past, ...todays.map((row) => ({ ...row, day: TREND_DAYS }))];
    const stores: Record<string, DayOutcomes[]> = {};
    for (const storeId of storeIds) {
      stores[storeId] = days.map((day, index) => {
        const row = counts.find((count) => count.storeId === storeId && count.day === index + 1);
        return { day, sent: row?.sent ?? 0, failed: row?.failed ?? 0, waiting: row?.waiting ?? 0 };
      });
    }
    const lists = listKeys.map((key) => {
      const own = sizes.filter((size) => size.listKey === key);
      return {
        key,
        name: own.at(-1)?.listName ?? key,
        sizes: days.map((day) => ({ day, contacts: own.find((size) => size.day === day)?.contacts })),
      };
    });
    return { days, stores, lists };
  }

  /** The days before today, counted at most PAST_DAYS_FRESH_MS ago (one count at a time). */
  #pastCounts(key: string, starts: Date[], now: Date): Promise<DayCounts> {
    if (this.#past?.key === key && this.#past.until > now.getTime()) return this.#past.counts;
    const counts = this.deps.events.countPerDay(starts);
    const entry = { key, until: now.getTime() + PAST_DAYS_FRESH_MS, counts };
    this.#past = entry;
    counts.catch(() => {
      if (this.#past === entry) this.#past = undefined;
    });
    return counts;
  }
}
