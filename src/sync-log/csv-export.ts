// The sync log as a CSV file for a spreadsheet: the rows of any filtered view, newest first, read a
// page at a time and written as they come, so a long export never sits in memory. Every value
// came from WooCommerce or Zoho, so a cell a spreadsheet would run as a formula is neutralised.
import type { EventFilter } from './event-filter.ts';
import type { LogPage, LogRow, PageRequest } from './sync-log.ts';

/** An export stops after this many rows and says so in its last line (docs/dashboard.md). */
export const EXPORT_ROW_CAP = 50_000;
const PAGE = 200;

const HEADER = [
  'Received (UTC)',
  'Received (your time)',
  'Change number',
  'Store',
  'Change',
  'Customer name',
  'Email',
  'Customer number',
  'Subscription',
  'Status',
  'What happened',
];

/**
 * One CSV cell. A spreadsheet runs a cell starting with =, +, - or @ as a formula (and some also
 * one starting with a tab or carriage return): such a cell gets a leading apostrophe, which
 * spreadsheets show as text (OWASP's advice on CSV injection). Every cell is quoted.
 */
export function csvCell(value: string | number | undefined | null): string {
  let text = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return `"${text.replaceAll('"', '""')}"`;
}

export function csvLine(values: Array<string | number | undefined | null>): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

export interface ExportOptions {
  /** One page of the log, newest first (SyncLog.page with the list names). */
  page: (filter: EventFilter, request: PageRequest) => Promise<LogPage>;
  filter: EventFilter;
  /** How the owner's pages write a moment in their time zone. */
  localTime: (date: Date) => string;
  cap?: number;
}

/** The CSV text, line by line: a header, the rows, and a last line when the cap cut it short. */
export async function* syncLogCsv(options: ExportOptions): AsyncGenerator<string> {
  const cap = options.cap ?? EXPORT_ROW_CAP;
  yield `\uFEFF${csvLine(HEADER)}`;
  let written = 0;
  let before: bigint | undefined;
  for (;;) {
    const page = await options.page(options.filter, { before, limit: Math.min(PAGE, cap - written + 1) });
    for (const row of page.rows) {
      if (written === cap) {
        yield csvLine([`Only the newest ${cap} changes are in this file. Narrow the filters (days, status, store) to export the rest.`]);
        return;
      }
      yield csvLine(cells(row, options.localTime));
      written++;
    }
    if (!page.older) return;
    before = BigInt(page.older);
  }
}

function cells(row: LogRow, localTime: (date: Date) => string): Array<string | undefined> {
  return [
    row.receivedAt.toISOString(),
    localTime(row.receivedAt),
    row.id,
    row.storeName,
    row.topicLabel,
    row.person.name,
    row.person.email,
    row.person.customerId,
    row.person.subscriptionId,
    row.statusLabel,
    row.explanation,
  ];
}
