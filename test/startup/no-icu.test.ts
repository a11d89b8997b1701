// The first Intl object a process makes loads Node's ICU data, about 8 MiB kept for the process's
// life (src/readable.ts, patches/README.md). The bridge's processes must not pay that at
// start: nothing they import may make one (test/owner/readable.test.ts: the pages' own formats).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';

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
    const modules = ['src/server.ts', 'src/worker.ts', 'src/services.ts', 'src/startup.ts', 'src/http/metrics-server.ts', 'got'].map((path) =>
      path.startsWith('src/') ? new URL(`../../${path}`, import.meta.url).href : path,
    );
    assert.deepEqual(await intlMadeWhileImporting(modules), []);
  });

  test('the spy does see an Intl object when one is made', async () => {
    const module = `data:text/javascript,${encodeURIComponent("new Intl.ListFormat('en')")}`;
    assert.deepEqual(await intlMadeWhileImporting([module]), ['ListFormat']);
  });
});
