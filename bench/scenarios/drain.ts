// Drain: customer events queued in the bridge, synced by worker processes into the Zoho simulator
// running Zoho's real limits (listsubscribe 500/min, 12,500/h, 75,000/day; a violation locks the
// endpoint for 30 minutes). Measures the pace against what Zoho would allow, calls per event,
// violations, and token refreshes. The events go in through the real server (signed deliveries).
import { BENCH_SECRET, createBenchEnvironment } from '../lib/bench-env.ts';
import { CustomerDeliveries, type Delivery } from '../lib/deliveries.ts';
import { runLoad } from '../lib/load.ts';
import { freePort, sleep, startBridgeRole, waitForHttp, waitForLog, type BenchProcess } from '../lib/processes.ts';
import { round, rssMiB } from '../lib/system.ts';
import { busiestWindow, callsPerMinute, idealSchedule, permittedBefore } from '../lib/zoho-allowance.ts';
import { bridgeEnvironment, startZohoSimulator } from '../../tools/zoho-simulator/index.ts';

const LIST_KEY = 'sim-customers';

export interface DrainOptions {
  label: string;
  customers: number;
  /** Deliveries per customer, each a newer snapshot (versions 1..n); 1 = one delivery each. */
  updatesPerCustomer: number;
  workers: number;
  workerConcurrency: number;
  /** Stop this many minutes after the first Zoho call; undefined = run until drained. */
  measureMinutes: number | undefined;
  timeoutMinutes: number;
  /** The simulator's access-token lifetime. @defaultValue 3600 (Zoho's) */
  tokenTtlSeconds?: number;
}

export interface DrainReport {
  options: DrainOptions;
  events: number;
  ingestSeconds: number;
  /** Workers started → no event pending (undefined when stopped earlier). */
  drainSeconds: number | undefined;
  drained: boolean;
  statuses: Record<string, number>;
  zoho: {
    listsubscribeCalls: number;
    firstToLastCallSeconds: number;
    idealFirstToLastSeconds: number;
    callsPerMinute: number[];
    busiest60s: number;
    violations: number;
    lockouts: number;
    invalidTokenAnswers: number;
    tokenRefreshes: number;
    throttledRefreshes: number;
  };
  /** Calls in whole minutes since the first call vs what Zoho would have allowed in them. */
  allowance: { minutes: number; calls: number; permitted: number; share: number } | undefined;
  callsPerSyncedEvent: number;
  callsPerCustomer: number;
  /** Contacts in the simulator's list, and how many carry the newest snapshot's first name. */
  contactsInZoho: number;
  contactsWithNewestData: number;
  peakPostgresConnections: number;
  workerRssMiB: number[];
}

export async function runDrain(options: DrainOptions, log: (line: string) => void): Promise<DrainReport> {
  const sim = await startZohoSimulator({ accessTokenTtlSeconds: options.tokenTtlSeconds ?? 3600, recordCalls: true });
  const env = await createBenchEnvironment(options.label);
  const processes: BenchProcess[] = [];
  try {
    const zohoEnv = bridgeEnvironment(sim, LIST_KEY);

    // 1. Queue the events through the real receiver, then stop it (the drain needs no server).
    const port = await freePort();
    const server = startBridgeRole(`${options.label}-server`, 'server', env.bridgeEnv({ ...zohoEnv, PORT: String(port), LOG_LEVEL: 'warn' }));
    processes.push(server);
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, server);
    const total = options.customers * options.updatesPerCustomer;
    const deliveries = new CustomerDeliveries({ secret: BENCH_SECRET, tag: env.id });
    let sent = 0;
    const nextDelivery = (): Delivery => {
      // Every customer's version 1, then every customer's version 2, …: all are queued together.
      const customer = sent % options.customers;
      const version = Math.floor(sent / options.customers);
      sent++;
      return deliveries.build(customer, options.updatesPerCustomer > 1 ? version + 1 : 0);
    };
    const ingestStarted = Date.now();
    const ingest = await runLoad(`http://127.0.0.1:${port}/webhooks/woocommerce`, nextDelivery, { rate: undefined, connections: 20, amount: total });
    const ingestSeconds = round((Date.now() - ingestStarted) / 1000, 1);
    if (ingest.ok !== total) throw new Error(`Only ${ingest.ok} of ${total} deliveries were accepted`);
    for (let waited = 0; (await env.countQueuedEvents()) < total && waited < 60; waited++) await sleep(1_000);
    const queued = await env.countQueuedEvents();
    log(`  ${total} deliveries accepted in ${ingestSeconds} s; ${queued} events queued`);
    await server.stop();

    // 2. Workers.
    const workersStarted = Date.now();
    for (let index = 0; index < options.workers; index++) {
      const worker = startBridgeRole(
        `${options.label}-worker-${index + 1}`,
        'worker',
        env.bridgeEnv({ ...zohoEnv, LOG_LEVEL: 'info', WORKER_CONCURRENCY: String(options.workerConcurrency) }),
      );
      processes.push(worker);
    }
    await Promise.all(processes.slice(1).map((worker) => waitForLog(worker, 'Sync workers started')));

    // 3. Watch until drained, or until the measuring window is over.
    const listsubscribe = () => sim.calls.filter((call) => call.endpoint === 'listsubscribe');
    const deadline = workersStarted + options.timeoutMinutes * 60_000;
    let drainSeconds: number | undefined;
    let peakPostgresConnections = 0;
    let lastLog = 0;
    for (;;) {
      await sleep(2_000);
      const pending = await env.countEvents("status IN ('received', 'queued', 'waiting')");
      peakPostgresConnections = Math.max(peakPostgresConnections, (await env.postgresBackends()).length);
      const calls = listsubscribe();
      const firstCall = calls[0]?.at;
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        log(
          `  ${round((Date.now() - workersStarted) / 60_000, 1)} min: ${calls.length} Zoho calls, ${pending} events pending, violations ${JSON.stringify(sim.stats.rateLimitViolations)}`,
        );
      }
      if (pending === 0) {
        drainSeconds = round((Date.now() - workersStarted) / 1000, 1);
        break;
      }
      if (options.measureMinutes !== undefined && firstCall !== undefined && Date.now() >= firstCall + options.measureMinutes * 60_000) break;
      if (Date.now() > deadline) break;
    }

    const workerRssMiB = processes.slice(1).map((worker) => rssOf(worker.pid));
    for (const process of processes.slice(1)) await process.stop();

    // 4. What happened at Zoho.
    const calls = listsubscribe();
    const times = calls.map((call) => call.at);
    const first = times[0] ?? 0;
    const last = times[times.length - 1] ?? 0;
    const statuses = await statusCounts(env.pool);
    const synced = statuses.synced ?? 0;
    const contacts = sim.contacts(LIST_KEY);
    const newestName = options.updatesPerCustomer > 1 ? `Bench v${options.updatesPerCustomer}` : 'Bench';
    let contactsWithNewestData = 0;
    for (const contact of contacts.values()) if (contact.fields['First Name'] === newestName) contactsWithNewestData++;
    const stats = sim.stats;
    const sum = (record: Record<string, number | undefined>) => Object.values(record).reduce<number>((total, value) => total + (value ?? 0), 0);
    const measuredMinutes = options.measureMinutes;
    const allowance =
      measuredMinutes !== undefined && times.length > 0
        ? (() => {
            const end = first + measuredMinutes * 60_000;
            const made = times.filter((at) => at < end).length;
            const permitted = permittedBefore(first, end);
            return { minutes: measuredMinutes, calls: made, permitted, share: round(made / permitted, 4) };
          })()
        : undefined;
    const ideal = idealSchedule(first, times.length);
    return {
      options,
      events: total,
      ingestSeconds,
      drainSeconds,
      drained: drainSeconds !== undefined,
      statuses,
      zoho: {
        listsubscribeCalls: calls.length,
        firstToLastCallSeconds: round((last - first) / 1000, 1),
        idealFirstToLastSeconds: round(((ideal[ideal.length - 1] ?? first) - first) / 1000, 1),
        callsPerMinute: callsPerMinute(first, times),
        busiest60s: busiestWindow(times, 60_000),
        violations: sum(stats.rateLimitViolations),
        lockouts: sum(stats.lockouts),
        invalidTokenAnswers: sim.calls.filter((call) => call.response?.body.includes('"1007"')).length,
        tokenRefreshes: sum(stats.tokenRefreshes),
        throttledRefreshes: sum(stats.throttledRefreshes),
      },
      allowance,
      callsPerSyncedEvent: round(calls.length / Math.max(1, synced), 3),
      callsPerCustomer: round(calls.length / options.customers, 3),
      contactsInZoho: contacts.size,
      contactsWithNewestData,
      peakPostgresConnections,
      workerRssMiB,
    };
  } finally {
    for (const process of processes) await process.stop();
    await env.close();
    await sim.close();
  }
}

async function statusCounts(pool: import('pg').Pool): Promise<Record<string, number>> {
  const result = await pool.query<{ status: string; n: string }>('SELECT status, count(*) AS n FROM webhook_events GROUP BY status');
  return Object.fromEntries(result.rows.map((row) => [row.status, Number(row.n)]));
}

function rssOf(pid: number): number {
  try {
    return round(rssMiB(pid), 1);
  } catch {
    return NaN;
  }
}
