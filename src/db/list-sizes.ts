// Repository for list_size_samples: how many active contacts each managed Zoho list had, one row
// per list and day, for the overview's chart (src/use-cases/list-sizes.ts records them).
import type { Db } from './client.ts';

export interface ListSize {
  listKey: string;
  listName: string;
  contacts: number;
}

export interface ListSizeOnDay extends ListSize {
  /** "2026-12-08", the owner's day when it was counted. */
  day: string;
  recordedAt: Date;
}

export class ListSizeRepository {
  constructor(private readonly db: Db) {}

  /** The lists' sizes on `day`, replacing an earlier count of the same day. */
  async record(day: string, sizes: ListSize[], recordedAt: Date): Promise<void> {
    for (const size of sizes) {
      const row = { listName: size.listName, contacts: size.contacts, recordedAt };
      await this.db.listSizeSample.upsert({
        where: { listKey_day: { listKey: size.listKey, day: dateOf(day) } },
        create: { listKey: size.listKey, day: dateOf(day), ...row },
        update: row,
      });
    }
  }

  /** Forgets the days before `day`; returns how many rows went. */
  async deleteBefore(day: string): Promise<number> {
    const { count } = await this.db.listSizeSample.deleteMany({ where: { day: { lt: dateOf(day) } } });
    return count;
  }

  /** The counts of these lists from `fromDay` on, oldest first. */
  async since(fromDay: string, listKeys: string[]): Promise<ListSizeOnDay[]> {
    if (listKeys.length === 0) return [];
    const rows = await this.db.listSizeSample.findMany({
      where: { day: { gte: dateOf(fromDay) }, listKey: { in: listKeys } },
      orderBy: [{ day: 'asc' }, { listKey: 'asc' }],
    });
    return rows.map((row) => ({ ...row, day: row.day.toISOString().slice(0, 10) }));
  }
}

/** A DATE column reads and writes as midnight UTC of that day. */
function dateOf(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}
