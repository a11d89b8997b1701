// `npm run bench -- [all|ingest|drain|tokens|memory|import] [--full] [options]`
//
// Runs the benchmarks recorded in bench/RESULTS.md against real processes, Postgres, Redis and the
// Zoho simulator, each scenario in its own database and Redis prefix (dropped afterwards). Results
// go to bench/output/<time>-<scenario>.json and the tables to bench/output/<time>.md.
//
//   --full               the long versions: ingest runs of 60 s, the whole 20,000-event drain
//                        (about 75 minutes: Zoho allows 12,500 calls an hour), 10 minutes of memory
//   --duration S         seconds per ingest run (default 15, --full 60)
//   --minutes M          drain window / tokens window / memory duration
//   --log-level L        the bridge's LOG_LEVEL (default info, the production default)
//   --bridge-root DIR    measure ingest or memory on another checkout (e.g. the code before a change)
//   --quiet-wait S       before each ingest run, wait up to S seconds for other processes to use
//                        under 0.3 cores (default 120); the tables show what they used
//   --cpu-prof DIR       write a CPU profile of the ingest server to DIR
//   --connections N      autocannon connections for saturation runs (default 64)
//   --rate N             deliveries per second during the memory run (default 500)
//   --node-options "…"   extra node flags for the memory run's processes (e.g. --trace-gc)
//   --servers S --workers W  ingest: S server and W worker processes sharing Postgres and Redis,
//                        measured beside 1 × 1 (throughput and Zoho's pacing), instead of the runs above
//   --redis-cluster      with --servers/--workers: on a local 3-master Redis Cluster
//   import only (not part of "all": it runs alone, 15 minutes or more):
//   --customers N        customers in the WooCommerce simulator (default 100,000)
//   --listsubscribe-only the comparison: the backfill without --bulk-first
//   --fields-minutes M   minutes to watch names and fields arrive once everyone is on the list (default 5)
//   --wait-fields        wait until every field is there (at 50,000 a day: two days for 100,000)
//   --daily-budget N     the backfill's listsubscribe budget a day (default 50,000)
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { removeLeftovers } from './lib/bench-env.ts';
import { OUTPUT_DIR } from './lib/paths.ts';
import { drainTable, importTable, ingestTables, machineTable, memoryTable, processesTable, tokensTable } from './lib/report.ts';
import { describeMachine } from './lib/system.ts';
import { runDrain, type DrainReport } from './scenarios/drain.ts';
import { runImport } from './scenarios/import.ts';
import { runIngestProcesses } from './scenarios/ingest-processes.ts';
import { runIngest } from './scenarios/ingest.ts';
import { runMemory } from './scenarios/memory.ts';
import { runTokens } from './scenarios/tokens.ts';
import { testDatabaseUrl } from '../tools/support/database.ts';

const SCENARIOS = ['ingest', 'drain', 'tokens', 'memory', 'import'] as const;
type Scenario = (typeof SCENARIOS)[number];
/** What "all" runs: the import runs alone. */
const ALL: Scenario[] = ['ingest', 'drain', 'tokens', 'memory'];

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(`--${name}`);
const option = (name: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? args[index + 1] : undefined;
};
const numberOption = (name: string, fallback: number) => (option(name) === undefined ? fallback : Number(option(name)));
const VALUE_OPTIONS = [
  'duration',
  'minutes',
  'log-level',
  'bridge-root',
  'quiet-wait',
  'cpu-prof',
  'connections',
  'rate',
  'node-options',
  'customers',
  'fields-minutes',
  'daily-budget',
  'servers',
  'workers',
];
const requested = args.find((arg, index) => !arg.startsWith('--') && !VALUE_OPTIONS.includes(args[index - 1]?.slice(2) ?? '')) ?? 'all';
if (requested !== 'all' && !SCENARIOS.includes(requested as Scenario)) {
  console.error(`Unknown scenario "${requested}": use all, ${SCENARIOS.join(', ')}`);
  process.exit(64);
}
const scenarios: Scenario[] = requested === 'all' ? ALL : [requested as Scenario];
const full = flag('full');
const logLevel = option('log-level') ?? 'info';

const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
mkdirSync(OUTPUT_DIR, { recursive: true });
const markdown: string[] = [];
const log = (line: string) => console.log(line);
const save = (name: string, data: unknown) =>
  writeFileSync(
    join(OUTPUT_DIR, `${stamp}-${name}.json`),
    JSON.stringify(data, (_key, value: unknown) => (typeof value === 'bigint' ? String(value) : value), 2),
  );

const redis = new Redis(process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379');
const leftovers = await removeLeftovers(redis);
if (leftovers.databases + leftovers.keys > 0) log(`Removed what an interrupted run left: ${leftovers.databases} database(s), ${leftovers.keys} Redis keys.`);
const machine = await describeMachine(testDatabaseUrl('postgres'), await redis.info('server'));
redis.disconnect();
save('machine', machine);
markdown.push(`# Benchmark run ${stamp} (${full ? 'full' : 'default'} mode: npm run bench -- ${args.join(' ') || 'all'})`, '', machineTable(machine), '');
log(`Machine: ${machine.cores} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, load ${machine.loadAverageAtStart.join(' ')}`);

for (const scenario of scenarios) {
  log(`\n== ${scenario}`);
  const started = Date.now();
  if (scenario === 'ingest' && (option('servers') || option('workers'))) {
    const report = await runIngestProcesses(
      {
        servers: numberOption('servers', 2),
        workers: numberOption('workers', 3),
        durationSeconds: numberOption('duration', full ? 60 : 15),
        connections: numberOption('connections', 64),
        zohoMinutes: numberOption('minutes', 2),
        redisCluster: flag('redis-cluster'),
        logLevel,
      },
      log,
    );
    save('ingest-processes', report);
    markdown.push('## Ingest across processes', '', processesTable(report), '');
  } else if (scenario === 'ingest') {
    const report = await runIngest(
      {
        durationSeconds: numberOption('duration', full ? 60 : 15),
        saturationRepeats: 3,
        saturationConnections: numberOption('connections', 64),
        rateConnections: 10,
        logLevel,
        quietCores: 0.3,
        quietWaitSeconds: numberOption('quiet-wait', 120),
        ...(option('bridge-root') ? { bridgeRoot: option('bridge-root')! } : {}),
        ...(option('cpu-prof') ? { serverNodeOptions: ['--cpu-prof', `--cpu-prof-dir=${option('cpu-prof')}`] } : {}),
      },
      log,
    );
    save('ingest', report);
    markdown.push('## Ingest', '', ingestTables(report), '');
  }
  if (scenario === 'drain') {
    const reports: DrainReport[] = [];
    reports.push(
      await runDrain(
        {
          label: 'drain',
          customers: 20_000,
          updatesPerCustomer: 1,
          workers: 4,
          workerConcurrency: 4,
          measureMinutes: full ? undefined : numberOption('minutes', 5),
          timeoutMinutes: full ? 120 : 15,
        },
        log,
      ),
    );
    save('drain', reports); // the long part is kept even if the next one fails
    reports.push(
      await runDrain(
        { label: 'updates', customers: 2_000, updatesPerCustomer: 5, workers: 4, workerConcurrency: 4, measureMinutes: undefined, timeoutMinutes: 15 },
        log,
      ),
    );
    save('drain', reports);
    markdown.push("## Drain (Zoho simulator with Zoho's real limits)", '', drainTable(reports), '');
  }
  if (scenario === 'tokens') {
    const report = await runTokens({ tokenTtlSeconds: 420, minutes: numberOption('minutes', 7), workers: 4, workerConcurrency: 4 }, log);
    save('tokens', report);
    markdown.push('## Tokens (4 worker processes)', '', tokensTable(report), '');
  }
  if (scenario === 'memory') {
    const report = await runMemory(
      {
        minutes: numberOption('minutes', full ? 10 : 2),
        rate: numberOption('rate', 500),
        sampleSeconds: full ? 5 : 2,
        logLevel,
        ...(option('node-options') ? { nodeOptions: option('node-options')!.split(' ') } : {}),
        ...(option('bridge-root') ? { bridgeRoot: option('bridge-root')! } : {}),
      },
      log,
    );
    save('memory', report);
    markdown.push('## Memory (RSS)', '', memoryTable(report), '');
  }
  if (scenario === 'import') {
    const report = await runImport(
      {
        customers: numberOption('customers', 100_000),
        listsubscribeOnly: flag('listsubscribe-only'),
        fieldsMinutes: numberOption('fields-minutes', 5),
        waitForFields: flag('wait-fields'),
        timeoutMinutes: 60,
        dailyBudget: numberOption('daily-budget', 50_000),
        sampleSeconds: 5,
      },
      log,
    );
    save('import', report);
    markdown.push("## Import (Zoho simulator with Zoho's real limits)", '', importTable(report), '');
  }
  log(`== ${scenario} took ${((Date.now() - started) / 60_000).toFixed(1)} min`);
}

const text = markdown.join('\n');
writeFileSync(join(OUTPUT_DIR, `${stamp}.md`), `${text}\n`);
console.log(`\n${text}\n\nWritten to bench/output/${stamp}.md`);
process.exit(0);
