// What the owner sees of an import (src/use-cases/import-store.ts): its state, what was read, the
// bulk phase when it had one (everyone on their lists), and what became of the events (names and
// fields through listsubscribe). Worked out from its runs and their events' counts; pure.
import type { BackfillRun, EventStatus } from '../db/rows.ts';

export type ImportState = 'none' | 'running' | 'paused' | 'interrupted' | 'done' | 'cancelled';

export interface BulkView {
  /** adding: putting people on their lists; checking: reading the lists back; stopped: Zoho refused, the rest follows one by one. */
  phase: 'waiting' | 'adding' | 'checking' | 'done' | 'stopped';
  added: number;
  /** Left out because Zoho has them as unsubscribed from the list. */
  leftOut: number;
  /** Zoho ignored them in the bulk add; sent on their own. */
  ignored: number;
  /** Why it stopped early. */
  note: string | undefined;
}

export interface ImportView {
  state: ImportState;
  startedAt: Date | undefined;
  finishedAt: Date | undefined;
  /** Why it stopped, when an error stopped it. */
  error: string | undefined;
  /** Read from the store, per kind. */
  reading: Array<{ kind: string; read: number; total: number | undefined; status: string }>;
  /** Phase 1 of an import with the bulk add; undefined without it. */
  bulk: BulkView | undefined;
  /** What became of what was read: phase 2, names and fields through listsubscribe. */
  sending: { done: number; failed: number; waiting: number; inLine: number; total: number };
  /** 0–100, for the progress bar: reading and sending, half each. */
  percent: number;
  /** Everything was read: only names and details are still on their way (nothing left to pause). */
  readingDone: boolean;
  runIds: bigint[];
}

export type RunCounts = Partial<Record<EventStatus, number>>;

/** The runs of the newest import: the newest customers run and anything started after it. */
export function latestImport(recent: BackfillRun[]): BackfillRun[] {
  const first = recent.find((run) => run.kind === 'customers');
  if (!first) return [];
  return recent.filter((run) => run.id >= first.id).sort((a, b) => Number(a.id - b.id));
}

export function importView(runs: BackfillRun[], counts: RunCounts[]): ImportView {
  const view: ImportView = {
    state: 'none',
    startedAt: runs[0]?.startedAt,
    finishedAt: undefined,
    error: undefined,
    reading: [],
    bulk: bulkView(runs[0]),
    sending: { done: 0, failed: 0, waiting: 0, inLine: 0, total: 0 },
    percent: 0,
    readingDone: false,
    runIds: runs.map((run) => run.id),
  };
  if (runs.length === 0) return view;
  for (const [index, run] of runs.entries()) {
    const count = counts[index] ?? {};
    view.reading.push({ kind: run.kind, read: run.itemsQueued, total: run.totalItems ?? undefined, status: run.status });
    view.sending.done += (count.synced ?? 0) + (count.coalesced ?? 0) + (count.skipped ?? 0);
    view.sending.failed += count.failed ?? 0;
    view.sending.waiting += count.waiting ?? 0;
    view.sending.inLine += (count.received ?? 0) + (count.queued ?? 0);
    view.error ??= run.lastError ?? undefined;
  }
  const s = view.sending;
  s.total = s.done + s.failed + s.waiting + s.inLine;
  const statuses = runs.map((run) => run.status);
  view.readingDone = statuses.every((status) => status === 'done');
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

function bulkView(run: BackfillRun | undefined): BulkView | undefined {
  if (!run?.bulkFirst) return undefined;
  const phase =
    run.bulkPhase === 'adding' || run.bulkPhase === 'checking' || run.bulkPhase === 'done' || run.bulkPhase === 'stopped' ? run.bulkPhase : 'waiting';
  return { phase, added: run.bulkAdded, leftOut: run.bulkLeftOut, ignored: run.bulkIgnored, note: run.bulkNote ?? undefined };
}

/** Phase 1 in the owner's words, for the import page and its live updates. */
export function bulkSummary(bulk: BulkView, number: (n: number) => string): string {
  const added = `${number(bulk.added)} ${bulk.added === 1 ? 'person' : 'people'}`;
  const leftOut = bulk.leftOut > 0 ? ` ${number(bulk.leftOut)} left out because they unsubscribed in Zoho.` : '';
  switch (bulk.phase) {
    case 'waiting':
      return 'Starting: reading your subscriptions first.';
    case 'adding':
      return `${added} put on their lists so far by Zoho’s bulk add.${leftOut}`;
    case 'checking':
      return `${added} put on their lists by Zoho’s bulk add; now checking the lists in Zoho.${leftOut}`;
    case 'done':
      return (
        `Done: ${added} put on their lists by Zoho’s bulk add.${leftOut}` +
        (bulk.ignored > 0 ? ` Zoho skipped ${number(bulk.ignored)}; they were sent one by one (the sync log says why).` : '')
      );
    case 'stopped':
      return `Stopped after ${added}: ${bulk.note ?? 'Zoho refused the bulk add.'} Everyone else still reaches their lists one by one.`;
  }
}
