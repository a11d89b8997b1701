// Import: a store of N customers (default 100,000) in the WooCommerce simulator, imported with
// the CLI's backfill into the Zoho simulator running Zoho's real limits, with a server and a
// worker process beside it, as production runs them. Two modes:
//   - bulk first (default): `backfill --bulk-first`; everyone joins their list by
//     addlistsubscribersinbulk (2,000 calls a minute, ten addresses each), names and fields
//     follow through listsubscribe at the backfill's pace;
//   - --listsubscribe-only: `backfill` alone, the comparison.
// Reports the time until every customer is on the list (wall time, read from the simulator), how
// far names and fields got in the window watched and how long the rest takes at listsubscribe's
// pace, Zoho's violations, and each process's RSS sampled over the run.
import { readFileSync } from 'node:fs';
import { BackfillPacer } from '../../src/backfill/pacing.ts';
import { createBenchEnvironment } from '../lib/bench-env.ts';
import { freePort, sleep, startBridgeRole, startNodeProcess, waitForHttp, waitForLog, type BenchProcess } from '../lib/processes.ts';
import { round, rssMiB } from '../lib/system.ts';
import { series, type RssSeries } from './memory.ts';
import { startWooCommerceSimulator } from '../../tools/woocommerce-simulator/index.ts';
import { bridgeEnvironment, startZohoSimulator } from '../../tools/zoho-simulator/index.ts';

const LIST_KEY = 'sim-customers';

export interface ImportOptions {
  customers: number;
  listsubscribeOnly: boolean;
  /** How long to watch names and fields arrive once everyone is on the list. */
  fieldsMinutes: number;
  /** Wait until every field is there instead (at 50,000 a day, 100,000 customers take 2 days). */
  waitForFields: boolean;
  /** Give up on "everyone on the list" after this long. */
  timeoutMinutes: number;
  dailyBudget: number;
  sampleSeconds: number;
}

export interface ImportReport {
  options: ImportOptions;
  /** WordPress users with a synced role: the contacts expected on the list. */
  expected: number;
  /** CLI started → every expected contact active on the list (undefined: not within the timeout). */
  onListsSeconds: number | undefined;
  /** Contacts with their names in Zoho at the end of the window, and when the window ended. */
  withFields: number;
  watchedSeconds: number;
  /** Every field there (measured with waitForFields, else projected from the backfill's pace). */
  allFieldsSeconds: number | undefined;
  projectedFieldsSeconds: number;
  calls: { bulk: number; listsubscribe: number; getlistsubscribers: number };
  violations: number;
  lockouts: number;
  rss: Record<string, RssSeries>;
}

export async function runImport(options: ImportOptions, log: (line: string) => void): Promise<ImportReport> {
  const sim = await startZohoSimulator({ recordCalls: false });
  const woo = await startWooCommerceSimulator({ customers: options.customers, subscriptions: 0 });
  const env = await createBenchEnvironment('import');
  const processes: BenchProcess[] = [];
  try {
    const bridgeEnv = env.bridgeEnv({ ...bridgeEnvironment(sim, LIST_KEY), LOG_LEVEL: 'info' });
    const port = await freePort();
    const server = startBridgeRole('import-server', 'server', { ...bridgeEnv, PORT: String(port) });
    const worker = startBridgeRole('import-worker', 'worker', bridgeEnv);
    processes.push(server, worker);
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, server);
    await waitForLog(worker, 'Sync workers started');

    const cli = (name: string, args: string[]) => startNodeProcess(name, ['bin/woo-zoho-bridge.mjs', ...args], bridgeEnv, { plain: true });
    const add = cli('import-stores-add', [
      'stores',
      'add',
      '--id',
      'shop',
      '--url',
      woo.baseUrl,
      '--consumer-key',
      woo.consumerKey,
      '--consumer-secret',
      woo.consumerSecret,
    ]);
    if ((await add.exited) !== 0) throw new Error(`stores add failed:\n${readFileSync(add.logFile, 'utf8')}`);
    const expected = woo.customers.filter((customer) => ['customer', 'subscriber'].includes(String(customer.role))).length;
    log(`  ${woo.customers.length} WordPress users, ${expected} to import; mode ${options.listsubscribeOnly ? 'listsubscribe only' : 'bulk first'}`);

    const started = Date.now();
    const backfill = cli('import-backfill', [
      'backfill',
      '--store',
      'shop',
      '--daily-budget',
      String(options.dailyBudget),
      ...(options.listsubscribeOnly ? [] : ['--bulk-first']),
    ]);
    processes.push(backfill);
    const roles = { server, worker, cli: backfill };
    const samples: Record<string, Array<[number, number]>> = { server: [], worker: [], cli: [] };
    const sample = () => {
      const seconds = round((Date.now() - started) / 1000, 0);
      for (const [name, process] of Object.entries(roles)) {
        try {
          samples[name]!.push([seconds, round(rssMiB(process.pid))]);
        } catch {
          // the CLI has exited
        }
      }
    };
    const sampler = setInterval(sample, options.sampleSeconds * 1000);

    const count = () => {
      let active = 0;
      let named = 0;
      for (const contact of sim.contacts(LIST_KEY).values()) {
        if (contact.status !== 'active') continue;
        active += 1;
        if (contact.fields['First Name']) named += 1;
      }
      return { active, named };
    };
    let onListsSeconds: number | undefined;
    let lastLog = 0;
    for (;;) {
      await sleep(2_000);
      const { active, named } = count();
      if (Date.now() - lastLog > 30_000) {
        lastLog = Date.now();
        log(
          `  ${round((Date.now() - started) / 60_000, 1)} min: ${active} on the list, ${named} with names, violations ${JSON.stringify(sim.stats.rateLimitViolations)}`,
        );
      }
      if (active >= expected) {
        onListsSeconds = round((Date.now() - started) / 1000, 1);
        break;
      }
      if (Date.now() - started > options.timeoutMinutes * 60_000) break;
    }
    log(`  everyone on the list: ${onListsSeconds === undefined ? `not within ${options.timeoutMinutes} min` : `${onListsSeconds} s`}`);

    const fieldsDeadline = Date.now() + options.fieldsMinutes * 60_000;
    let allFieldsSeconds: number | undefined;
    while (options.waitForFields || Date.now() < fieldsDeadline) {
      if (count().named >= expected) {
        allFieldsSeconds = round((Date.now() - started) / 1000, 1);
        break;
      }
      await sleep(5_000);
    }
    clearInterval(sampler);
    sample();
    const { named } = count();
    const stats = sim.stats;
    const sum = (record: Record<string, number | undefined>) => Object.values(record).reduce<number>((total, value) => total + (value ?? 0), 0);
    // The backfill's schedule: one listsubscribe per customer, paced within the daily budget.
    const pacer = new BackfillPacer(env.redis, env.redisPrefix, { dailyBudget: options.dailyBudget });
    return {
      options,
      expected,
      onListsSeconds,
      withFields: named,
      watchedSeconds: round((Date.now() - started) / 1000, 1),
      allFieldsSeconds,
      projectedFieldsSeconds: round(pacer.durationFor(expected) / 1000, 0),
      calls: {
        bulk: stats.admitted.addlistsubscribersinbulk ?? 0,
        listsubscribe: stats.admitted.listsubscribe ?? 0,
        getlistsubscribers: stats.admitted.getlistsubscribers ?? 0,
      },
      violations: sum(stats.rateLimitViolations),
      lockouts: sum(stats.lockouts),
      rss: Object.fromEntries(
        Object.entries(samples)
          .filter(([, points]) => points.length > 0)
          .map(([name, points]) => [name, series(points)]),
      ),
    };
  } finally {
    for (const process of processes) await process.stop();
    await env.close();
    await woo.close();
    await sim.close();
  }
}
