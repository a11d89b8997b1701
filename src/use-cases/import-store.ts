// Importing a store's existing customers and subscriptions from the dashboard: the same backfill
// the CLI runs (src/backfill/run-backfill.ts), started as a job on the import queue so it runs in
// a worker, and followed in Postgres (backfill_runs) so the owner can pause, resume or cancel it
// and a restart continues it after the last page it finished.
import type { Got } from 'got';
import type { BackfillRun } from '../db/rows.ts';
import type { BackfillRunRepository } from '../db/backfill-runs.ts';
import type { EventRepository } from '../db/events.ts';
import type { StoreRepository } from '../db/stores.ts';
import type { ContactRepository } from '../db/contacts.ts';
import { queueImport, type ImportQueue } from '../queue/import-queue.ts';
import { syncJobId, type SyncQueue } from '../queue/sync-queue.ts';
import { BackfillPacer, humanDuration, type PacingOptions } from '../backfill/pacing.ts';
import { previewBackfill, type BackfillPreview } from '../backfill/preview.ts';
import { BackfillBusyError, runBackfill, type BackfillDependencies } from '../backfill/run-backfill.ts';
import type { SettingsDefaults } from '../sync/store-settings.ts';
import { WooCommerceRestClient, WooRestError } from '../woocommerce/rest-client.ts';

export type ImportState = 'none' | 'running' | 'paused' | 'interrupted' | 'done' | 'cancelled';

export interface ImportView {
  state: ImportState;
  startedAt: Date | undefined;
  finishedAt: Date | undefined;
  /** Why it stopped, when an error stopped it. */
  error: string | undefined;
  /** Read from the store, per kind. */
  reading: Array<{ kind: string; read: number; total: number | undefined; status: string }>;
  /** What became of what was read. */
  sending: { done: number; failed: number; waiting: number; inLine: number; total: number };
  /** 0–100, for the progress bar: reading and sending, half each. */
  percent: number;
  runIds: bigint[];
}

export interface ImportDependencies {
  runs: BackfillRunRepository;
  events: EventRepository;
  stores: StoreRepository;
  contacts: ContactRepository;
  defaults: SettingsDefaults;
  http: Got;
  importQueue: ImportQueue;
  syncQueue: SyncQueue;
  backfill: BackfillDependencies;
  pacing?: PacingOptions;
  /** How often a running import looks whether the owner paused or cancelled it. @defaultValue 500 */
  pollMs?: number;
}

export type ImportCommandResult = { ok: true; message: string } | { ok: false; message: string };

export class ImportStore {
  constructor(readonly deps: ImportDependencies) {}

  /** How many people would join each list, who is left out and why, and how long it takes. */
  async preview(storeId: string): Promise<{ ok: true; preview: BackfillPreview; duration: string } | { ok: false; message: string }> {
    const target = await this.target(storeId);
    if (!target.ok) return target;
    try {
      const preview = await previewBackfill({ contacts: this.deps.contacts, defaults: this.deps.defaults }, target.store, target.client);
      const pacer = new BackfillPacer(this.deps.backfill.redis, this.deps.backfill.redisPrefix, this.deps.pacing);
      return { ok: true, preview, duration: humanDuration(pacer.durationFor(preview.jobs)) };
    } catch (error) {
      if (error instanceof WooRestError) return { ok: false, message: error.message };
      throw error;
    }
  }

  async start(storeId: string): Promise<ImportCommandResult> {
    const target = await this.target(storeId);
    if (!target.ok) return target;
    await this.deps.runs.abandonUnfinished(storeId);
    // The first run exists at once, so the page shows the import from the moment it is asked for.
    const first = await this.deps.runs.start(storeId, 'customers');
    await queueImport(this.deps.importQueue, storeId, first.id);
    return { ok: true, message: 'The import has started.' };
  }

  async pause(storeId: string): Promise<ImportCommandResult> {
    const count = await this.deps.runs.setUnfinishedStatus(storeId, 'paused');
    return count > 0
      ? { ok: true, message: 'The import is paused. What was already read still goes to Zoho; press Resume to read the rest.' }
      : nothingRunning();
  }

  async resume(storeId: string): Promise<ImportCommandResult> {
    const count = await this.deps.runs.setUnfinishedStatus(storeId, 'running');
    if (count === 0) return nothingRunning();
    const [first] = latestImport(await this.deps.runs.recent(storeId, 6));
    if (first) await queueImport(this.deps.importQueue, storeId, first.id);
    return { ok: true, message: 'The import continues where it stopped.' };
  }

  /** Stops reading, and withdraws what was read but not sent yet. */
  async cancel(storeId: string): Promise<ImportCommandResult> {
    const view = await this.status(storeId);
    const count = await this.deps.runs.setUnfinishedStatus(storeId, 'cancelled');
    if (count === 0) return nothingRunning();
    let withdrawn = 0;
    for (const runId of view.runIds) {
      const ids = await this.deps.events.skipUnsentOfBackfillRun(storeId, runId, 'The import was cancelled before this was sent.');
      withdrawn += ids.length;
      await Promise.all(ids.map((id) => this.deps.syncQueue.remove(syncJobId(id)).catch(() => 0)));
    }
    return { ok: true, message: `The import is cancelled.${withdrawn > 0 ? ` ${withdrawn} people it had read were not sent to Zoho.` : ''}` };
  }

  /**
   * The import job: runs the backfill until it is done, paused, cancelled or the worker stops. A
   * resume that came while the job was still finishing its page after a pause is picked up here.
   */
  async runJob(storeId: string, importId: bigint, shutdown: AbortSignal): Promise<void> {
    while (!shutdown.aborted && (await this.#isRunning(storeId, importId))) {
      const target = await this.target(storeId);
      if (!target.ok) return this.#interruptAll(storeId, target.message);
      const stopped = await this.#runOnce(storeId, importId, target, shutdown);
      if (stopped === 'finished') return;
    }
  }

  async #runOnce(
    storeId: string,
    importId: bigint,
    target: Extract<Awaited<ReturnType<ImportStore['target']>>, { ok: true }>,
    shutdown: AbortSignal,
  ): Promise<'finished' | 'stopped'> {
    const stop = new AbortController();
    const onShutdown = () => stop.abort();
    shutdown.addEventListener('abort', onShutdown);
    const poll = setInterval(() => {
      this.#wasStopped(storeId, importId)
        .then((stopped) => {
          if (stopped) stop.abort();
        })
        .catch(() => undefined);
    }, this.deps.pollMs ?? 500);
    try {
      for (let tries = 0; ; tries++) {
        try {
          await runBackfill(this.deps.backfill, target.store, target.client, {
            signal: stop.signal,
            ...(this.deps.pacing ? { pacing: this.deps.pacing } : {}),
          });
          return 'finished';
        } catch (error) {
          // The previous import's job may still be finishing its page: wait for its lock.
          if (error instanceof BackfillBusyError && tries < 120 && !stop.signal.aborted) {
            await new Promise((resolve) => setTimeout(resolve, 1_000));
            continue;
          }
          throw error;
        }
      }
    } catch (error) {
      // A pause, a cancel or a shutdown stops it on purpose; the runs say which. Anything else
      // leaves the import "interrupted" with its reason, for the owner to read and resume.
      if (!stop.signal.aborted) {
        await this.#interruptAll(storeId, error instanceof Error ? error.message : String(error));
        return 'finished';
      }
      if (shutdown.aborted) await this.deps.runs.reopenInterrupted(storeId);
      return 'stopped';
    } finally {
      clearInterval(poll);
      shutdown.removeEventListener('abort', onShutdown);
    }
  }

  /** Paused, cancelled or replaced by a newer import (between two runs, none is "running"). */
  async #wasStopped(storeId: string, importId: bigint): Promise<boolean> {
    const runs = latestImport(await this.deps.runs.recent(storeId, 6));
    return runs[0]?.id !== importId || runs.some((run) => run.status === 'paused' || run.status === 'cancelled' || run.status === 'abandoned');
  }

  async #isRunning(storeId: string, importId: bigint): Promise<boolean> {
    const runs = latestImport(await this.deps.runs.recent(storeId, 6));
    return runs[0]?.id === importId && runs.some((run) => run.status === 'running');
  }

  /** Imports that were running when the bridge stopped: queued again at the worker's start. */
  async resumeAfterRestart(): Promise<number> {
    const storeIds = await this.deps.runs.storesWithRunningRuns();
    for (const storeId of storeIds) {
      const [first] = latestImport(await this.deps.runs.recent(storeId, 6));
      if (first) await queueImport(this.deps.importQueue, storeId, first.id);
    }
    return storeIds.length;
  }

  async status(storeId: string): Promise<ImportView> {
    const runs = latestImport(await this.deps.runs.recent(storeId, 6));
    const view: ImportView = {
      state: 'none',
      startedAt: runs[0]?.startedAt,
      finishedAt: undefined,
      error: undefined,
      reading: [],
      sending: { done: 0, failed: 0, waiting: 0, inLine: 0, total: 0 },
      percent: 0,
      runIds: runs.map((run) => run.id),
    };
    if (runs.length === 0) return view;
    for (const run of runs) {
      view.reading.push({ kind: run.kind, read: run.itemsQueued, total: run.totalItems ?? undefined, status: run.status });
      const counts = await this.deps.events.countOfBackfillRun(storeId, run.id);
      view.sending.done += (counts.synced ?? 0) + (counts.coalesced ?? 0) + (counts.skipped ?? 0);
      view.sending.failed += counts.failed ?? 0;
      view.sending.waiting += counts.waiting ?? 0;
      view.sending.inLine += (counts.received ?? 0) + (counts.queued ?? 0);
      view.error ??= run.lastError ?? undefined;
    }
    const s = view.sending;
    s.total = s.done + s.failed + s.waiting + s.inLine;
    const statuses = runs.map((run) => run.status);
    view.state = statuses.includes('cancelled')
      ? 'cancelled'
      : statuses.includes('interrupted')
        ? 'interrupted'
        : statuses.includes('paused')
          ? 'paused'
          : statuses.every((status) => status === 'done') && s.inLine === 0 && s.waiting === 0
            ? 'done'
            : 'running';
    if (view.state === 'done')
      view.finishedAt =
        runs
          .map((run) => run.finishedAt)
          .filter((at) => at !== null)
          .sort()
          .at(-1) ?? undefined;
    const readTotal = runs.reduce((sum, run) => sum + (run.totalItems ?? 0), 0);
    const read = runs.reduce((sum, run) => sum + run.itemsQueued, 0);
    const readingShare = statuses.every((status) => status === 'done') ? 1 : readTotal > 0 ? Math.min(1, read / readTotal) : 0;
    const sendingShare = s.total > 0 ? (s.done + s.failed) / s.total : readingShare === 1 ? 1 : 0;
    view.percent = Math.round(((readingShare + sendingShare) / 2) * 100);
    return view;
  }

  async #interruptAll(storeId: string, message: string): Promise<void> {
    const runs = latestImport(await this.deps.runs.recent(storeId, 6));
    for (const run of runs) if (run.status === 'running') await this.deps.runs.interrupt(run.id, message);
  }

  /** The store and a REST client for it, or why there is none. */
  async target(
    storeId: string,
  ): Promise<
    { ok: true; store: NonNullable<Awaited<ReturnType<StoreRepository['findById']>>>; client: WooCommerceRestClient } | { ok: false; message: string }
  > {
    const store = await this.deps.stores.findById(storeId);
    if (!store) return { ok: false, message: 'That store does not exist (any more).' };
    const credentials = this.deps.stores.restCredentialsOf(store);
    if (!credentials || !store.url) return { ok: false, message: 'Connect the store first: its address and a REST API key.' };
    return { ok: true, store, client: new WooCommerceRestClient(this.deps.http, store.url, credentials) };
  }
}

/** The runs of the newest import: the newest customers run and anything started after it. */
function latestImport(recent: BackfillRun[]): BackfillRun[] {
  const first = recent.find((run) => run.kind === 'customers');
  if (!first) return [];
  return recent.filter((run) => run.id >= first.id).sort((a, b) => Number(a.id - b.id));
}

function nothingRunning(): ImportCommandResult {
  return { ok: false, message: 'No import is running for this store.' };
}
