// `npm run build`: compiles src/ to build/ (plain JavaScript, same layout) and copies the files
// the service reads next to its modules (page templates, the stylesheet).
//
// Production runs build/main.js with plain node rather than src/main.ts through tsx: tsx keeps a
// module loader thread and transformed sources in every process, about 50 MB of RSS each.
// Tests and the CLI keep running the TypeScript sources directly.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const src = join(root, 'src');
// `--out DIR` (a test checks a build without touching build/); it must stay inside the project,
// where node_modules and prisma/ are found.
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? resolve(process.argv[outArg + 1]) : join(root, 'build');

const stamp = join(out, '.built');

/** The newest modification time of any file under `dir`. */
function newestChange(dir) {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestChange(path) : stat.mtimeMs);
  }
  return newest;
}

// `--if-stale` (npm start): nothing to do when no source changed since the last build.
if (process.argv.includes('--if-stale') && existsSync(stamp)) {
  const sources = Math.max(newestChange(src), statSync(join(root, 'tsconfig.build.json')).mtimeMs, statSync(join(root, 'tsconfig.json')).mtimeMs);
  if (statSync(stamp).mtimeMs >= sources) process.exit(0);
}

// The stamp says when the build started: a source saved while tsc runs is then newer than the
// stamp, and the next --if-stale builds again instead of running code without that change.
const startedAt = new Date();
rmSync(out, { recursive: true, force: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', out], { stdio: 'inherit' });

let copied = 0;
(function copyAssets(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) copyAssets(path);
    else if (!name.endsWith('.ts')) {
      cpSync(path, join(out, relative(src, path)));
      copied++;
    }
  }
})(src);
writeFileSync(stamp, `${startedAt.toISOString()}\n`);
utimesSync(stamp, startedAt, startedAt);
console.log(`Built ${relative(root, out)}/ from src/ (${copied} templates and assets copied).`);
