// The backfill use case: pages through a store's customers (every role) and subscriptions over the
// REST API and hands each one to the normal pipeline as a stored event (resource-events.ts), then
// queues it behind live events on a paced schedule (enqueue-backfill.ts).
//
// Resumable: a BackfillRun records the items of every page fully handed over, and a new run of the
// same store and kind continues after them. Idempotent: an event is keyed by store, topic and the
// sha256 of its bytes, so re-reading a page stores nothing new for what did not change.
//
// With bulkFirst, the customers run also puts everyone who may be put there on their lists with
// Zoho's bulk add as its pages go by (bulk-phase.ts); the dashboard's import and the CLI's
// backfill --bulk-first both come here. Pages stream through: nothing is kept per customer.
import type { RedisClient } from '../redis/connection.ts';
import type { BackfillKind, BackfillRunRepository } from '../db/backfill-runs.ts';
import type { EventRepository } from '../db/events.ts';
import type { NewEvent } from '../db/new-event.ts';
import type { Store } from '../db/rows.ts';
import type { EventEnqueuer } from '../queue/enqueue-events.ts';
import type { SyncQueue } from '../queue/sync-queue.ts';
import { tryLock } from '../redis/lock.ts';
import type { WooCommerceRestClient, WooJson } from '../woocommerce/rest-client.ts';
import { enqueueBackfillJobs } from './enqueue-backfill.ts';
import { fetchPage } from './fetch-pages.ts';
import { BackfillPacer, type PacingOptions } from './pacing.ts';
import { BulkPhase, type BulkPhaseDependencies, type BulkProgress } from './bulk-phase.ts';
import { backfillEvent } from './resource-events.ts';

export interface BackfillDependencies {
  runs: BackfillRunRepository;
  events: EventRepository;
  queue: SyncQueue;
  /** Tells which stored events already have their job (an earlier run queued them). */
  enqueuer: Pick<EventEnqueuer, 'withoutJob' | 'installationId'>;
  redis: RedisClient;
  redisPrefix: string;
  /** SYNC_ATTEMPTS, so a backfill job retries like any other. */
  attempts: number;
  /** What the bulk phase needs; without it a run never uses the bulk add. */
  bulk?: BulkPhaseDependencies;
}

export interface BackfillProgress {
  kind: BackfillKind;
  /** Items handed to the pipeline so far (including those of an earlier, interrupted run). */
  itemsDone: number;
  totalItems: number;
  page: number;
  totalPages: number;
}

export interface BackfillOptions {
  /** @defaultValue both, subscriptions only when WooCommerce Subscriptions is active */
  kinds?: BackfillKind[];
  /** @defaultValue 100 (WooCommerce's maximum) */
  perPage?: number;
  /** Forget unfinished runs and start from the first page. */
  restart?: boolean;
  pacing?: PacingOptions;
  retryDelaysMs?: number[];
  onProgress?: (progress: BackfillProgress) => void;
  /** Stops after the page being handed over (Ctrl-C): the run is recorded as interrupted. */
  signal?: AbortSignal;
  /**
   * The customers run first puts people on their lists with Zoho's bulk add. A run that started
   * with it goes on with it when resumed, asked or not.
   */
  bulkFirst?: boolean;
  onBulkProgress?: (progress: BulkProgress) => void;
  /** Keep the ids of the events queued (to follow them); off, a big import keeps nothing per customer. */
  keepQueuedIds?: boolean;
}

export interface KindReport {
  kind: BackfillKind;
  runId: bigint | undefined;
  /** 1 for a fresh run; later when an interrupted run was resumed. */
  startedAtPage: number;
  pagesDone: number;
  totalPages: number;
  items: number;
  stored: number;
  alreadyStored: number;
  queued: number;
  /** The events queued by this run, for following them until they are synced (with keepQueuedIds). */
  queuedIds: bigint[];
  unusable: number;
  /** The first few reasons an item could not be used. */
  unusableExamples: string[];
  /** The bulk phase's outcome, when the run had one. */
  bulk: BulkProgress | undefined;
  firstJobAt: Date | undefined;
  lastJobAt: Date | undefined;
  /** Why this kind was not backfilled at all. */
  skipped: string | undefined;
}

export class BackfillInterruptedError extends Error {
  constructor(
    message: string,
    readonly reports: KindReport[],
  ) {
    super(message);
    this.name = 'BackfillInterruptedError';
  }
}

const LOCK_LEASE_MS = 5 * 60_000;

/** Another backfill of the store holds its lock (one at a time per store). */
export class BackfillBusyError extends Error {
  constructor(storeId: string) {
    super(`A backfill of store "${storeId}" is already running. Let it finish (or, if it was killed, wait ${LOCK_LEASE_MS / 60_000} minutes).`);
    this.name = 'BackfillBusyError';
  }
}

export async function runBackfill(
  deps: BackfillDependencies,
  store: Store,
  client: WooCommerceRestClient,
  options: BackfillOptions = {},
): Promise<KindReport[]> {
  const lock = await tryLock(deps.redis, `${deps.redisPrefix}:backfill:lock:${store.id}`, LOCK_LEASE_MS);
  if (!lock) throw new BackfillBusyError(store.id);
  const reports: KindReport[] = [];
  try {
    if (options.restart) await deps.runs.abandonUnfinished(store.id);
    const kinds = options.kinds ?? ['customers', 'subscriptions'];
    const pacer = new BackfillPacer(deps.redis, deps.redisPrefix, options.pacing);
    for (const kind of kinds) {
      if (options.signal?.aborted) throw new Error('Stopped on request.');
      if (kind === 'subscriptions' && !(await client.hasSubscriptions())) {
        reports.push({ ...emptyReport(kind), skipped: 'WooCommerce Subscriptions is not active on this store.' });
        continue;
      }
      const report = emptyReport(kind);
      reports.push(report);
      await backfillKind({ deps, store, client, options, pacer, report, keepLock: () => lock.extend(LOCK_LEASE_MS) });
    }
    return reports;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new BackfillInterruptedError(message, reports);
  } finally {
    await lock.release();
  }
}

interface KindContext {
  deps: BackfillDependencies;
  store: Store;
  client: WooCommerceRestClient;
  options: BackfillOptions;
  pacer: BackfillPacer;
  report: KindReport;
  keepLock: () => Promise<boolean>;
}

async function backfillKind(context: KindContext): Promise<void> {
  const { deps, store, client, options, report } = context;
  const perPage = options.perPage ?? 100;
  const wantsBulk = report.kind === 'customers' && options.bulkFirst === true;
  const run = (await deps.runs.findUnfinished(store.id, report.kind)) ?? (await deps.runs.start(store.id, report.kind, { bulkFirst: wantsBulk }));
  if (run.status !== 'running') await deps.runs.markRunning(run.id);
  if (wantsBulk && !run.bulkFirst) await deps.runs.setBulkFirst(run.id);
  report.runId = run.id;
  const bulk =
    report.kind === 'customers' && (wantsBulk || run.bulkFirst) && deps.bulk
      ? new BulkPhase(deps.bulk, store, client, {
          perPage,
          retryDelaysMs: options.retryDelaysMs,
          signal: options.signal,
          keepAlive: context.keepLock,
          onProgress: (progress) => {
            report.bulk = progress;
            options.onBulkProgress?.(progress);
          },
        })
      : undefined;
  // Resume from items, not pages: a rerun with another page size still starts in the right place
  // (re-reading part of a page is harmless: identical events are not stored twice).
  let itemsDone = run.itemsQueued;
  let page = Math.floor(itemsDone / perPage) + 1;
  report.startedAtPage = page;
  const read = (at: number) => {
    const fetching = fetchPage(client, report.kind, at, perPage, options.retryDelaysMs);
    // Read ahead: a stop before it is awaited must not leave its failure unhandled.
    fetching.catch(() => undefined);
    return fetching;
  };
  try {
    await bulk?.start(run);
    let next = read(page);
    for (;;) {
      if (options.signal?.aborted) throw new Error('Stopped on request.');
      const result = await next;
      // The next page is read while this one is handed over: a store's pages take what they take.
      if (result.hasNext && result.items.length > 0) next = read(page + 1);
      report.totalPages = result.totalPages;
      const skipOnPage = Math.max(0, itemsDone - (page - 1) * perPage);
      const items = result.items.slice(skipOnPage);
      // The bulk calls go out first and fly while the page is stored and queued.
      await bulk?.page(items);
      await handOver(context, run.id, items);
      itemsDone = (page - 1) * perPage + result.items.length;
      report.pagesDone = page;
      report.items += Math.max(0, result.items.length - skipOnPage);
      await deps.runs.completePage(run.id, { pagesDone: page, totalPages: result.totalPages, itemsQueued: itemsDone, totalItems: result.total });
      options.onProgress?.({ kind: report.kind, itemsDone, totalItems: result.total, page, totalPages: result.totalPages });
      if (!result.hasNext || result.items.length === 0) break;
      if (!(await context.keepLock())) throw new Error('Lost the backfill lock (another backfill of this store started); stopping.');
      page += 1;
    }
    await bulk?.end();
    await deps.runs.finish(run.id);
  } catch (error) {
    await bulk?.stopped();
    const message = error instanceof Error ? error.message : String(error);
    await deps.runs.interrupt(run.id, `Stopped at page ${page}: ${message}`);
    throw new Error(`The ${report.kind} backfill stopped at page ${page}: ${message} Run the same command again to continue from page ${page}.`);
  }
}

/** Stores each resource of a page as an event and queues the new ones on the backfill schedule. */
async function handOver(context: KindContext, runId: bigint, items: WooJson[]): Promise<void> {
  const { deps, store, report, pacer } = context;
  const inLine: bigint[] = [];
  const events: NewEvent[] = [];
  for (const resource of items) {
    const built = backfillEvent({ storeId: store.id, storeUrl: store.url, kind: report.kind, runId, resource });
    if (built.ok) events.push(built.event);
    else {
      report.unusable += 1;
      if (report.unusableExamples.length < 5) report.unusableExamples.push(built.problem);
    }
  }
  for (const stored of await deps.events.insertManyUnlessStored(events)) {
    if (stored.inserted) report.stored += 1;
    else report.alreadyStored += 1;
    if (stored.status === 'received') inLine.push(stored.id);
  }
  // An event an earlier run stored is still 'received' while its job waits for its slot, possibly
  // for days: queued again it would take a second slot of the daily budget for nothing. Only those
  // without a job are queued: new ones, and those of a run that stopped before queueing them. (One
  // whose job failed in BullMQ is the sweeper's.)
  const toQueue = await deps.enqueuer.withoutJob(inLine);
  const slots = await enqueueBackfillJobs({ queue: deps.queue, pacer, attempts: deps.attempts, installation: deps.enqueuer.installationId }, toQueue);
  report.queued += toQueue.length;
  if (context.options.keepQueuedIds) report.queuedIds.push(...toQueue);
  if (slots) {
    report.firstJobAt ??= new Date(slots.firstAt);
    report.lastJobAt = new Date(slots.lastAt);
  }
}

function emptyReport(kind: BackfillKind): KindReport {
  return {
    kind,
    runId: undefined,
    startedAtPage: 1,
    pagesDone: 0,
    totalPages: 0,
    items: 0,
    stored: 0,
    alreadyStored: 0,
    queued: 0,
    queuedIds: [],
    unusable: 0,
    unusableExamples: [],
    bulk: undefined,
    firstJobAt: undefined,
    lastJobAt: undefined,
    skipped: undefined,
  };
}
