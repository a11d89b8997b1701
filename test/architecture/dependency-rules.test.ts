// The layer rules in .dependency-cruiser.cjs catch what they are meant to. Each probe below is a
// small file with one import the rules forbid, added to a copy of the tree in a temporary folder
// (never to src/ itself, which other tests build while this one runs).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

const tag = 'x';
const probe = (folder: string, name: string) => `src/${folder}/probe-${name}-${tag}.ts`;
let copy: string;

/** Each probe file, the import it makes, and the rule that must refuse it. */
const PROBES = [
  { file: probe('db', 'edge'), source: "export { isHandledTopic } from '../woocommerce/topics.ts';", rule: 'infrastructure-below-the-rest' },
  { file: probe('zoho', 'domain'), source: "export type { SyncEventResult } from '../sync/sync-event.ts';", rule: 'edges-below-the-domain' },
  { file: probe('zoho', 'woo'), source: "export { HANDLED_TOPICS } from '../woocommerce/topics.ts';", rule: 'edges-apart' },
  { file: probe('use-cases', 'http'), source: "export { healthRoutes } from '../http/health.ts';", rule: 'use-cases-below-delivery' },
  { file: probe('jobs', 'cli'), source: "export type { CliOutput } from '../cli/output.ts';", rule: 'delivery-mechanisms-apart' },
  { file: probe('http', 'root'), source: "export { buildApp } from '../app.ts';", rule: 'delivery-below-the-root' },
  { file: probe('http', 'locator'), source: "export type { Services } from '../services.ts';", rule: 'delivery-below-the-root' },
  { file: probe('cli', 'locator'), source: "export type { Services } from '../services.ts';", rule: 'delivery-below-the-root' },
  { file: probe('access', 'prisma'), source: "export type { Db } from '../db/client.ts';", rule: 'prisma-only-in-db' },
  { file: probe('sync', 'prisma'), source: "export type { Prisma } from '../db/generated/client.ts';", rule: 'prisma-only-in-db' },
  { file: probe('zoho', 'tools'), source: "export { freePort } from '../../tools/support/ports.ts';", rule: 'src-not-test-or-tools' },
  { file: probe('sync', 'circle-a'), source: `export { b } from './probe-circle-b-${tag}.ts';\nexport const a = 1;`, rule: 'no-circular' },
];
/** The other half of the circle: depcruise reports a circle once, from either end. */
const CIRCLE_B = { file: probe('sync', 'circle-b'), source: `export { a } from './probe-circle-a-${tag}.ts';\nexport const b = 2;` };

interface Violation {
  rule: { name: string };
  from: string;
}

function cruise(cwd: string, paths: string[]): { violations: Violation[] } {
  const depcruise = resolve('node_modules/.bin/depcruise');
  const run = spawnSync(depcruise, [...paths, '--config', '.dependency-cruiser.cjs', '--output-type', 'json'], { cwd, encoding: 'utf8' });
  const report = JSON.parse(run.stdout) as { summary: { violations: Violation[] } };
  return { violations: report.summary.violations };
}

describe('dependency rules', () => {
  before(() => {
    copy = mkdtempSync(join(tmpdir(), 'wzb-layers-'));
    for (const path of ['src', 'tools', 'tsconfig.json', '.dependency-cruiser.cjs']) cpSync(path, join(copy, path), { recursive: true });
    symlinkSync(resolve('node_modules'), join(copy, 'node_modules'));
    for (const { file, source } of [...PROBES, CIRCLE_B]) writeFileSync(join(copy, file), `${source}\n`);
  });
  after(() => {
    rmSync(copy, { recursive: true, force: true });
  });

  it('refuse an import against the layers, a circle, src/ importing tools/, and Prisma outside src/db/', () => {
    const { violations } = cruise(
      copy,
      PROBES.map(({ file }) => file),
    );
    for (const { file, rule } of PROBES) {
      assert.ok(
        violations.some(
          (violation) => (violation.from === file || (rule === 'no-circular' && violation.from === CIRCLE_B.file)) && violation.rule.name === rule,
        ),
        `${file} should break ${rule}; got ${JSON.stringify(violations.filter((violation) => violation.from === file))}`,
      );
    }
  });

  it('pass on the tree as it is', () => {
    assert.deepEqual(cruise(process.cwd(), ['src', 'tools', 'bench', 'scripts']).violations, []);
  });
});
