// Prisma's query compiler is loaded from its file as bytes, not imported as a module whose base64
// text would stay in every process's heap (src/db/query-compiler-wasm.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { loadQueryCompilerWasm } from '../../src/db/query-compiler-wasm.ts';

const COMPILER = '@prisma/client/runtime/query_compiler_small_bg.postgresql.wasm-base64.mjs';

describe('the query compiler', () => {
  test('the generated client loads it through loadQueryCompilerWasm, never by importing the base64 module', () => {
    const generated = readFileSync(new URL('../../src/db/generated/internal/class.ts', import.meta.url), 'utf8');
    assert.match(generated, new RegExp(`loadQueryCompilerWasm\\("${COMPILER.replaceAll('.', '\\.')}"\\)`));
    assert.doesNotMatch(generated, /await import\("[^"]*wasm-base64/);
  });

  test('compiles the same WebAssembly as the module holds', async () => {
    const fromFile = (await loadQueryCompilerWasm(COMPILER)) as WebAssemblyModule;
    const { wasm } = (await import(COMPILER)) as { wasm: string };
    const fromModule = new WebAssemblyApi.Module(Buffer.from(wasm, 'base64'));
    assert.deepEqual(WebAssemblyApi.Module.exports(fromFile), WebAssemblyApi.Module.exports(fromModule));
    assert.ok(
      WebAssemblyApi.Module.exports(fromFile).some((entry) => entry.name === 'querycompiler_compile'),
      'it is the query compiler',
    );
  });

  test('refuses a module that holds no base64 string', async () => {
    await assert.rejects(loadQueryCompilerWasm('@prisma/client/runtime/query_compiler_small_bg.postgresql.mjs'), /does not hold the query compiler/);
  });
});

type WebAssemblyModule = object;
/** The WebAssembly API as far as this test uses it (the project's `lib` does not declare it). */
const WebAssemblyApi = (
  globalThis as unknown as {
    WebAssembly: { Module: { new (bytes: Uint8Array): WebAssemblyModule; exports(module: WebAssemblyModule): Array<{ name: string; kind: string }> } };
  }
).WebAssembly;
