// The first Intl object a process makes loads Node's ICU data, about 8 MiB kept for the process's
// life (src/owner/readable.ts, patches/README.md). The bridge's processes must not pay that at
// start: nothing they import may make one, and the pages write dates and numbers without it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { formatDate, formatNumber } from '../../src/owner/readable.ts';

const run = promisify(execFile);

/** Imports `modules` in a fresh Node process and lists every Intl object made meanwhile. */
async function intlMadeWhileImporting(modules: string[]): Promise<string[]> {
  const script = `
    const made = [];
    for (const name of Object.getOwnPropertyNames(Intl)) {
      const Original = Intl[name];
      if (typeof Original !== 'function') continue;
      Intl[name] = new Proxy(Original, { construct(target, args) { made.push(name); return Reflect.construct(target, args); } });
    }
    for (const [owner, method] of [[Number.prototype, 'toLocaleString'], [Date.prototype, 'toLocaleString'], [String.prototype, 'localeCompare']]) {
      const original = owner[method];
      owner[method] = function (...args) { made.push(method); return original.apply(this, args); };
    }
    for (const module of ${JSON.stringify(modules)}) await import(module);
    console.log(JSON.stringify(made));`;
  const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], { cwd: process.cwd() });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as string[];
}

describe('no ICU in the long-running processes', () => {
  test('importing everything a server and a worker load makes no Intl object', async () => {
    const modules = ['src/server.ts', 'src/worker.ts', 'src/services.ts', 'src/startup.ts', 'src/http/metrics-server.ts', 'got']
      .map((path) => (path.startsWith('src/') ? new URL(`../../${path}`, import.meta.url).href : path));
    assert.deepEqual(await intlMadeWhileImporting(modules), []);
  });

  test('the spy does see an Intl object when one is made', async () => {
    const module = `data:text/javascript,${encodeURIComponent("new Intl.ListFormat('en')")}`;
    assert.deepEqual(await intlMadeWhileImporting([module]), ['ListFormat']);
  });
});

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
