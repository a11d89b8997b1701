// Importing a store's existing customers and subscriptions from the dashboard: the same backfill
// the CLI runs (src/backfill/run-backfill.ts), with or without the bulk add first, started as a job
// on the import queue so it runs in a worker, and followed in Postgres (backfill_runs) so the owner
// can pause, resume or cancel it and a restart continues it after the last page it finished.
import type { Got } from 'got';
import type { BackfillKind, BackfillRunRepository } from '../db/backfill-runs.ts';
import type { EventRepository } from '../db/events.ts';
import type { StoreRepository } from '../db/stores.ts';
import type { ContactRepository } from '../db/contacts.ts';
import { queueImport, type ImportQueue } from '../queue/import-queue.ts';
import { syncJobId, type SyncQueue } from '../queue/sync-queue.ts';
import { importDurations } from '../backfill/durations.ts';
import { BackfillPacer, humanDuration, type PacingOptions } from '../backfill/pacing.ts';
import { previewBackfill, type BackfillPreview } from '../backfill/preview.ts';
import { BackfillBusyError, runBackfill, type BackfillDependencies } from '../backfill/run-backfill.ts';
import type { SettingsDefaults } from '../sync/store-settings.ts';
import { WooCommerceRestClient, WooRestError } from '../woocommerce/rest-client.ts';
import { importView, latestImport, type ImportView } from './import-view.ts';

export type { ImportState, ImportView } from './import-view.ts';

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
  /** The preview reads about this many customers and subscriptions, and estimates the rest. @defaultValue 500 */
  previewSample?: number;
}

export type ImportCommandResult = { ok: true; message: string } | { ok: false; message: string };

export interface ImportPreview {
  ok: true;
  preview: BackfillPreview;
  /** Until every name and field is there: listsubscribe's pace (the whole import, without the bulk add). */
  duration: string;
  /**
   * The two phases with the bulk add; undefined when nobody may be added that way. Recommended
   * when one by one would keep people off their lists for more than an hour.
   */
  bulk: { onLists: string; fields: string; recommended: boolean } | undefined;
}

export class ImportStore {
  constructor(readonly deps: ImportDependencies) {}

  /**
   * How many people would join each list, who is left out and why, and how long it takes, with and
   * without the bulk add. Reads a sample of a big store (the first pages) and scales it.
   */
  async preview(storeId: string): Promise<ImportPreview | { ok: false; message: string }> {
    const target = await this.target(storeId);
    if (!target.ok) return target;
    try {
      const preview = await previewBackfill({ contacts: this.deps.contacts, defaults: this.deps.defaults }, target.store, target.client, {
        sample: this.deps.previewSample ?? 500,
      });
      const pacer = new BackfillPacer(this.deps.backfill.redis, this.deps.backfill.redisPrefix, this.deps.pacing);
      const durations = importDurations(preview, pacer);
      const bulk =
        this.deps.backfill.bulk && preview.bulk.addresses > 0
          ? {
              onLists: humanDuration(durations.onListsMs),
              fields: humanDuration(durations.fieldsMs),
              recommended: durations.fieldsMs - durations.onListsMs > 3_600_000,
            }
          : undefined;
      return { ok: true, preview, duration: humanDuration(durations.fieldsMs), bulk };
    } catch (error) {
      if (error instanceof WooRestError) return { ok: false, message: error.message };
      throw error;
    }
  }

  /** bulkFirst: put everyone who may be put there on their lists with Zoho's bulk add first. */
  async start(storeId: string, options: { bulkFirst?: boolean } = {}): Promise<ImportCommandResult> {
    const target = await this.target(storeId);
    if (!target.ok) return target;
    await this.deps.runs.abandonUnfinished(storeId);
    await this.deps.backfill.bulk?.additions.deleteOfEndedRuns(storeId);
    // The first run exists at once, so the page shows the import from the moment it is asked for.
    const first = await this.deps.runs.start(storeId, 'customers', { bulkFirst: options.bulkFirst === true && this.deps.backfill.bulk !== undefined });
    await queueImport(this.deps.importQueue, storeId, first.id);
    return { ok: true, message: 'The import has started.' };
  }

  async pause(storeId: string): Promise<ImportCommandResult> {
    const count = await this.deps.runs.setUnfinishedStatus(storeId, 'paused');
    if (count > 0) return { ok: true, message: 'The import is paused. What was already read still goes to Zoho; press Resume to read the rest.' };
    const view = await this.status(storeId);
    if (view.readingDone && view.state === 'running')
      return { ok: false, message: 'Everything was read already; the rest is on its way to Zoho. Cancel the import to withdraw what is not sent yet.' };
    return nothingRunning();
  }

  async resume(storeId: string): Promise<ImportCommandResult> {
    const count = await this.deps.runs.setUnfinishedStatus(storeId, 'running');
    if (count === 0) return nothingRunning();
    const [first] = latestImport(await this.deps.runs.recent(storeId, 6));
    if (first) await queueImport(this.deps.importQueue, storeId, first.id);
    return { ok: true, message: 'The import continues where it stopped.' };
  }

  /**
   * Stops reading, and withdraws what was read but not sent yet (also once everything was read
   * and only names and details are on their way). Whoever the bulk add already put on a list
   * stays there: Zoho has no undo for it.
   */
  async cancel(storeId: string): Promise<ImportCommandResult> {
    const view = await this.status(storeId);
    const count =
      view.readingDone && view.state === 'running'
        ? await this.deps.runs.cancelRuns(view.runIds)
        : await this.deps.runs.setUnfinishedStatus(storeId, 'cancelled');
    if (count === 0) return nothingRunning();
    let withdrawn = 0;
    for (const runId of view.runIds) {
      const ids = await this.deps.events.skipUnsentOfBackfillRun(storeId, runId, 'The import was cancelled before this was sent.');
      withdrawn += ids.length;
      await Promise.all(ids.map((id) => this.deps.syncQueue.remove(syncJobId(id)).catch(() => 0)));
    }
    await this.deps.backfill.bulk?.additions.deleteOfEndedRuns(storeId);
    const added = view.bulk?.added ?? 0;
    return {
      ok: true,
      message:
        `The import is cancelled.${withdrawn > 0 ? ` ${withdrawn} people it had read were not sent to Zoho.` : ''}` +
        `${added > 0 ? ` The ${added} already put on their lists stay there.` : ''}`,
    };
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
          // Only what this import has not finished: a resume after the customers goes on with the subscriptions.
          const runs = latestImport(await this.deps.runs.recent(storeId, 6));
          const kinds = (['customers', 'subscriptions'] as BackfillKind[]).filter((kind) => !runs.some((run) => run.kind === kind && run.status === 'done'));
          if (kinds.length === 0) return 'finished';
          await runBackfill(this.deps.backfill, target.store, target.client, {
            kinds,
            signal: stop.signal,
            bulkFirst: runs[0]?.bulkFirst === true,
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
      // A cancel while bulk calls were in flight: what they recorded is of no more use.
      await this.deps.backfill.bulk?.additions.deleteOfEndedRuns(storeId);
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
    const counts = await Promise.all(runs.map((run) => this.deps.events.countOfBackfillRun(storeId, run.id)));
    return importView(runs, counts);
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

function nothingRunning(): ImportCommandResult {
  return { ok: false, message: 'No import is running for this store.' };
}
