// How the pages write moments and numbers without Intl (src/readable.ts), held to Intl's
// own output for the formats they replace.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatDate, formatNumber } from '../../src/readable.ts';

describe('dates and numbers on the pages', () => {
  const intlDate = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

  test('a moment reads as Intl’s en-GB medium date and short time, in UTC', () => {
    const moments = [Date.UTC(2026, 10, 27, 15, 4, 59), Date.UTC(2026, 0, 1, 0, 0), Date.UTC(1999, 11, 31, 23, 59), Date.UTC(2024, 1, 29, 9, 5)];
    for (let t = Date.UTC(2020, 0, 1); t < Date.UTC(2031, 0, 1); t += 7_919_999_997) moments.push(t);
    for (const moment of moments) {
      const date = new Date(moment);
      assert.equal(formatDate(date), `${intlDate.format(date)} UTC`, date.toISOString());
    }
  });

  test('no date, or an invalid one, is written as nothing', () => {
    assert.equal(formatDate(undefined), '');
    assert.equal(formatDate(new Date(Number.NaN)), '');
  });

  test('numbers are grouped in thousands as Intl does in English', () => {
    const values = [0, 7, 42, 999, 1000, 12_500, 75_000, 999_999, 1_000_000, 123_456_789, -1234, 1234.5, 9_007_199_254_740_991];
    for (const value of values) assert.equal(formatNumber(value), value.toLocaleString('en'), String(value));
  });
});
