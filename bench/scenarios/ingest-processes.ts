// Ingest across processes: S server processes and W worker processes on one Postgres and one
// Redis (or a local 3-master Redis Cluster with --redis-cluster), measured next to one server and
// one worker in the same run. The load generator drives every server at once, its connections
// split between them, as a load balancer would; the workers sync into the Zoho simulator running
// Zoho's real limits. Reports durable throughput (every 200's event id found committed), and
// Zoho's pacing: listsubscribe calls against the 500 a minute Zoho allows, violations, token
// refreshes (one token shared by every process), and each process's RSS at the end.
import { BENCH_SECRET, createBenchEnvironment } from '../lib/bench-env.ts';
import { CustomerDeliveries } from '../lib/deliveries.ts';
import { runLoad } from '../lib/load.ts';
import { freePort, sleep, startBridgeRole, waitForHttp, waitForLog, type BenchProcess } from '../lib/processes.ts';
import { round, rssMiB } from '../lib/system.ts';
import { busiestWindow, permittedBefore } from '../lib/zoho-allowance.ts';
import { startRedisCluster, type LocalRedisCluster } from '../../tools/support/redis-cluster.ts';
import { bridgeEnvironment, startZohoSimulator } from '../../tools/zoho-simulator/index.ts';

export interface ProcessesOptions {
  servers: number;
  workers: number;
  durationSeconds: number;
  /** Connections in all, split evenly between the servers. */
  connections: number;
  /** Minutes of Zoho pacing watched from the first call. */
  zohoMinutes: number;
  redisCluster: boolean;
  logLevel: string;
}

export interface LayoutReport {
  servers: number;
  workers: number;
  redis: 'single' | 'cluster';
  sent: number;
  ok: number;
  committed: number;
  throughput: number;
  p99Ms: number;
  zoho: { calls: number; busiest60s: number; permitted: number; share: number; violations: number; lockouts: number; tokenRefreshes: number };
  rssMiB: Record<string, number>;
}

export interface ProcessesReport {
  options: ProcessesOptions;
  layouts: LayoutReport[];
}

export async function runIngestProcesses(options: ProcessesOptions, log: (line: string) => void): Promise<ProcessesReport> {
  const layouts: LayoutReport[] = [];
  for (const [servers, workers] of [
    [1, 1],
    [options.servers, options.workers],
  ] as const) {
    layouts.push(await measureLayout(options, servers, workers, log));
  }
  return { options, layouts };
}

async function measureLayout(options: ProcessesOptions, servers: number, workers: number, log: (line: string) => void): Promise<LayoutReport> {
  const sim = await startZohoSimulator({ recordCalls: true });
  const env = await createBenchEnvironment(`procs-${servers}x${workers}`);
  let cluster: LocalRedisCluster | undefined;
  const processes: BenchProcess[] = [];
  try {
    if (options.redisCluster) cluster = await startRedisCluster(3);
    const bridgeEnv = env.bridgeEnv({
      ...bridgeEnvironment(sim),
      LOG_LEVEL: options.logLevel,
      ...(cluster ? { REDIS_CLUSTER_NODES: cluster.nodes.join(',') } : {}),
    });
    const urls: string[] = [];
    for (let index = 0; index < servers; index++) {
      const port = await freePort();
      const server = startBridgeRole(`procs-server-${index + 1}`, 'server', { ...bridgeEnv, PORT: String(port) });
      processes.push(server);
      await waitForHttp(`http://127.0.0.1:${port}/healthz`, server);
      urls.push(`http://127.0.0.1:${port}/webhooks/woocommerce`);
    }
    for (let index = 0; index < workers; index++) {
      const worker = startBridgeRole(`procs-worker-${index + 1}`, 'worker', bridgeEnv);
      processes.push(worker);
      await waitForLog(worker, 'Sync workers started');
    }

    const deliveries = new CustomerDeliveries({ secret: BENCH_SECRET, tag: env.id });
    let customer = 0;
    const next = () => deliveries.build(customer++);
    const perServer = Math.max(1, Math.floor(options.connections / servers));
    const loads = await Promise.all(
      urls.map((url) => runLoad(url, next, { rate: undefined, connections: perServer, durationSeconds: options.durationSeconds })),
    );
    const ok = loads.reduce((sum, load) => sum + load.ok, 0);
    const committed = await env.countCommitted(loads.flatMap((load) => load.eventIds));
    const throughput = round(
      loads.reduce((sum, load) => sum + load.throughput, 0),
      0,
    );
    log(`  ${servers} server(s), ${workers} worker(s), ${cluster ? 'Redis Cluster' : 'one Redis'}: ${throughput} ok/s, ${committed}/${ok} committed`);

    // Zoho's pacing: the backlog is far larger than Zoho allows, so the workers run at its limit.
    const listsubscribe = () => sim.calls.filter((call) => call.endpoint === 'listsubscribe').map((call) => call.at);
    for (let waited = 0; listsubscribe().length === 0 && waited < 60; waited++) await sleep(1_000);
    const first = listsubscribe()[0] ?? Date.now();
    await sleep(Math.max(0, first + options.zohoMinutes * 60_000 - Date.now()));
    const end = first + options.zohoMinutes * 60_000;
    const times = listsubscribe().filter((at) => at < end);
    const rss = Object.fromEntries(processes.map((process) => [process.name, round(rssMiB(process.pid))]));
    const stats = sim.stats;
    const sum = (record: Record<string, number | undefined>) => Object.values(record).reduce<number>((total, value) => total + (value ?? 0), 0);
    const permitted = permittedBefore(first, end);
    return {
      servers,
      workers,
      redis: cluster ? 'cluster' : 'single',
      sent: loads.reduce((total, load) => total + load.sent, 0),
      ok,
      committed,
      throughput,
      p99Ms: Math.max(...loads.map((load) => load.latencyMs.p99)),
      zoho: {
        calls: times.length,
        busiest60s: busiestWindow(times, 60_000),
        permitted,
        share: round(times.length / Math.max(1, permitted), 4),
        violations: sum(stats.rateLimitViolations),
        lockouts: sum(stats.lockouts),
        tokenRefreshes: sum(stats.tokenRefreshes),
      },
      rssMiB: rss,
    };
  } finally {
    for (const process of processes) await process.stop();
    await env.close();
    await cluster?.close();
    await sim.close();
  }
}
