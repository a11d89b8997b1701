// `backfill`: imports a store's existing customers and subscriptions into Zoho through the normal
// pipeline. --dry-run previews how many contacts each list would gain; a real run shows progress,
// can be interrupted and resumed (run it again), and queues its jobs behind live events on a
// schedule that stays within Zoho's daily limit (src/backfill/pacing.ts).
import { InvalidArgumentError, type Command } from 'commander';
import type { BulkProgress } from '../../backfill/bulk-phase.ts';
import { importDurations } from '../../backfill/durations.ts';
import { BackfillPacer, DEFAULT_DAILY_BUDGET, humanDuration } from '../../backfill/pacing.ts';
import { previewBackfill, type BackfillPreview, type PreviewDependencies } from '../../backfill/preview.ts';
import { BackfillInterruptedError, runBackfill, type BackfillDependencies, type KindReport } from '../../backfill/run-backfill.ts';
import type { BackfillKind } from '../../db/backfill-runs.ts';
import type { EventRepository } from '../../db/events.ts';
import type { Store } from '../../db/rows.ts';
import type { ZohoConnectionRepository } from '../../db/zoho-connection.ts';
import { formatNumber } from '../../readable.ts';
import type { RedisClient } from '../../redis/connection.ts';
import type { CliOutput } from '../output.ts';
import { CliError, redisReady, resolveStore, restClientFor, type StoreAccess } from '../store-access.ts';
import type { CommandEnvironment } from './environment.ts';
import { followSync } from './follow-sync.ts';

export interface BackfillCommandOptions {
  store?: string;
  dryRun?: boolean;
  only?: BackfillKind;
  restart?: boolean;
  follow?: boolean;
  bulkFirst?: boolean;
  dailyBudget: number;
  perPage: number;
  /** Not flags: see CommandEnvironment.tuning. */
  retryDelaysMs?: number[];
  minSpacingMs?: number;
}

export interface BackfillNeeds extends StoreAccess {
  /** Reads the store for a dry run. */
  previewing: PreviewDependencies;
  /** Stores and queues the store's events (and, with --bulk-first, first puts everyone on their lists). */
  running: BackfillDependencies;
  redis: RedisClient;
  redisPrefix: string;
  /** Followed with --follow. */
  events: EventRepository;
  zohoConnection: Pick<ZohoConnectionRepository, 'get'>;
}

export function registerBackfillCommand(program: Command, env: CommandEnvironment<BackfillNeeds>): void {
  program
    .command('backfill')
    .description("Import the store's existing customers (every role) and subscriptions into Zoho")
    .option('--store <id>', 'which store (default: the only one with a REST API key)')
    .option('--dry-run', 'read everything and show how many contacts each Zoho list would gain; change nothing')
    .option('--only <kind>', 'only "customers" or only "subscriptions"', parseKind)
    .option('--restart', 'forget an interrupted backfill and start again from the first page')
    .option('--bulk-first', "first put everyone who consented on their lists with Zoho's bulk add (minutes, not days); names and fields follow")
    .option('--follow', 'then show the sync progress until every event is done (Ctrl-C stops watching, not the sync)')
    .option('--daily-budget <n>', 'Zoho calls backfills may use per day (Zoho allows 75,000 in all)', parseBudget, DEFAULT_DAILY_BUDGET)
    .option('--per-page <n>', 'items per WooCommerce request (1–100)', parsePerPage, 100)
    .action((options: BackfillCommandOptions) => env.run((needs) => backfill(needs, { ...options, ...env.tuning }, env.output)));
}

export async function backfill(needs: BackfillNeeds, options: BackfillCommandOptions, out: CliOutput): Promise<void> {
  const store = await resolveStore(needs, options.store);
  const client = restClientFor(needs, store);
  const pacing = { dailyBudget: options.dailyBudget, ...(options.minSpacingMs === undefined ? {} : { minSpacingMs: options.minSpacingMs }) };
  const pacer = new BackfillPacer(needs.redis, needs.redisPrefix, pacing);
  if (options.dryRun) {
    const bar = out.progress('reading');
    const preview = await previewBackfill(needs.previewing, store, client, {
      perPage: options.perPage,
      retryDelaysMs: options.retryDelaysMs,
      onPage: (kind, page, total) => bar.update(page, Math.max(total, page), kind),
    });
    bar.stop();
    printPreview(store, preview, pacer, out);
    return;
  }

  if (!(await redisReady(needs.redis)))
    throw new CliError(`Redis (REDIS_URL) does not answer: the backfill cannot queue anything. Start Redis and run this again.`);
  const bars = new Map<string, ReturnType<CliOutput['progress']>>();
  // Ctrl-C finishes the page in hand and records where to resume; a second Ctrl-C quits at once.
  const stop = new AbortController();
  const onInterrupt = () => {
    out.warn('\nStopping after this page (Ctrl-C again to quit at once; the next run then waits a few minutes for the lock)…');
    stop.abort();
    process.once('SIGINT', () => process.exit(130));
  };
  process.once('SIGINT', onInterrupt);
  if (options.bulkFirst && options.only === 'subscriptions')
    out.warn('--bulk-first works with the customers (subscriptions without an account come with them): with --only subscriptions it does nothing.');
  let queued: bigint[] | undefined;
  // The bulk add goes on while the customers are read: its count rides on their bar.
  let bulkDetail = '';
  try {
    const reports = await runBackfill(needs.running, store, client, {
      kinds: options.only ? [options.only] : undefined,
      perPage: options.perPage,
      restart: options.restart,
      pacing,
      retryDelaysMs: options.retryDelaysMs,
      signal: stop.signal,
      bulkFirst: options.bulkFirst,
      keepQueuedIds: options.follow,
      onBulkProgress: (progress) => {
        bulkDetail = ` · ${progress.added} on their lists by bulk add${progress.phase === 'adding' ? '' : ` (${progress.phase})`}`;
      },
      onProgress: (progress) => {
        const bar = bars.get(progress.kind) ?? out.progress(progress.kind.padEnd(13));
        bars.set(progress.kind, bar);
        bar.update(progress.itemsDone, progress.totalItems, `page ${progress.page}/${progress.totalPages}${progress.kind === 'customers' ? bulkDetail : ''}`);
      },
    });
    for (const bar of bars.values()) bar.stop();
    printReports(reports, out);
    queued = reports.flatMap((report) => report.queuedIds);
  } catch (error) {
    for (const bar of bars.values()) bar.stop();
    if (!(error instanceof BackfillInterruptedError)) throw error;
    printReports(error.reports, out);
    out.warn(`Backfill interrupted: ${error.message}`);
    out.fail(1);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
  // Following only watches: Ctrl-C now simply ends the command; the workers carry on.
  if (!queued) return;
  if (!(await printZohoState(needs, out))) {
    out.fail(1);
    return;
  }
  if (options.follow && (await followSync(needs.events, queued, out)).failed) out.fail(1);
}

function printPreview(store: Store, preview: BackfillPreview, pacer: BackfillPacer, out: CliOutput): void {
  const counts = (record: Record<string, number>) =>
    Object.entries(record)
      .map(([key, n]) => `${key} ${n}`)
      .join(', ');
  out.line(`Dry run for store "${store.id}" (${store.url}): nothing was stored or queued.`);
  out.line(`  WordPress users:  ${preview.users}${preview.users ? ` (${counts(preview.usersByRole)})` : ''}`);
  out.line(
    `  Synced roles:     ${preview.syncedRoles.join(', ')}: ${preview.skippedByRole} users with other roles are left out${preview.withoutEmail ? `, ${preview.withoutEmail} have no email` : ''}`,
  );
  out.line(
    `  Subscriptions:    ${preview.subscriptions === undefined ? 'WooCommerce Subscriptions is not active' : `${preview.subscriptions}${preview.subscriptions ? ` (${counts(preview.subscriptionsByStatus)})` : ''}`}`,
  );
  out.line(
    `  Contacts:         ${preview.contacts}${preview.onNoList ? ` (${preview.onNoList} join no list: no consent recorded, or a list is not chosen)` : ''}`,
  );
  out.line('  Zoho lists:');
  if (preview.lists.length === 0) out.line('    none: choose the lists first (dashboard, or ZOHO_LIST_KEY)');
  for (const list of preview.lists) {
    out.line(`    ${list.listKey.padEnd(28)} ${String(list.wouldJoin).padStart(7)} would join${list.alreadyOn ? `  (${list.alreadyOn} already on it)` : ''}`);
  }
  const calls = preview.lists.reduce((sum, list) => sum + list.wouldJoin, 0);
  const durations = importDurations(preview, pacer);
  out.line(
    `A backfill would queue ${preview.jobs} events (about ${calls} Zoho calls). Paced at up to ${formatNumber(pacer.dailyBudget)} a day behind live events, ` +
      `it takes ${humanDuration(durations.fieldsMs)}.`,
  );
  out.line(`Run it with: woo-zoho-bridge backfill --store ${store.id}`);
  const { bulk } = preview;
  out.line(`With --bulk-first, two phases:`);
  out.line(
    `  1. On their lists: up to ${bulk.addresses} joins by Zoho's bulk add (${bulk.calls} calls, ten addresses each, within its 2,000 a minute) ` +
      `while the store is read, each list's unsubscribed contacts read first (they are left out) and the lists read back after: ${humanDuration(durations.onListsMs)}.`,
  );
  out.line(`  2. Names and fields: the ${preview.jobs} events above through listsubscribe, as paced above: ${humanDuration(durations.fieldsMs)}.`);
  if (bulk.excludedDoubleOptIn + bulk.excludedConsent > 0) {
    out.line(`  Only phase 2 for ${bulk.excludedDoubleOptIn} joins of the double opt-in list and ${bulk.excludedConsent} without consent.`);
  }
}

function printBulk(bulk: BulkProgress, out: CliOutput): void {
  out.line(`Bulk add: ${bulk.added} put on their lists in ${bulk.calls} calls, ${bulk.leftOut} left out (unsubscribed in Zoho).`);
  if (bulk.ignored > 0) out.line(`  ${bulk.ignored} ignored by Zoho and sent one by one; the sync log says why.`);
  if (bulk.phase === 'stopped') out.warn(`The bulk add stopped early: ${bulk.note ?? ''} The backfill still sends everyone through listsubscribe.`);
}

function printReports(reports: KindReport[], out: CliOutput): void {
  for (const report of reports) {
    if (report.skipped) {
      out.line(`${report.kind}: skipped. ${report.skipped}`);
      continue;
    }
    const resumed = report.startedAtPage > 1 ? ` (resumed at page ${report.startedAtPage})` : '';
    out.line(
      `${report.kind}: ${report.items} read from ${report.pagesDone} of ${report.totalPages} pages${resumed}; ` +
        `${report.stored} new events stored, ${report.alreadyStored} already stored earlier, ${report.queued} queued.`,
    );
    if (report.bulk) printBulk(report.bulk, out);
    if (report.unusable > 0) out.line(`  ${report.unusable} could not be used, e.g.: ${report.unusableExamples[0]}`);
    if (report.lastJobAt) out.line(`  Queued behind live events; the last of them is due ${report.lastJobAt.toISOString()}.`);
  }
  out.line(`The workers sync them in the background (npm start, or npm run start:worker, must be running); woo-zoho-bridge status shows how far they are.`);
}

/** Warns when Zoho cannot take the events yet; true when it can. */
async function printZohoState(needs: BackfillNeeds, out: CliOutput): Promise<boolean> {
  const connection = await needs.zohoConnection.get();
  if (!connection) out.warn('Zoho Campaigns is not connected: the events wait, and sync once it is (woo-zoho-bridge connect …).');
  else if (connection.state !== 'connected')
    out.warn(`The Zoho connection needs attention (${connection.stateReason ?? connection.state}): the events wait until it is fixed.`);
  return connection?.state === 'connected';
}

function parseKind(value: string): BackfillKind {
  if (value !== 'customers' && value !== 'subscriptions') throw new InvalidArgumentError('use "customers" or "subscriptions"');
  return value;
}

function parseBudget(value: string): number {
  const budget = Number(value);
  if (!Number.isInteger(budget) || budget < 1 || budget > 75_000)
    throw new InvalidArgumentError('a whole number from 1 to 75000 (Zoho allows 75,000 listsubscribe calls a day)');
  return budget;
}

function parsePerPage(value: string): number {
  const perPage = Number(value);
  if (!Number.isInteger(perPage) || perPage < 1 || perPage > 100)
    throw new InvalidArgumentError('a whole number from 1 to 100 (WooCommerce allows at most 100)');
  return perPage;
}
