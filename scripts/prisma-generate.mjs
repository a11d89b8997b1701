// Generates the Prisma client into src/db/generated (run by `npm install` as postinstall).
//
// `prisma generate` itself needs no schema engine, yet the CLI insists on finding one before it
// starts and otherwise downloads it from Prisma's binary host, which offline machines and locked-down
// CI cannot reach. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing executable satisfies that
// check; migrations never use it, since src/db/migrations.ts runs the WebAssembly schema engine.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
// Run the CLI's JavaScript entry with this Node rather than node_modules/.bin/prisma, so it behaves
// the same on every platform (no shell shim on Windows).
const prismaCli = createRequire(import.meta.url).resolve('prisma/build/index.js');

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
// The version check would wait on a network call that cannot succeed offline.
env.CHECKPOINT_DISABLE ??= '1';

const result = spawnSync(process.execPath, [prismaCli, 'generate'], {
  cwd: repoRoot,
  env,
  stdio: 'inherit',
});

if (result.error) {
  console.error(`prisma generate could not start: ${result.error.message}`);
  process.exit(1);
}
if (result.status !== 0) process.exit(result.status ?? 1);
loadQueryCompilerFromFile();

/**
 * The generated client imports its query compiler as an ES module holding the WebAssembly in
 * base64, which stays in the heap of every process for good (4.4 MiB); src/db/query-compiler-wasm.ts
 * reads the same file as bytes instead. Stops the install if Prisma generates something else, so
 * an upgrade that changes this code is noticed rather than silently costing the memory again.
 */
function loadQueryCompilerFromFile() {
  const file = join(repoRoot, 'src/db/generated/internal/class.ts');
  const generated = readFileSync(file, 'utf8');
  const eager = /const \{ wasm \} = await import\(("[^"]+\.wasm-base64\.mjs")\)\n\s*return await decodeBase64AsWasm\(wasm\)/;
  if (!eager.test(generated)) {
    console.error(`${file}: the query compiler is not loaded as expected; see loadQueryCompilerFromFile in scripts/prisma-generate.mjs.`);
    process.exit(1);
  }
  const fromFile = generated
    .replace(eager, (_, specifier) => `return (await import('../../query-compiler-wasm.ts')).loadQueryCompilerWasm(${specifier})`)
    // Left unused by the line above.
    .replace(/\nasync function decodeBase64AsWasm\([\s\S]*?\n\}\n/, '\n');
  writeFileSync(file, fromFile);
}
