// Loads Prisma's schema engine compiled to WebAssembly, so migrations can be created and applied
// without the native engine binary that the Prisma CLI downloads from Prisma's own host.
import { readFile } from 'node:fs/promises';
import { bindMigrationAwareSqlAdapterFactory } from '@prisma/driver-adapter-utils';
import * as glue from '@prisma/schema-engine-wasm/schema_engine_bg';
import type { PoolConfig } from 'pg';
import { openEngineConnections } from './engine-connections.ts';
import { engineSetTimeout, engineStarted } from './engine-timers.ts';

export type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';

/** Receives the engine's log lines (one JSON object each). */
export type EngineLogger = (line: string) => void;

/** No table or enum of this project is managed outside Prisma. */
export const noExternalEntities: glue.SchemaFilter = { externalTables: [], externalEnums: [] };

// The ES2023 lib has no WebAssembly types (they come with the DOM lib); this is the one call used.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: Record<string, object>): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

let wasmLoaded: Promise<void> | undefined;

/**
 * The package's main entry imports its .wasm file as an ES module, which Node 20 refuses, so the
 * JavaScript glue is imported on its own and the module is instantiated by hand, once per process.
 */
function loadWasm(): Promise<void> {
  wasmLoaded ??= (async () => {
    const glueUrl = import.meta.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = await readFile(new URL('schema_engine_bg.wasm', glueUrl));
    const imports: Record<string, unknown> = { ...glue };
    // The glue's export names carry a build hash (__wbg_setTimeout_5d6a…).
    for (const name of Object.keys(imports)) {
      if (name.startsWith('__wbg_setTimeout_')) imports[name] = engineSetTimeout;
    }
    const { instance } = await WebAssembly.instantiate(bytes, { './schema_engine_bg.js': imports });
    glue.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
  })();
  return wasmLoaded;
}

/** Whether this thread has loaded the engine (it cannot be unloaded): for tests. */
export function schemaEngineLoaded(): boolean {
  return wasmLoaded !== undefined;
}

/**
 * Runs `work` with a schema engine connected to `database`, then frees the engine and closes
 * its connections, whether `work` succeeded or not.
 */
export async function withSchemaEngine<T>(database: PoolConfig, work: (engine: glue.SchemaEngine) => Promise<T>, log: EngineLogger = () => {}): Promise<T> {
  await loadWasm();
  const engineStopped = engineStarted();
  const connections = openEngineConnections(database);
  try {
    // The engine expects the error-capturing wrapper; a bare adapter factory fails inside it.
    const adapterFactory = bindMigrationAwareSqlAdapterFactory(connections.factory);
    const engine = await glue.SchemaEngine.new({ datamodels: undefined }, log, adapterFactory);
    try {
      return await work(engine);
    } finally {
      engine.free();
    }
  } finally {
    await connections.close();
    engineStopped();
  }
}
