// "Apply settings to everyone": after the lists or rules change, the people the bridge already
// synced keep their old lists until the owner runs this. It walks the store's stored contacts and
// gives each one whose lists change a sync of their own (src/sync/requested-syncs.ts), queued on
// the imports' paced schedule behind live changes (src/backfill/enqueue-backfill.ts), so it goes
// through the usual queue, consent rules and Zoho quota. Followed in Postgres (settings_applies)
// like an import, so the owner can pause, resume or cancel it and a restart continues it.
import type { ContactRepository } from '../db/contacts.ts';
import type { EventRepository } from '../db/events.ts';
import { storableEvent } from '../db/new-event.ts';
import type { SettingsApply } from '../db/rows.ts';
import type { SettingsApplyRepository } from '../db/settings-applies.ts';
import type { StoreRepository } from '../db/stores.ts';
import type { SubscriptionRepository } from '../db/subscriptions.ts';
import type { EventEnqueuer } from '../queue/enqueue-events.ts';
import { queueSettingsApply, type SettingsApplyQueue } from '../queue/settings-apply-queue.ts';
import { syncJobId, type SyncQueue } from '../queue/sync-queue.ts';
import type { RedisClient } from '../redis/connection.ts';
import { enqueueBackfillJobs } from '../backfill/enqueue-backfill.ts';
import { BackfillPacer, humanDuration, type PacingOptions } from '../backfill/pacing.ts';
import { SETTINGS_APPLY_HEADER, settingsAppliedEvent } from '../sync/requested-syncs.ts';
import { routingFingerprint } from '../sync/routing-fingerprint.ts';
import { effectiveSettings, type SettingsDefaults } from '../sync/store-settings.ts';
import { movesOfPage, previewApply, type ApplyPreview } from './settings-apply-preview.ts';

/** `sending`: everyone was handed over; their syncs are still going at Zoho's pace. */
export type ApplyState = 'none' | 'running' | 'paused' | 'interrupted' | 'sending' | 'done' | 'cancelled';

export interface ApplyView {
  state: ApplyState;
  runId: bigint | undefined;
  /** People whose lists change, counted at the start. */
  total: number;
  /** What became of those handed over so far. */
  sending: { done: number; failed: number; waiting: number; inLine: number };
  /** 0–100, for the progress bar. */
  percent: number;
  startedAt: Date | undefined;
  finishedAt: Date | undefined;
  /** Why it stopped, when something stopped it. */
  error: string | undefined;
}

/** What the Settings page says about applying its settings. */
export interface ApplyNotice {
  /** People the bridge already synced have lists from other settings than the current ones. */
  outstanding: boolean;
  /** The state of the run going on (running, paused, stopped by an error, or still sending), if any. */
  run: Extract<ApplyState, 'running' | 'paused' | 'interrupted' | 'sending'> | undefined;
}

export type ApplyCommandResult = { ok: boolean; message: string };

export interface ApplySettingsDependencies {
  stores: StoreRepository;
  contacts: ContactRepository;
  subscriptions: SubscriptionRepository;
  runs: SettingsApplyRepository;
  events: EventRepository;
  /** Tells which stored events already have their job (a resumed run queued them before). */
  enqueuer: Pick<EventEnqueuer, 'withoutJob' | 'installationId'>;
  syncQueue: SyncQueue;
  applyQueue: SettingsApplyQueue;
  /** Holds the pacing shared with imports (src/backfill/pacing.ts). */
  redis: RedisClient;
  redisPrefix: string;
  /** SYNC_ATTEMPTS, so each person's sync retries like any other. */
  attempts: number;
  defaults: SettingsDefaults;
  pacing?: PacingOptions;
  /** Contacts looked at between two checks for a pause. @defaultValue 200 */
  pageSize?: number;
}

const UNFINISHED = ['running', 'paused', 'interrupted'] as const;

export class ApplySettings {
  readonly #pacer: BackfillPacer;

  constructor(private readonly deps: ApplySettingsDependencies) {
    this.#pacer = new BackfillPacer(deps.redis, deps.redisPrefix, deps.pacing);
  }

  /** Asked on every visit to Settings, so it reads little: the store, its newest run, and whether that run has anyone left to send. */
  async notice(storeId: string): Promise<ApplyNotice> {
    const [store, run] = await Promise.all([this.deps.stores.findById(storeId), this.deps.runs.latest(storeId)]);
    const applied = store?.listsAppliedFingerprint ?? null;
    const current = store ? routingFingerprint(effectiveSettings(store.settings, this.deps.defaults)) : null;
    const unfinished = UNFINISHED.find((status) => status === run?.status);
    const sending = run?.status === 'done' && (await this.deps.events.hasPendingWithHeader(storeId, SETTINGS_APPLY_HEADER, run.id.toString(), run.startedAt));
    return { outstanding: applied !== null && applied !== current, run: unfinished ?? (sending ? 'sending' : undefined) };
  }

  /** Who would join and leave each list, and how long the paced run takes. */
  async preview(storeId: string): Promise<{ ok: true; preview: ApplyPreview; duration: string } | { ok: false; message: string }> {
    const store = await this.deps.stores.findById(storeId);
    if (!store) return { ok: false, message: 'That store does not exist (any more).' };
    const preview = await previewApply(this.deps, storeId, effectiveSettings(store.settings, this.deps.defaults));
    return { ok: true, preview, duration: humanDuration(this.#pacer.durationFor(preview.moving)) };
  }

  /** Starts a run for the settings the owner looked at (`fingerprint`), unless they changed since. */
  async start(storeId: string, fingerprint: string): Promise<ApplyCommandResult> {
    const previewed = await this.preview(storeId);
    if (!previewed.ok) return previewed;
    if (previewed.preview.fingerprint !== fingerprint) {
      return { ok: false, message: 'The settings changed since you looked: here is what the new ones would do. Nothing was sent.' };
    }
    await this.deps.runs.cancelUnfinished(storeId);
    const run = await this.deps.runs.start(storeId, fingerprint, previewed.preview.moving);
    await queueSettingsApply(this.deps.applyQueue, storeId, run.id);
    return { ok: true, message: 'Your settings are being applied to everyone.' };
  }

  async pause(storeId: string): Promise<ApplyCommandResult> {
    const run = await this.deps.runs.setUnfinishedStatus(storeId, 'paused');
    return run ? { ok: true, message: 'Paused. People already in line still go to Zoho; press Resume for the others.' } : nothingGoingOn();
  }

  async resume(storeId: string): Promise<ApplyCommandResult> {
    const run = await this.deps.runs.setUnfinishedStatus(storeId, 'running');
    if (!run) return nothingGoingOn();
    await queueSettingsApply(this.deps.applyQueue, storeId, run.id);
    return { ok: true, message: 'It continues where it stopped.' };
  }

  /** Stops the run, and withdraws the people handed over but not sent yet. */
  async cancel(storeId: string): Promise<ApplyCommandResult> {
    const run = await this.deps.runs.setUnfinishedStatus(storeId, 'cancelled');
    if (!run) return nothingGoingOn();
    const withdrawn = await this.deps.events.skipUnsentWithHeader(
      storeId,
      SETTINGS_APPLY_HEADER,
      run.id.toString(),
      'Applying the settings was cancelled before this was sent.',
    );
    await Promise.all(withdrawn.map((id) => this.deps.syncQueue.remove(syncJobId(id)).catch(() => 0)));
    const note = withdrawn.length > 0 ? ` ${withdrawn.length} ${withdrawn.length === 1 ? 'person was' : 'people were'} not sent to Zoho.` : '';
    return { ok: true, message: `Cancelled.${note} The others keep the lists they have now.` };
  }

  /**
   * The run's job: hands the people whose lists change to the sync queue, a page of contacts at a
   * time, until every contact was looked at, or the owner paused or cancelled it, or the worker
   * stops (then it continues at the next start). Settings changed meanwhile stop it: what it
   * counted no longer holds.
   */
  async runJob(storeId: string, runId: bigint, shutdown: AbortSignal): Promise<void> {
    try {
      for (;;) {
        if (shutdown.aborted) return;
        const run = await this.deps.runs.find(runId);
        if (!run || run.storeId !== storeId || run.status !== 'running') return;
        const store = await this.deps.stores.findById(storeId);
        if (!store) return this.deps.runs.interrupt(runId, 'The store no longer exists.');
        const settings = effectiveSettings(store.settings, this.deps.defaults);
        if (routingFingerprint(settings) !== run.fingerprint) {
          return this.deps.runs.cancel(runId, 'The settings changed while they were being applied. Look at what the new ones would do, and start again.');
        }
        const page = await this.deps.contacts.pageOfStore(storeId, run.afterContactId, this.deps.pageSize ?? 200);
        if (page.length === 0) return this.#finish(run);
        await this.#handOver(run, await movesOfPage(this.deps, storeId, page, settings));
        await this.deps.runs.advance(runId, page.at(-1)!.id);
      }
    } catch (error) {
      if (!shutdown.aborted) await this.deps.runs.interrupt(runId, error instanceof Error ? error.message : String(error));
    }
  }

  /** Runs that were going when the worker stopped: queued again at its start. */
  async resumeAfterRestart(): Promise<number> {
    const runs = await this.deps.runs.running();
    for (const run of runs) await queueSettingsApply(this.deps.applyQueue, run.storeId, run.id);
    return runs.length;
  }

  /** The store's newest run and what became of the people it handed over. */
  async status(storeId: string): Promise<ApplyView> {
    const run = await this.deps.runs.latest(storeId);
    const view: ApplyView = {
      state: 'none',
      runId: run?.id,
      total: run?.total ?? 0,
      sending: { done: 0, failed: 0, waiting: 0, inLine: 0 },
      percent: 0,
      startedAt: run?.startedAt,
      finishedAt: run?.finishedAt ?? undefined,
      error: run?.lastError ?? undefined,
    };
    if (!run) return view;
    const counts = await this.deps.events.countWithHeader(storeId, SETTINGS_APPLY_HEADER, run.id.toString(), run.startedAt);
    const s = view.sending;
    s.done = (counts.synced ?? 0) + (counts.coalesced ?? 0) + (counts.skipped ?? 0);
    s.failed = counts.failed ?? 0;
    s.waiting = counts.waiting ?? 0;
    s.inLine = (counts.received ?? 0) + (counts.queued ?? 0);
    const handedOver = s.done + s.failed + s.waiting + s.inLine;
    const sendingDone = run.status === 'done' && s.inLine === 0 && s.waiting === 0;
    view.state = run.status === 'done' ? (sendingDone ? 'done' : 'sending') : (run.status as ApplyState);
    const of = Math.max(run.total, handedOver);
    view.percent = sendingDone ? 100 : of === 0 ? 0 : Math.round(((s.done + s.failed) / of) * 100);
    return view;
  }

  async #handOver(run: SettingsApply, moves: Awaited<ReturnType<typeof movesOfPage>>): Promise<void> {
    const inLine: bigint[] = [];
    for (const { contact } of moves) {
      const stored = await this.deps.events.insertUnlessStored(storableEvent(settingsAppliedEvent(run.storeId, contact.customerKey, run.id)));
      if (stored.status === 'received') inLine.push(stored.id);
    }
    // A page looked at again after a restart: its people already have their jobs.
    const toQueue = await this.deps.enqueuer.withoutJob(inLine);
    const { syncQueue: queue, attempts, enqueuer } = this.deps;
    await enqueueBackfillJobs({ queue, pacer: this.#pacer, attempts, installation: enqueuer.installationId }, toQueue);
  }

  /** Every contact looked at: the people now have (or are on their way to) the run's lists. */
  async #finish(run: SettingsApply): Promise<void> {
    await this.deps.runs.finish(run.id);
    // Settings saved at this very moment win: the write only lands if they are still those read.
    for (let tries = 0; tries < 3; tries++) {
      const store = await this.deps.stores.findById(run.storeId);
      if (!store) return;
      const current = routingFingerprint(effectiveSettings(store.settings, this.deps.defaults));
      if (await this.deps.stores.recordListsApplied(run.storeId, current === run.fingerprint ? null : run.fingerprint, store.settings)) return;
    }
  }
}

function nothingGoingOn(): ApplyCommandResult {
  return { ok: false, message: 'The settings are not being applied to everyone right now.' };
}
