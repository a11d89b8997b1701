// Renders benchmark results as the Markdown tables bench/RESULTS.md records.
import type { DrainReport } from '../scenarios/drain.ts';
import type { ImportReport } from '../scenarios/import.ts';
import type { ProcessesReport } from '../scenarios/ingest-processes.ts';
import type { IngestReport } from '../scenarios/ingest.ts';
import type { MemoryReport } from '../scenarios/memory.ts';
import type { TokensReport } from '../scenarios/tokens.ts';
import { percent, round, type MachineReport } from './system.ts';

const verdict = (ok: boolean) => (ok ? 'met' : '**missed**');

export function machineTable(machine: MachineReport): string {
  return [
    '| Machine | |',
    '|---|---|',
    `| CPU | ${machine.cores} × ${machine.cpuModel} |`,
    `| Memory | ${machine.memoryGiB} GiB |`,
    `| Kernel | ${machine.kernel} |`,
    `| Node.js | ${machine.node} |`,
    `| PostgreSQL | ${machine.postgres} |`,
    `| Redis | ${machine.redis} |`,
    `| Packages | ${Object.entries(machine.packages)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')} |`,
    `| Load average at start | ${machine.loadAverageAtStart.join(' / ')} |`,
  ].join('\n');
}

export function ingestTables(report: IngestReport): string {
  const rows = report.runs.map((run) =>
    [
      run.target,
      run.mode,
      run.rate ? `${run.rate}/s` : `max (${run.connections} conn.)`,
      run.throughput,
      run.latencyMs.p50,
      run.latencyMs.p99,
      run.latencyMs.p99_9,
      run.failed,
      run.committed === undefined ? '–' : `${run.committed}/${run.ok}`,
      run.serverCpuMsPerRequest,
      run.cpu.processes.server,
      percent(run.serverCpuWaitShare),
      run.cpu.processes.postgres,
      run.othersCores,
    ].join(' | '),
  );
  const { summary, options } = report;
  return [
    `Each run ${options.durationSeconds} s; LOG_LEVEL=${options.logLevel}; fixed-rate autocannon runs use ${options.rateConnections} connections, saturation ${options.saturationConnections}.`,
    '',
    "| Target | Load | Rate | 2xx/s | p50 ms | p99 ms | p99.9 ms | Failed | Committed/200s | Server CPU ms/req | Server cores | Server waited for a CPU | Postgres cores | Others' cores |",
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
    '',
    '| Target | Result | Verdict |',
    '|---|---|---|',
    `| ≥ 3,000 durable accepts/s at saturation | ${summary.bridgeSaturation}/s (median of ${options.saturationRepeats}) | ${verdict(summary.bridgeSaturation >= 3000)} |`,
    `| p99 ≤ 25 ms at 1,000/s | open-loop ${summary.p99At1000.openLoop} ms; autocannon -R ${summary.p99At1000.autocannon} ms (open loop with a new connection per delivery, as WooCommerce sends without a proxy in front: ${summary.p99At1000.openLoopNewConnections} ms) | ${verdict(summary.p99At1000.openLoop <= 25 && summary.p99At1000.autocannon <= 25)} |`,
    `| ≥ 30 % of the bare route | ${percent(summary.ratio)} (bare: ${summary.bareSaturation}/s) | ${verdict(summary.ratio >= 0.3)} |`,
    `| Every 200 committed | ${summary.allCommitted ? 'yes' : 'NO'}; events not yet queued 3 s after the last run: ${summary.leftUnqueued} | ${verdict(summary.allCommitted)} |`,
    '',
    `CPU per accepted delivery at saturation (median): server ${summary.cpuMsPerDelivery.server} ms, Postgres ${summary.cpuMsPerDelivery.postgres} ms, ` +
      `Redis ${summary.cpuMsPerDelivery.redis} ms, load generator ${summary.cpuMsPerDelivery.loadGenerator} ms. ` +
      `CPU-time model (not a measurement) for this machine with nothing else running: ≤ ${summary.cpuModelCapacity.serverBound}/s ` +
      `(one event loop) and ≤ ${summary.cpuModelCapacity.machineBound}/s (all ${'cores'}).`,
    '',
    `Single commits on the idle machine before the runs (${summary.commitLatency.seconds} s, one after another): ${summary.commitLatency.commits} commits, ` +
      `p50 ${summary.commitLatency.p50Ms} ms, p99 ${summary.commitLatency.p99Ms} ms, p99.9 ${summary.commitLatency.p99_9Ms} ms, max ${summary.commitLatency.maxMs} ms; ` +
      `${summary.commitLatency.over20Ms} took over 20 ms and ${summary.commitLatency.over100Ms} over 100 ms.`,
  ].join('\n');
}

export function drainTable(reports: DrainReport[]): string {
  const rows = reports.map((report) => {
    const { zoho, allowance, options } = report;
    return [
      `${options.customers.toLocaleString('en')} customers × ${options.updatesPerCustomer}`,
      `${options.workers} × ${options.workerConcurrency}`,
      options.measureMinutes === undefined ? 'until drained' : `first ${options.measureMinutes} min`,
      zoho.listsubscribeCalls,
      report.callsPerSyncedEvent,
      report.callsPerCustomer,
      allowance
        ? `${allowance.calls}/${allowance.permitted} in ${allowance.minutes} min = ${(allowance.share * 100).toFixed(1)} %`
        : `fastest schedule ÷ actual = ${((100 * zoho.idealFirstToLastSeconds) / Math.max(1, zoho.firstToLastCallSeconds)).toFixed(1)} %`,
      `${zoho.firstToLastCallSeconds} s (ideal ${zoho.idealFirstToLastSeconds} s)`,
      zoho.busiest60s,
      zoho.violations,
      report.drainSeconds === undefined ? 'not drained (window ended)' : `${(report.drainSeconds / 60).toFixed(1)} min`,
      `${report.contactsWithNewestData}/${report.contactsInZoho}`,
      zoho.tokenRefreshes,
    ].join(' | ');
  });
  return [
    "| Events | Workers × concurrency | Measured | Zoho calls | Calls/synced event | Calls/customer | Share of Zoho's allowance | First → last call | Busiest 60 s | Violations | Time to drain | Contacts with newest data | Token refreshes |",
    '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows.map((row) => `| ${row} |`),
  ].join('\n');
}

export function tokensTable(report: TokensReport): string {
  return [
    '| Token TTL | Used for (TTL − 5 min margin) | Window | Workers × concurrency | Refreshes | Lifetimes spanned | Throttled | Invalid-token answers | Zoho calls | Violations |',
    '|---|---|---|---|---|---|---|---|---|---|',
    `| ${report.options.tokenTtlSeconds} s | ${report.usableLifetimeSeconds} s | ${report.options.minutes} min | ${report.options.workers} × ${report.options.workerConcurrency} | ${report.refreshes} | ${report.lifetimesSpanned} | ${report.throttledRefreshes} | ${report.invalidTokenAnswers} | ${report.zohoCalls} | ${report.violations} |`,
  ].join('\n');
}

export function importTable(report: ImportReport): string {
  const minutes = (seconds: number | undefined) => (seconds === undefined ? '–' : `${round(seconds / 60, 1)} min`);
  const { options } = report;
  const rssRows = Object.entries(report.rss).map(
    ([name, series]) => `| ${name} | ${series.start} | ${series.peak} | ${series.end} | ${series.slopeSecondHalf} | ${verdict(series.peak <= 150)} |`,
  );
  return [
    `${options.listsubscribeOnly ? 'listsubscribe only' : 'bulk first (--bulk-first)'}, ${report.expected} customers, daily budget ${options.dailyBudget}; Zoho calls: ${report.calls.bulk} bulk, ${report.calls.listsubscribe} listsubscribe, ${report.calls.getlistsubscribers} getlistsubscribers.`,
    '',
    '| Everyone on their list (target ≤ 10 min) | Names and fields: done in the window | Every field there | Violations | Lock-outs |',
    '|---|---|---|---|---|',
    `| ${minutes(report.onListsSeconds)} ${verdict(report.onListsSeconds !== undefined && report.onListsSeconds <= 600)} | ${report.withFields} of ${report.expected} in ${minutes(report.watchedSeconds)} | ${report.allFieldsSeconds === undefined ? `projected ${minutes(report.projectedFieldsSeconds)} (the backfill's pace)` : minutes(report.allFieldsSeconds)} | ${report.violations} ${verdict(report.violations === 0)} | ${report.lockouts} |`,
    '',
    '| Process | Start MiB | Peak MiB | End MiB | Slope, 2nd half (MiB/min) | ≤ 150 MiB |',
    '|---|---|---|---|---|---|',
    ...rssRows,
  ].join('\n');
}

export function processesTable(report: ProcessesReport): string {
  const { options } = report;
  return [
    `${options.durationSeconds} s at saturation, ${options.connections} connections split between the servers; Zoho watched for ${options.zohoMinutes} min from its first call.`,
    '',
    "| Servers × workers | Redis | Durable accepts/s | Committed | p99 ms | listsubscribe calls | Busiest 60 s (≤ 500) | Share of Zoho's allowance | Violations | Token refreshes | RSS MiB |",
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...report.layouts.map(
      (layout) =>
        `| ${layout.servers} × ${layout.workers} | ${layout.redis} | ${layout.throughput} | ${layout.committed}/${layout.ok} | ${layout.p99Ms} | ${layout.zoho.calls} | ${layout.zoho.busiest60s} | ${percent(layout.zoho.share)} | ${layout.zoho.violations} ${verdict(layout.zoho.violations === 0)} | ${layout.zoho.tokenRefreshes} | ${Object.values(layout.rssMiB).join(', ')} |`,
    ),
  ].join('\n');
}

export function memoryTable(report: MemoryReport): string {
  const row = (name: string, idle: number, series: MemoryReport['server']) =>
    `| ${name} | ${idle} | ${series.start} | ${series.peak} | ${series.end} | ${series.slopeSecondHalf} | ${verdict(series.peak <= 150)} |`;
  return [
    `${report.options.minutes} min at ${report.options.rate} deliveries/s (open loop), LOG_LEVEL=${report.options.logLevel}; ${report.delivered} delivered, ${report.failed} failed, p99 ${report.p99Ms} ms; ${report.synced} events synced, ${report.violations} violations.`,
    '',
    '| Process | Idle MiB | Load start MiB | Peak MiB | End MiB | Slope, 2nd half (MiB/min) | ≤ 150 MiB |',
    '|---|---|---|---|---|---|---|',
    row('server', report.idleMiB.server, report.server),
    row('worker', report.idleMiB.worker, report.worker),
  ].join('\n');
}
