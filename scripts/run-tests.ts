// `npm test`: builds the migrated template database once, then runs every test file with node's
// test runner. Files run in parallel; each one gets its own database and Redis prefix.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { chromiumPath } from '../tools/support/chromium-path.ts';
import { prepareTestTemplate } from '../tools/support/database.ts';

function testFiles(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return testFiles(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}

const filter = process.argv.slice(2);
const files = testFiles('test')
  .filter((file) => filter.length === 0 || filter.some((part) => file.includes(part)))
  .sort();
if (files.length === 0) {
  console.error(`No test files match ${filter.join(' ')}`);
  process.exit(1);
}

await prepareTestTemplate();
const env = { ...process.env, CHROMIUM_PATH: await chromiumPath() };
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 3}`, '--test-timeout=180000', ...files],
  { stdio: 'inherit', env },
);
process.exit(result.status ?? 1);
