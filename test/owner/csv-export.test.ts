// The CSV export's cells and cap, on a sync log that hands out pages like the real one.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { csvCell, syncLogCsv } from '../../src/sync-log/csv-export.ts';
import type { LogPage, LogRow } from '../../src/sync-log/sync-log.ts';

describe('CSV export', () => {
  it('neutralises cells a spreadsheet would run as a formula, and quotes every cell', () => {
    assert.equal(csvCell('=HYPERLINK("http://x","y")'), `"'=HYPERLINK(""http://x"",""y"")"`);
    assert.equal(csvCell('+33 1 23'), `"'+33 1 23"`);
    assert.equal(csvCell('-2+3'), `"'-2+3"`);
    assert.equal(csvCell('@SUM(A1)'), `"'@SUM(A1)"`);
    assert.equal(csvCell('\t=1'), `"'\t=1"`);
    assert.equal(csvCell('\r=1'), `"'\r=1"`);
    assert.equal(csvCell('Ana = Ng'), '"Ana = Ng"', 'only the start of a cell matters');
    assert.equal(csvCell(undefined), '""');
    assert.equal(csvCell(42), '"42"');
  });

  it('stops at the cap and says so in the last line', async () => {
    const rows = Array.from({ length: 7 }, (_, index) => row(String(100 - index)));
    const log = {
      async page(_filter: unknown, request: { before?: bigint | undefined; limit?: number | undefined }): Promise<LogPage> {
        const rest = rows.filter((entry) => request.before === undefined || BigInt(entry.id) < request.before);
        const shown = rest.slice(0, request.limit ?? 50);
        return {
          rows: shown,
          newer: undefined,
          older: rest.length > shown.length ? shown.at(-1)!.id : undefined,
          total: { count: rows.length, capped: false },
        };
      },
    };
    const lines: string[] = [];
    for await (const line of syncLogCsv({ page: log.page, filter: {}, localTime: () => 'local', cap: 5 })) lines.push(line);
    assert.equal(lines.length, 1 + 5 + 1);
    assert.match(lines[1]!, /^"2026-12-08T10:00:00.000Z","local","100",/);
    assert.match(lines.at(-1)!, /Only the newest 5 changes are in this file/);

    const all: string[] = [];
    for await (const line of syncLogCsv({ page: log.page, filter: {}, localTime: () => 'local', cap: 7 })) all.push(line);
    assert.equal(all.length, 1 + 7, 'no note when everything fits');
  });
});

function row(id: string): LogRow {
  return {
    id,
    storeId: 'default',
    storeName: 'Shop',
    topic: 'customer.created',
    topicLabel: 'New customer',
    status: 'synced',
    statusLabel: 'Sent to Zoho',
    tone: 'ok',
    explanation: 'Put on Customers.',
    person: { name: 'Ana', email: 'ana@example.com', customerId: '1', subscriptionId: undefined },
    receivedAt: new Date('2026-12-08T10:00:00Z'),
    calls: [],
    redeliveries: 0,
  };
}
