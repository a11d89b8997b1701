// V8 settings for a long-running bridge process, set at start before any WebAssembly is compiled.
// Prisma's query compiler stays on baseline code (its optimised copy would add ~60 MB to every
// process for queries that are compiled once), and the heap grows by 20 % rather than several
// times the live data before a full collection. The start commands set what must be set earlier.
import { setFlagsFromString } from 'node:v8';

/** Optimising-compiler tier-up budget for WebAssembly: high enough that it never triggers. */
const WASM_TIERING_BUDGET = 2_000_000_000;
/** Heap may grow to 1.2 × the live data before the next full collection. */
const HEAP_GROWING_PERCENT = 20;

export function applyLeanRuntime(): void {
  setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
