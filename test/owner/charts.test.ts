// The overview's chart geometry (src/http/admin/charts.ts): scales end on round numbers whose half
// is whole, a day's bar stacks its parts without gaps or overlaps up to its total, five days are
// named under a month, and a list's line breaks where a day was not counted.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayBarsChart, listLineChart, niceCeiling } from '../../src/http/admin/charts.ts';
import { addDays } from '../../src/sync-log/time-zones.ts';

const DAYS = Array.from({ length: 30 }, (_, index) => addDays('2026-11-09', index));

describe('the overview’s charts', () => {
  it('ends each scale on 1, 2, 4, 6 or 8 times a power of ten', () => {
    assert.deepEqual([0, 1, 2, 3, 5, 7, 9, 11, 45, 61, 999, 1001].map(niceCeiling), [1, 1, 2, 4, 6, 8, 10, 20, 60, 80, 1000, 2000]);
  });

  it('stacks each day’s sent, failed and unsent changes up to the day’s total', () => {
    const counts = DAYS.map((day) => ({ day, sent: 0, failed: 0, waiting: 0 }));
    counts[10] = { ...counts[10]!, sent: 3, failed: 1, waiting: 2 };
    counts[29] = { ...counts[29]!, sent: 1 };
    const chart = dayBarsChart('Changes', counts);
    assert.deepEqual(
      chart.gridlines.map((line) => line.label),
      ['6', '3'],
    );
    const [sent, failed, waiting] = chart.slots[10]!.bars;
    assert.deepEqual([sent?.outcome, failed?.outcome, waiting?.outcome], ['sent', 'failed', 'waiting']);
    assert.equal(sent!.y + sent!.height, 100, 'sent stands on the baseline');
    assert.ok(Math.abs(failed!.y + failed!.height - sent!.y) < 0.02, 'failed sits on sent');
    assert.ok(Math.abs(waiting!.y - chart.gridlines[0]!.y) < 0.02, 'the day’s total of 6 reaches the top line');
    assert.equal(chart.slots[0]!.bars.length, 0);
    assert.equal(chart.slots[29]!.tooltip, 'Tue 8 Dec: 1 sent to Zoho, 0 failed, 0 not sent yet');
    assert.deepEqual(
      chart.xLabels.map((label) => [label.text, label.anchor]),
      [
        ['9 Nov', 'start'],
        ['17 Nov', 'middle'],
        ['24 Nov', 'middle'],
        ['1 Dec', 'middle'],
        ['8 Dec', 'end'],
      ],
    );
    assert.equal(chart.description, 'In the last 30 days: 4 sent to Zoho, 1 failed, 2 not sent yet. The busiest day was Thu 19 Nov, with 6.');
    assert.deepEqual(chart.rows[10], { day: 'Thu 19 Nov', sent: '3', failed: '1', waiting: '2' });
  });

  it('says so when nothing arrived', () => {
    const chart = dayBarsChart(
      'Changes',
      DAYS.map((day) => ({ day, sent: 0, failed: 0, waiting: 0 })),
    );
    assert.equal(chart.empty, true);
    assert.equal(chart.description, 'No changes arrived in the last 30 days.');
  });

  it('joins a list’s counts on days in a row, and leaves a gap where a day was not counted', () => {
    const sizes = DAYS.map((day, index) => ({ day, contacts: index < 25 ? undefined : index === 27 ? undefined : 1_000 + index }));
    const chart = listLineChart('Customers', { key: 'k', name: 'Customers', sizes });
    assert.equal(chart.points.length, 4);
    assert.equal(chart.segments.length, 2, '25–26 and 28–29; nothing across 27');
    assert.deepEqual(chart.latest, { contacts: '1,029', change: '+4 since 4 Dec' });
    const [high, low] = chart.gridlines.map((line) => Number(line.label.replace(',', '')));
    assert.ok(low! <= 1_025 && high! >= 1_029 && high! > low!, `the scale ${low}–${high} holds every count`);
    assert.equal(chart.rows[27]!.contacts, 'not counted');
    assert.equal(listLineChart('Empty', { key: 'e', name: 'Empty', sizes: DAYS.map((day) => ({ day, contacts: undefined })) }).empty, true);
  });
});
