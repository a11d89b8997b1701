// How long an import takes, for its preview (the CLI's dry run and the dashboard's "Before you
// start"), with and without the bulk add. Rough by nature: Zoho's answers and the store's pages
// take what they take; the pace of listsubscribe (pacing.ts) is what makes the big numbers.
import { bulkDurationMs, LIST_PAGE_SIZE } from './bulk-calls.ts';
import type { BackfillPacer } from './pacing.ts';
import type { BackfillPreview } from './preview.ts';

export interface ImportDurations {
  /** Reading the whole store (once; the bulk phase reads the subscriptions a second time). */
  readingMs: number;
  /** With the bulk add: until everyone it may add is on their lists, the lists read back included. */
  onListsMs: number;
  /** Until every name and field is there: listsubscribe's pace, with or without the bulk add. */
  fieldsMs: number;
}

/** A getlistsubscribers page, read back after the bulk add: a few hundred ms, 500 calls in 5 minutes. */
const LIST_PAGE_MS = 500;
const LIST_PAGES_PER_WINDOW = 500;
const LIST_WINDOW_MS = 5 * 60_000;

export function importDurations(preview: BackfillPreview, pacer: BackfillPacer): ImportDurations {
  const { customers, subscriptions, averageMs } = preview.pages;
  const readingMs = averageMs * (customers + subscriptions);
  const listPages = Math.ceil(preview.bulk.addresses / LIST_PAGE_SIZE) + preview.lists.length;
  const checkingMs = listPages * LIST_PAGE_MS + Math.floor(listPages / LIST_PAGES_PER_WINDOW) * LIST_WINDOW_MS;
  // The bulk calls go out while the next pages are read: whichever is slower sets the pace.
  const onListsMs = Math.max(readingMs + averageMs * subscriptions, bulkDurationMs(preview.bulk.calls)) + checkingMs;
  return { readingMs, onListsMs, fieldsMs: Math.max(readingMs, pacer.durationFor(preview.jobs)) };
}
