// What the machine and the processes under test were doing: CPU time per process and for the
// whole machine (other engineers' tests share it), resident memory, versions for the record.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import pg from 'pg';
import { REPO_ROOT } from './paths.ts';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU seconds (user + system) a process has used so far. */
export function processCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which is in parentheses and may contain spaces.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
}

/**
 * Seconds the process's main thread (its event loop) has spent ready to run but waiting for a
 * CPU, from the scheduler's own accounting (/proc/<pid>/schedstat, second field). On two cores
 * shared with Postgres and the load generator this is where a latency tail can come from that is
 * neither the code nor the disk. Undefined where the kernel does not keep these statistics.
 */
export function runQueueWaitSeconds(pid: number): number | undefined {
  try {
    const waitedNs = Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[1]);
    return Number.isFinite(waitedNs) ? waitedNs / 1e9 : undefined;
  } catch {
    return undefined;
  }
}

/** Resident set size in MiB (VmRSS). */
export function rssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kib / 1024;
}

/** Busy and total jiffies of the whole machine. */
function machineJiffies(): { busy: number; total: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
  const values = line.trim().split(/\s+/).slice(1).map(Number);
  const idle = (values[3] ?? 0) + (values[4] ?? 0);
  const total = values.reduce((sum, value) => sum + value, 0);
  return { busy: total - idle, total };
}

export interface CpuWindow {
  /** CPU seconds per wall second used by each watched process (1.0 = one core). */
  processes: Record<string, number>;
  /** Share of all cores busy, whoever used them (0..1). */
  machineBusy: number;
  loadAverage1m: number;
}

/** CPU seconds per process; processes that are gone are left out. */
function cpuByPid(pids: number[]): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    try {
      seconds.set(pid, processCpuSeconds(pid));
    } catch {
      // exited
    }
  }
  return seconds;
}

/**
 * Starts measuring CPU use of named processes or groups of processes (e.g. every Postgres
 * backend serving the bench database); call the returned function at the end of the window.
 * A process that exits during the window is left out of its group.
 */
export function measureCpu(groups: Record<string, number | number[]>): (joined?: Record<string, number[]>) => CpuWindow {
  const startedAt = performance.now();
  const pidsOf = (value: number | number[]) => (Array.isArray(value) ? value : [value]);
  const start = Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, cpuByPid(pidsOf(pids))]));
  const machineStart = machineJiffies();
  // `joined`: processes that may have started during the window (a pool opening connections);
  // all of their CPU time falls inside it.
  return (joined = {}) => {
    const seconds = (performance.now() - startedAt) / 1000;
    const machineEnd = machineJiffies();
    const used = (name: string, pids: number[]) => {
      let sum = 0;
      const all = new Set([...pids, ...(joined[name] ?? [])]);
      for (const [pid, end] of cpuByPid([...all])) sum += end - (start[name]!.get(pid) ?? (pids.includes(pid) ? end : 0));
      return sum;
    };
    return {
      processes: Object.fromEntries(Object.entries(groups).map(([name, pids]) => [name, round(used(name, pidsOf(pids)) / seconds, 2)])),
      machineBusy: round((machineEnd.busy - machineStart.busy) / Math.max(1, machineEnd.total - machineStart.total), 2),
      loadAverage1m: round(loadavg()[0]!, 2),
    };
  };
}

/**
 * CPU cores used by processes other than `ours` (other engineers' tests share the machine),
 * measured over `sampleMs`.
 */
export async function othersCpu(ours: number[], sampleMs = 3_000): Promise<number> {
  const stop = measureCpu({ ours });
  await new Promise((resolve) => setTimeout(resolve, sampleMs));
  const window = stop();
  return round(Math.max(0, window.machineBusy * cpus().length - window.processes.ours!), 2);
}

/**
 * Waits until other processes use less than `maxCores` (measured over 3 s), at most `maxWaitMs`.
 * Returns the last measurement, so a result taken on a busy machine says so.
 */
export async function waitForQuiet(
  ours: () => Promise<number[]>,
  maxCores: number,
  maxWaitMs: number,
): Promise<{ othersCores: number; waitedSeconds: number }> {
  const startedAt = Date.now();
  for (;;) {
    const othersCores = await othersCpu(await ours());
    const waitedSeconds = Math.round((Date.now() - startedAt) / 1000);
    if (othersCores <= maxCores || Date.now() - startedAt >= maxWaitMs) return { othersCores, waitedSeconds };
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
}

export interface MachineReport {
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  kernel: string;
  node: string;
  postgres: string;
  redis: string;
  packages: Record<string, string>;
  loadAverageAtStart: number[];
}

export async function describeMachine(databaseUrl: string, redisInfo: string): Promise<MachineReport> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const postgres = (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  await client.end();
  const packageVersion = (name: string) => (JSON.parse(readFileSync(`${REPO_ROOT}node_modules/${name}/package.json`, 'utf8')) as { version: string }).version;
  return {
    cpuModel: cpus()[0]?.model ?? 'unknown',
    cores: cpus().length,
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    kernel: execFileSync('uname', ['-r']).toString().trim(),
    node: process.version,
    postgres,
    redis: /redis_version:(\S+)/.exec(redisInfo)?.[1] ?? 'unknown',
    packages: Object.fromEntries(
      ['fastify', 'bullmq', '@prisma/client', '@prisma/adapter-pg', 'pg', 'ioredis', 'got', 'pino', 'zod', 'tsx', 'autocannon'].map((name) => [
        name,
        packageVersion(name),
      ]),
    ),
    loadAverageAtStart: loadavg().map((value) => round(value, 2)),
  };
}

/** A share (0..1) as a percentage for the tables; '–' when it was not measured. */
export function percent(share: number | undefined): string {
  return share === undefined ? '–' : `${(share * 100).toFixed(1)} %`;
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The value at quantile `q` (0–1) of `sorted` (ascending), in ms to two decimals; NaN when empty. */
export function quantileMs(sorted: number[], q: number): number {
  return round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN, 2);
}
