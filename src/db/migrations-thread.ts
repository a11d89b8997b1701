// Applies migrations in a worker thread. The schema engine is a WebAssembly module that, once
// loaded, stays in its process for good (~15 MB of RSS): every process that found a migration
// pending at start (the first start after an upgrade that brings one, and any process started
// beside it that looked before the first had finished) carried it for its whole life. A thread's
// memory is returned when the thread ends.
//
// This file is both sides: imported, it exports the function; run as the thread (marked by
// workerData), it applies the migrations and posts back their names.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { applyMigrations } from './migrations.ts';

interface ThreadTask {
  task: 'apply-migrations';
  databaseUrl: string;
}

/** applyMigrations, run in a thread of its own; resolves with the names of the migrations applied. */
export function applyMigrationsInThread(databaseUrl: string): Promise<string[]> {
  const task: ThreadTask = { task: 'apply-migrations', databaseUrl };
  return new Promise((resolve, reject) => {
    const thread = new Worker(threadEntry(), { workerData: task });
    let applied: string[] | undefined;
    thread.once('message', (names: string[]) => {
      applied = names;
    });
    // An error in the thread arrives here first; the exit that follows then changes nothing.
    thread.once('error', reject);
    thread.once('exit', (code) => {
      if (applied) resolve(applied);
      else reject(new Error(`The migration thread ended (exit code ${code}) without applying the migrations.`));
    });
  });
}

/** This module, as the thread's entry point. */
function threadEntry(): URL {
  const self = new URL(import.meta.url);
  if (!self.pathname.endsWith('.ts')) return self; // the compiled build: plain JavaScript
  // The TypeScript sources (tests, development) run through tsx, whose loader a thread does not
  // inherit: the thread registers it first, then imports this module.
  const tsx = import.meta.resolve('tsx/esm/api');
  const bootstrap = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(self.href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(bootstrap)}`);
}

const task = isMainThread ? undefined : (workerData as Partial<ThreadTask> | undefined);
if (task?.task === 'apply-migrations' && task.databaseUrl) {
  // An error here ends the thread with it, and the caller's promise rejects with its message.
  parentPort!.postMessage(await applyMigrations(task.databaseUrl));
}
