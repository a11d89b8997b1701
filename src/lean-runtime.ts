// V8 settings for a long-running bridge process, applied at start (before any WebAssembly is
// compiled), so they hold however the process is started: npm start, node --import tsx, Docker.
// Measured in bench/RESULTS.md ("Memory"), as are the savings made elsewhere.
//
// Elsewhere:
// - production runs the compiled build/, not tsx (scripts/build.mjs);
// - Prisma's query compiler is its size-optimised build (compilerBuild = "small", schema.prisma);
// - the start commands (package.json, Dockerfile) cap the young generation (--max-semi-space-size)
//   and glibc's malloc arenas (MALLOC_ARENA_MAX=2: otherwise each thread that allocates, such as
//   V8's GC helpers and libuv's pool, gets arenas of its own, and the worker's grew by ~10 MB in
//   each minute's burst of Zoho calls; one arena saved a few MB more but cost the receiver ~15 %
//   CPU in malloc contention); both are read only when the process starts, so they cannot be set
//   from here.
//
// Here:
// - Prisma's query compiler is a WebAssembly module. V8 first compiles it with its baseline
//   compiler and then recompiles hot functions with its optimising one; that second copy of the
//   code, and the memory the optimiser works in, add ~60 MB of RSS to every process while the
//   queries it speeds up are compiled once and cached. Keeping it on baseline code saves the memory
//   for a cost that does not show in the benchmarks.
// - V8 lets the heap grow to several times the live data before a full collection. With ~40 MB
//   live, that is 150+ MB of garbage carried at peaks; allowing 20 % growth instead (with the
//   savings listed above and in bench/RESULTS.md) keeps both roles under 150 MB, for a little more
//   GC work (the worker is paced by Zoho, and the receiver promotes little since its payload check
//   stopped allocating).
import { setFlagsFromString } from 'node:v8';

/** Optimising-compiler tier-up budget for WebAssembly: high enough that it never triggers. */
const WASM_TIERING_BUDGET = 2_000_000_000;
/** Heap may grow to 1.2 × the live data before the next full collection. */
const HEAP_GROWING_PERCENT = 20;

export function applyLeanRuntime(): void {
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
