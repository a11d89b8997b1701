// Memory: resident set size of a server process and a worker process while deliveries stream in
// at a steady rate and the worker syncs them into the Zoho simulator (Zoho's real limits, so the
// worker does what production allows: 500 calls a minute while the backlog grows in Redis).
import { BENCH_SECRET, createBenchEnvironment } from '../lib/bench-env.ts';
import { CustomerDeliveries } from '../lib/deliveries.ts';
import { runPaced } from '../lib/paced-load.ts';
import { freePort, sleep, startBridgeRole, waitForHttp, waitForLog, type BenchProcess } from '../lib/processes.ts';
import { round, rssMiB } from '../lib/system.ts';
import { bridgeEnvironment, startZohoSimulator } from '../../tools/zoho-simulator/index.ts';

export interface MemoryOptions {
  minutes: number;
  rate: number;
  sampleSeconds: number;
  /** The bridge's LOG_LEVEL (production default: info). */
  logLevel: string;
  /** Extra node flags for both processes (e.g. --heapsnapshot-signal=SIGUSR2 to look inside). */
  nodeOptions?: string[];
  /** Another checkout of the bridge to measure (e.g. the code before an optimisation). */
  bridgeRoot?: string;
}

export interface RssSeries {
  /** [seconds since load started, MiB] */
  samples: Array<[number, number]>;
  start: number;
  peak: number;
  end: number;
  /** Least-squares slope over the second half of the run, MiB per minute (≈0 when flat). */
  slopeSecondHalf: number;
}

export interface MemoryReport {
  options: MemoryOptions;
  idleMiB: { server: number; worker: number };
  server: RssSeries;
  worker: RssSeries;
  delivered: number;
  failed: number;
  p99Ms: number;
  /** Events the worker synced meanwhile (Zoho allows 500 a minute). */
  synced: number;
  violations: number;
}

export async function runMemory(options: MemoryOptions, log: (line: string) => void): Promise<MemoryReport> {
  const sim = await startZohoSimulator({ recordCalls: false });
  const env = await createBenchEnvironment('memory');
  const processes: BenchProcess[] = [];
  try {
    const zohoEnv = bridgeEnvironment(sim);
    const port = await freePort();
    const nodeOptions = { nodeOptions: options.nodeOptions ?? [], ...(options.bridgeRoot ? { cwd: options.bridgeRoot } : {}) };
    const server = startBridgeRole('memory-server', 'server', env.bridgeEnv({ ...zohoEnv, PORT: String(port), LOG_LEVEL: options.logLevel }), nodeOptions);
    processes.push(server);
    const worker = startBridgeRole('memory-worker', 'worker', env.bridgeEnv({ ...zohoEnv, LOG_LEVEL: options.logLevel }), nodeOptions);
    processes.push(worker);
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, server);
    await waitForLog(worker, 'Sync workers started');
    await sleep(2_000);
    const idleMiB = { server: round(rssMiB(server.pid)), worker: round(rssMiB(worker.pid)) };
    log(`  idle after start: server ${idleMiB.server} MiB, worker ${idleMiB.worker} MiB`);

    const samples = { server: [] as Array<[number, number]>, worker: [] as Array<[number, number]> };
    const startedAt = Date.now();
    const sample = () => {
      const seconds = round((Date.now() - startedAt) / 1000, 0);
      samples.server.push([seconds, round(rssMiB(server.pid))]);
      samples.worker.push([seconds, round(rssMiB(worker.pid))]);
    };
    sample();
    const sampler = setInterval(sample, options.sampleSeconds * 1000);
    let lastLog = Date.now();
    const progress = setInterval(() => {
      if (Date.now() - lastLog < 60_000) return;
      lastLog = Date.now();
      const [, serverRss] = samples.server[samples.server.length - 1]!;
      const [, workerRss] = samples.worker[samples.worker.length - 1]!;
      log(`  ${round((Date.now() - startedAt) / 60_000, 1)} min: server ${serverRss} MiB, worker ${workerRss} MiB`);
    }, 5_000);
    const deliveries = new CustomerDeliveries({ secret: BENCH_SECRET, tag: env.id });
    let customer = 0;
    const load = await runPaced(`http://127.0.0.1:${port}/webhooks/woocommerce`, () => deliveries.build(customer++), options.rate, options.minutes * 60);
    clearInterval(sampler);
    clearInterval(progress);
    sample();

    const stats = sim.stats;
    const sum = (record: Record<string, number | undefined>) => Object.values(record).reduce<number>((total, value) => total + (value ?? 0), 0);
    const synced = await env.countEvents("status = 'synced'");
    return {
      options,
      idleMiB,
      server: series(samples.server),
      worker: series(samples.worker),
      delivered: load.ok,
      failed: load.failed,
      p99Ms: load.latencyMs.p99,
      synced,
      violations: sum(stats.rateLimitViolations),
    };
  } finally {
    for (const process of processes) await process.stop();
    await env.close();
    await sim.close();
  }
}

export function series(samples: Array<[number, number]>): RssSeries {
  const values = samples.map(([, mib]) => mib);
  const half = samples.slice(Math.floor(samples.length / 2));
  return {
    samples,
    start: values[0] ?? NaN,
    peak: Math.max(...values),
    end: values[values.length - 1] ?? NaN,
    slopeSecondHalf: round(slopePerMinute(half), 2),
  };
}

function slopePerMinute(points: Array<[number, number]>): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const meanX = points.reduce((sum, [x]) => sum + x, 0) / n;
  const meanY = points.reduce((sum, [, y]) => sum + y, 0) / n;
  let numerator = 0;
  let denominator = 0;
  for (const [x, y] of points) {
    numerator += (x - meanX) * (y - meanY);
    denominator += (x - meanX) ** 2;
  }
  return denominator === 0 ? 0 : (numerator / denominator) * 60;
}
