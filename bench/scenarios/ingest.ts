// Ingest: signed 1–3 KB WooCommerce customer deliveries against the real server process (Postgres,
// Redis), at fixed rates and at saturation, next to a bare Fastify route in the same run.
// "Durable accepts" are 200 answers whose event id is then found committed in webhook_events.
import { cpus } from 'node:os';
import { BENCH_SECRET, createBenchEnvironment, type BenchEnvironment } from '../lib/bench-env.ts';
import { measureCommitLatency, type CommitLatency } from '../lib/commit-latency.ts';
import { CustomerDeliveries } from '../lib/deliveries.ts';
import { runLoad } from '../lib/load.ts';
import { runPaced } from '../lib/paced-load.ts';
import { freePort, sleep, startBridgeRole, startNodeProcess, waitForHttp, type BenchProcess } from '../lib/processes.ts';
import { measureCpu, percent, round, runQueueWaitSeconds, waitForQuiet, type CpuWindow } from '../lib/system.ts';

export interface IngestOptions {
  /** Seconds per measured run. */
  durationSeconds: number;
  /** Saturation runs per target, alternating bridge and bare. */
  saturationRepeats: number;
  /** Connections for saturation runs. */
  saturationConnections: number;
  /** Connections for autocannon's fixed-rate runs. */
  rateConnections: number;
  /** The bridge's LOG_LEVEL (production default: info). */
  logLevel: string;
  /** Another checkout of the bridge to measure (e.g. the code before an optimisation). */
  bridgeRoot?: string;
  /** Wait before each run until other processes use at most this many cores (max wait below). */
  quietCores: number;
  quietWaitSeconds: number;
  /** node flags for the bridge server, e.g. --cpu-prof. */
  serverNodeOptions?: string[];
}

/**
 * open-loop-new-conn: the open loop with a new connection for every delivery and `Connection:
 * close`, which is how WooCommerce sends (docs/woocommerce-webhooks.md, "The delivery request") when nothing sits between it and
 * the bridge; the other loads reuse connections, as a reverse proxy in front of the bridge does.
 */
export type IngestMode = 'autocannon-rate' | 'open-loop' | 'open-loop-new-conn' | 'saturation';

export interface IngestRun {
  target: 'bridge' | 'bare';
  mode: IngestMode;
  rate: number | undefined;
  connections: number | undefined;
  sent: number;
  ok: number;
  failed: number;
  /** For the bridge: how many of the 200 answers' event ids are committed (must equal ok). */
  committed: number | undefined;
  throughput: number;
  latencyMs: { p50: number; p90: number; p99: number; p99_9: number; max: number; mean: number };
  cpu: CpuWindow;
  /** Cores used by other processes during the run (machine busy minus ours). */
  othersCores: number;
  /** Server CPU milliseconds per answered request. */
  serverCpuMsPerRequest: number;
  /**
   * Share of the run during which the server's event loop was ready to run but had no CPU
   * (bench/lib/system.ts, runQueueWaitSeconds); undefined where the kernel does not say.
   */
  serverCpuWaitShare: number | undefined;
}

export interface IngestReport {
  options: IngestOptions;
  runs: IngestRun[];
  summary: {
    bridgeSaturation: number;
    bareSaturation: number;
    ratio: number;
    /** openLoopNewConnections: not part of the target (see IngestMode); reported beside it. */
    p99At1000: { autocannon: number; openLoop: number; openLoopNewConnections: number };
    allCommitted: boolean;
    leftUnqueued: number;
    /**
     * CPU milliseconds per accepted delivery in the bridge's saturation runs (median), by process:
     * what the run cost, largely independent of what else the machine was doing.
     */
    cpuMsPerDelivery: { server: number; postgres: number; redis: number; loadGenerator: number };
    /**
     * Not a measurement: the deliveries per second those CPU costs would allow on this machine
     * with nothing else running, bounded by the server's single event loop (one core) and by all
     * cores for server + Postgres + Redis + load generator together.
     */
    cpuModelCapacity: { serverBound: number; machineBound: number };
    /** Single commits on the idle machine before the runs (bench/lib/commit-latency.ts). */
    commitLatency: CommitLatency;
  };
}

export async function runIngest(options: IngestOptions, log: (line: string) => void): Promise<IngestReport> {
  const env = await createBenchEnvironment('ingest');
  const processes: BenchProcess[] = [];
  try {
    const bridgePort = await freePort();
    const barePort = await freePort();
    const server = startBridgeRole('ingest-server', 'server', env.bridgeEnv({ PORT: String(bridgePort), LOG_LEVEL: options.logLevel }), {
      nodeOptions: options.serverNodeOptions ?? [],
      ...(options.bridgeRoot ? { cwd: options.bridgeRoot } : {}),
    });
    processes.push(server);
    const bare = startNodeProcess('ingest-bare', ['bench/lib/bare-server.ts'], { PORT: String(barePort) });
    processes.push(bare);
    await waitForHttp(`http://127.0.0.1:${bridgePort}/healthz`, server);
    await waitForHttp(`http://127.0.0.1:${barePort}/healthz`, bare);

    const targets = {
      bridge: { url: `http://127.0.0.1:${bridgePort}/webhooks/woocommerce`, pid: server.pid },
      bare: { url: `http://127.0.0.1:${barePort}/webhooks/woocommerce`, pid: bare.pid },
    };
    const deliveries = new CustomerDeliveries({ secret: BENCH_SECRET, tag: env.id });
    let customer = 0;
    const nextDelivery = () => deliveries.build(customer++); // a new customer every time
    const redisPid = Number(/process_id:(\d+)/.exec(await env.redis.info('server'))?.[1] ?? 0);

    // Warm-up (JIT, pools, caches); not recorded.
    for (const target of Object.values(targets)) {
      await runLoad(target.url, nextDelivery, { rate: undefined, connections: options.saturationConnections, durationSeconds: 5 });
    }

    // Before any load: how the disk under Postgres flushes single commits on its own.
    await waitForQuiet(async () => [process.pid, server.pid, bare.pid, ...(await env.postgresBackends())], options.quietCores, options.quietWaitSeconds * 1000);
    const commitLatency = await measureCommitLatency(env.pool, 20);
    log(
      `  commit latency, idle, 20 s: ${commitLatency.commits} commits, p50 ${commitLatency.p50Ms} p99.9 ${commitLatency.p99_9Ms} max ${commitLatency.maxMs} ms, ` +
        `${commitLatency.over20Ms} over 20 ms, ${commitLatency.over100Ms} over 100 ms`,
    );

    const runs: IngestRun[] = [];
    const measure = async (name: keyof typeof targets, mode: IngestMode, rate: number | undefined) => {
      const target = targets[name];
      const ours = async () => [process.pid, server.pid, bare.pid, redisPid, ...(await env.postgresBackends())];
      const quiet = await waitForQuiet(ours, options.quietCores, options.quietWaitSeconds * 1000);
      const waitedBefore = runQueueWaitSeconds(target.pid);
      const stopCpu = measureCpu({
        server: target.pid,
        postgres: await env.postgresBackends(),
        redis: redisPid,
        loadGenerator: process.pid,
        ours: await ours(),
      });
      // biome-ignore lint/suspicious/noImplicitAnyLet: TypeScript types it from the two branches below.
      let outcome;
      if (mode === 'open-loop' || mode === 'open-loop-new-conn') {
        const paced = await runPaced(target.url, nextDelivery, rate!, options.durationSeconds, { newConnections: mode === 'open-loop-new-conn' });
        outcome = { ...paced, connections: undefined };
      } else {
        const connections = mode === 'saturation' ? options.saturationConnections : options.rateConnections;
        const loaded = await runLoad(target.url, nextDelivery, { rate, connections, durationSeconds: options.durationSeconds });
        outcome = { ...loaded, failed: loaded.non2xx + loaded.errors + loaded.timeouts, connections };
      }
      const waitedAfter = runQueueWaitSeconds(target.pid);
      const cpu = stopCpu({ postgres: await env.postgresBackends() });
      const seconds = outcome.durationSeconds;
      const othersCores = round(Math.max(0, cpu.machineBusy * cpus().length - (cpu.processes.ours ?? 0)), 2);
      const committed = name === 'bridge' ? await env.countCommitted(outcome.eventIds) : undefined;
      const run: IngestRun = {
        target: name,
        mode,
        rate,
        connections: outcome.connections,
        sent: outcome.sent,
        ok: outcome.ok,
        failed: outcome.failed,
        committed,
        throughput: outcome.throughput,
        latencyMs: outcome.latencyMs,
        cpu,
        othersCores,
        serverCpuMsPerRequest: round(((cpu.processes.server ?? 0) * seconds * 1000) / Math.max(1, outcome.ok), 3),
        serverCpuWaitShare: waitedBefore === undefined || waitedAfter === undefined ? undefined : round((waitedAfter - waitedBefore) / seconds, 3),
      };
      runs.push(run);
      log(
        `  ${name.padEnd(6)} ${mode.padEnd(18)} ${String(rate ?? 'max').padStart(5)}/s: ${run.throughput} ok/s, ` +
          `p50 ${run.latencyMs.p50} p99 ${run.latencyMs.p99} p99.9 ${run.latencyMs.p99_9} ms, ` +
          `server ${cpu.processes.server} cores (${run.serverCpuMsPerRequest} ms/req, waited for a CPU ${percent(run.serverCpuWaitShare)}), pg ${cpu.processes.postgres}, ` +
          `others ${othersCores} (quiet wait ${quiet.waitedSeconds} s)` +
          (committed !== undefined ? `, committed ${committed}/${run.ok}` : ''),
      );
      // Let in-flight work (queueing after the answers) settle before the next run.
      await sleep(1_000);
    };

    for (const rate of [500, 1000]) {
      await measure('bridge', 'autocannon-rate', rate);
      await measure('bridge', 'open-loop', rate);
    }
    await measure('bridge', 'open-loop-new-conn', 1000);
    for (let repeat = 0; repeat < options.saturationRepeats; repeat++) {
      await measure('bridge', 'saturation', undefined);
      await measure('bare', 'saturation', undefined);
    }
    for (const rate of [500, 1000]) {
      await measure('bare', 'autocannon-rate', rate);
      await measure('bare', 'open-loop', rate);
    }
    await measure('bare', 'open-loop-new-conn', 1000);

    await sleep(3_000);
    // No workers run during ingest: every stored event must by now have its job waiting in Redis.
    const leftUnqueued = (await env.countEvents("status = 'received'")) - (await env.countQueuedEvents());
    const saturation = (target: 'bridge' | 'bare') =>
      median(runs.filter((run) => run.target === target && run.mode === 'saturation').map((run) => run.throughput));
    const pairRatios: number[] = [];
    const bridgeSat = runs.filter((run) => run.target === 'bridge' && run.mode === 'saturation');
    const bareSat = runs.filter((run) => run.target === 'bare' && run.mode === 'saturation');
    for (const [index, run] of bridgeSat.entries()) pairRatios.push(run.throughput / Math.max(1, bareSat[index]?.throughput ?? 1));
    const perDelivery = (name: string) =>
      round(median(bridgeSat.map((run) => ((run.cpu.processes[name] ?? 0) * options.durationSeconds * 1000) / Math.max(1, run.ok))), 3);
    const cpuMsPerDelivery = {
      server: perDelivery('server'),
      postgres: perDelivery('postgres'),
      redis: perDelivery('redis'),
      loadGenerator: perDelivery('loadGenerator'),
    };
    const totalMs = Object.values(cpuMsPerDelivery).reduce((sum, ms) => sum + ms, 0);
    const at1000 = (mode: IngestMode) => runs.find((run) => run.target === 'bridge' && run.mode === mode && run.rate === 1000)?.latencyMs.p99 ?? NaN;
    return {
      options,
      runs,
      summary: {
        bridgeSaturation: saturation('bridge'),
        bareSaturation: saturation('bare'),
        ratio: round(median(pairRatios), 3),
        p99At1000: { autocannon: at1000('autocannon-rate'), openLoop: at1000('open-loop'), openLoopNewConnections: at1000('open-loop-new-conn') },
        allCommitted: runs.every((run) => run.committed === undefined || run.committed === run.ok),
        leftUnqueued,
        cpuMsPerDelivery,
        commitLatency,
        cpuModelCapacity: {
          serverBound: Math.round(1000 / Math.max(0.001, cpuMsPerDelivery.server)),
          machineBound: Math.round((cpus().length * 1000) / Math.max(0.001, totalMs)),
        },
      },
    };
  } finally {
    for (const process of processes) await process.stop();
    await env.close();
  }
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export type { BenchEnvironment };
