// Generates the Prisma client into src/db/generated (run by `npm install` as postinstall).
//
// `prisma generate` itself needs no schema engine, yet the CLI insists on finding one before it
// starts and otherwise downloads it from Prisma's binary host, which offline machines and locked-down
// CI cannot reach. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing executable satisfies that
// check; migrations never use it, since src/db/migrations.ts runs the WebAssembly schema engine.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
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
process.exit(result.status ?? 1);
