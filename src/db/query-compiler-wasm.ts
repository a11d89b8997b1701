// Loads Prisma's query compiler (WebAssembly) without keeping its text in the heap.
//
// The client Prisma generates for Node imports the compiler as an ES module whose one export is the
// 2.3 MB of WebAssembly in base64, and an ES module stays loaded for the life of the process, its
// source included: two copies of that text, 4.4 MiB of every server's and worker's heap, for a
// module compiled once at the first query (Prisma has no setting to load it from a file). scripts/prisma-generate.mjs points the generated client here instead: the
// same file is read as plain bytes, decoded, compiled, and nothing of it is kept.
import { readFile } from 'node:fs/promises';

/** The one part of the WebAssembly API used here; the project's `lib` (no DOM) does not declare it. */
declare const WebAssembly: { Module: new (bytes: Uint8Array) => object };

/** How every WebAssembly binary starts: "\0asm". */
const WASM_MAGIC = Buffer.from([0x00, 0x61, 0x73, 0x6d]);

/** Compiles the WebAssembly in a `const wasm = "<base64>"` module of @prisma/client's runtime. */
export async function loadQueryCompilerWasm(specifier: string): Promise<object> {
  const source = await readFile(new URL(import.meta.resolve(specifier)));
  const start = source.indexOf('"') + 1;
  const end = source.lastIndexOf('"');
  const bytes = Buffer.from(source.subarray(start, Math.max(start, end)).toString('latin1'), 'base64');
  if (!bytes.subarray(0, 4).equals(WASM_MAGIC)) throw new Error(`${specifier} does not hold the query compiler as a base64 string.`);
  return new WebAssembly.Module(bytes);
}
