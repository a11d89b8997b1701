// Counts the Zoho lists the bridge manages, for the overview's "size over time" charts. Zoho says
// how many active contacts a list has in its getmailinglists answer (noofcontacts,
// docs/zoho-api.md, "Endpoints the bridge uses"), so one call counts every list; the catalog's
// cached answer (at most ten minutes old) is used when it has one. A worker job runs this every
// hour: today's row is replaced each time, so a past day keeps the size it closed with.
import type { ListSizeRepository } from '../db/list-sizes.ts';
import type { StoreRepository } from '../db/stores.ts';
import { addDays, dayIn } from '../sync-log/time-zones.ts';
import { effectiveSettings, managedLists, type SettingsDefaults } from '../sync/store-settings.ts';
import type { CatalogAnswer } from '../zoho/catalog.ts';
import type { MailingList } from '../zoho/mailing-lists.ts';

/** Days of counts kept: a year and a bit, so a chart can compare with the same time last year. */
export const LIST_SIZE_DAYS_KEPT = 400;

export interface ListSizeDependencies {
  stores: Pick<StoreRepository, 'list'>;
  sizes: Pick<ListSizeRepository, 'record' | 'deleteBefore'>;
  /** The account's lists with their counts (ZohoCatalog.mailingLists). */
  mailingLists: () => Promise<CatalogAnswer<MailingList[]>>;
  /** The owner's time zone (undefined: UTC): a count belongs to the owner's day. */
  timeZone: () => Promise<string | undefined>;
  defaults: SettingsDefaults;
}

export type ListSizeRun =
  | { recorded: number; day: string }
  /** Nothing was counted, and why (no list chosen yet, Zoho not connected or not answering). */
  | { recorded: 0; skipped: string };

export class ListSizeRecorder {
  constructor(private readonly deps: ListSizeDependencies) {}

  /** Every list any store fills, by key. */
  async managedListKeys(): Promise<string[]> {
    const stores = await this.deps.stores.list();
    return [...new Set(stores.flatMap((store) => managedLists(effectiveSettings(store.settings, this.deps.defaults))))];
  }

  async run(now = new Date()): Promise<ListSizeRun> {
    const keys = await this.managedListKeys();
    if (keys.length === 0) return { recorded: 0, skipped: 'no list is chosen yet' };
    const answer = await this.deps.mailingLists();
    if (!answer.ok) return { recorded: 0, skipped: answer.message };
    const day = dayIn(await this.deps.timeZone(), now);
    const sizes = keys.flatMap((key) => {
      const list = answer.value.find((entry) => entry.key === key);
      // A list Zoho no longer has, or without a count, is left out rather than drawn as empty.
      return list?.contacts === undefined ? [] : [{ listKey: key, listName: list.name, contacts: list.contacts }];
    });
    await this.deps.sizes.record(day, sizes, now);
    await this.deps.sizes.deleteBefore(addDays(day, -LIST_SIZE_DAYS_KEPT));
    return { recorded: sizes.length, day };
  }
}
