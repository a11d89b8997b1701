// Runs the bridge as a real child process (`node --import tsx src/main.ts <role>`), so a drill can
// SIGKILL or SIGTERM it for real. It joins a test bridge through `bridge.env` (same database,
// Redis prefix and Zoho simulator). Its JSON log lines are collected for assertions.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { killWithThisProcess } from './child-processes.ts';
import { freePort } from '../../tools/support/ports.ts';

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

export interface BridgeProcess {
  readonly role: 'all' | 'server' | 'worker';
  readonly pid: number;
  /** Base URL of the HTTP server (roles all and server). */
  readonly url: string | undefined;
  readonly logs: LogLine[];
  /** Resolves with how the process ended. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>;
  waitForLog(what: string, match: (line: LogLine) => boolean, timeoutMs?: number): Promise<LogLine>;
  signal(signal: NodeJS.Signals): void;
  /** SIGKILL if still running, and wait for the exit (safe to call twice). */
  stop(): Promise<void>;
}

/** How to start the bridge: its TypeScript through tsx (default), or a compiled main.js. */
const TSX_ENTRY = ['--import', 'tsx', 'src/main.ts'];

export async function spawnBridge(
  role: 'all' | 'server' | 'worker',
  env: Record<string, string>,
  overrides: Record<string, string> = {},
  entry: string[] = TSX_ENTRY,
): Promise<BridgeProcess> {
  const port = role === 'worker' ? undefined : await freePort();
  const child: ChildProcess = spawn(process.execPath, [...entry, role], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH ?? '',
      ...env,
      LOG_LEVEL: 'info',
      ...(port === undefined ? {} : { PORT: String(port) }),
      ...overrides,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  killWithThisProcess(child);
  const logs: LogLine[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let pending = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      try {
        logs.push(JSON.parse(line) as LogLine);
      } catch {
        logs.push({ level: 30, msg: line });
      }
    }
    for (const wake of waiters) wake();
  });
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; atMs: number }>((resolve) =>
    child.once('exit', (code, signal) => {
      resolve({ code, signal, atMs: Date.now() });
      for (const wake of waiters) wake();
    }),
  );

  const process_: BridgeProcess = {
    role,
    pid: child.pid!,
    url: port === undefined ? undefined : `http://127.0.0.1:${port}`,
    logs,
    exited,
    async waitForLog(what, match, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = logs.find(match);
        if (found) return found;
        if (child.exitCode !== null || child.signalCode !== null) {
          throw new Error(`${role} process ended (${child.exitCode ?? child.signalCode}) before logging ${what}. stderr: ${stderr}`);
        }
        if (Date.now() > deadline) throw new Error(`Timed out waiting for the ${role} process to log ${what}. stderr: ${stderr}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            clearTimeout(timer);
            resolve();
          };
          const timer = setTimeout(wake, 100);
          waiters.add(wake);
        });
      }
    },
    signal(signal) {
      child.kill(signal);
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };

  const ready = role === 'server' ? /Server listening/ : /Sync workers started/;
  // Generous: starting a process is slow on a loaded machine (module loading dominates).
  await process_
    .waitForLog(`that it is ready (${ready})`, (line) => ready.test(line.msg), 60_000)
    .catch(async (error: unknown) => {
      await process_.stop();
      throw error;
    });
  return process_;
}
