// Child processes for the benchmarks: the bridge's server and worker roles exactly as production
// runs them (`npm start`'s `node build/main.js server|worker`), and the bare Fastify comparison. Each
// is its own process with its own event loop; logs go to bench/output/logs/.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readFileSync, closeSync } from 'node:fs';
import { join } from 'node:path';
import { OUTPUT_DIR, REPO_ROOT } from './paths.ts';

export interface BenchProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the exit code once the process has exited. */
  readonly exited: Promise<number | null>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

const children = new Set<ChildProcess>();
// A bench interrupted by Ctrl-C must not leave servers and workers behind (its database and
// Redis keys are removed by the next run, see removeLeftovers).
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

export { freePort } from '../../tools/support/ports.ts';

export interface NodeProcessOptions {
  /** Extra node flags, e.g. --cpu-prof. */
  nodeOptions?: string[];
  /** Working directory (a checkout of the bridge to measure). @defaultValue this repository */
  cwd?: string;
  /** Plain JavaScript: run without tsx's loader. */
  plain?: boolean;
}

export function startNodeProcess(name: string, args: string[], env: Record<string, string>, options: NodeProcessOptions = {}): BenchProcess {
  const logDir = join(OUTPUT_DIR, 'logs');
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `${name}.log`);
  const fd = openSync(logFile, 'w');
  const child = spawn(process.execPath, [...(options.nodeOptions ?? []), ...(options.plain ? [] : ['--import', 'tsx']), ...args], {
    cwd: options.cwd ?? REPO_ROOT,
    // Only what the bench decides: no inherited .env-style surprises beyond PATH and HOME.
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  children.add(child);
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      children.delete(child);
      resolve(code);
    });
  });
  return {
    name,
    pid: child.pid!,
    logFile,
    exited,
    async stop(graceMs = 30_000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
}

const built = new Set<string>();

/**
 * Starts a bridge role the way `npm start` does: `node build/main.js <role>`, building first if
 * the sources changed. A checkout from before the build existed (`--bridge-root`, for a before
 * and after) runs as it did then: `node --import tsx src/main.ts <role>`.
 */
export function startBridgeRole(name: string, role: 'server' | 'worker', env: Record<string, string>, options: NodeProcessOptions = {}): BenchProcess {
  const root = options.cwd ?? REPO_ROOT;
  if (!existsSync(join(root, 'scripts/build.mjs'))) return startNodeProcess(name, ['src/main.ts', role], env, options);
  if (!built.has(root)) {
    execFileSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, stdio: 'inherit' });
    built.add(root);
  }
  const production = productionStart(root);
  const nodeOptions = [...production.nodeFlags, ...(options.nodeOptions ?? [])];
  return startNodeProcess(name, ['build/main.js', role], { ...production.env, ...env }, { ...options, nodeOptions, plain: true });
}

/**
 * How `npm start` runs the build: package.json "start" is `… && [NAME=value …] node [--flag …]
 * build/main.js`. Its environment assignments and node flags are what production adds.
 */
export function productionStart(root: string): StartCommand {
  const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
  return parseStartCommand(scripts.start ?? '');
}

export interface StartCommand {
  env: Record<string, string>;
  nodeFlags: string[];
}

export function parseStartCommand(command: string): StartCommand {
  const match = /((?:\b[A-Z_]+=\S+\s+)*)node((?:\s+--\S+)*)\s+build\/main\.js/.exec(command);
  const assignments = (match?.[1] ?? '').split(/\s+/).filter(Boolean);
  return {
    env: Object.fromEntries(assignments.map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)])),
    nodeFlags: (match?.[2] ?? '').split(/\s+/).filter(Boolean),
  };
}

/** Polls `url` until it answers 200. */
export async function waitForHttp(url: string, process: BenchProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void process.exited.then(() => (exited = true));
  for (;;) {
    if (exited) throw new Error(`${process.name} exited before it was ready; see ${process.logFile}:\n${tail(process.logFile)}`);
    try {
      const response = await fetch(url);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${process.name} was not ready after ${timeoutMs} ms; see ${process.logFile}`);
    await sleep(100);
  }
}

/** Waits for a line containing `text` in the process's log (pino JSON lines). */
export async function waitForLog(process: BenchProcess, text: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited = false;
  void process.exited.then(() => (exited = true));
  for (;;) {
    if (readFileSync(process.logFile, 'utf8').includes(text)) return;
    if (exited) throw new Error(`${process.name} exited before logging "${text}":\n${tail(process.logFile)}`);
    if (Date.now() > deadline) throw new Error(`${process.name} did not log "${text}" within ${timeoutMs} ms; see ${process.logFile}`);
    await sleep(100);
  }
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-20).join('\n');
  } catch {
    return '';
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export { REPO_ROOT };
