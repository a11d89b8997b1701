// `backfill --follow`: after queueing, shows the sync of the backfilled events until each one is
// done. Only watches: Ctrl-C stops the watching, the workers carry on.
import type { EventRepository } from '../../db/events.ts';
import type { CliOutput } from '../output.ts';

const PENDING = new Set(['received', 'queued', 'waiting']);
const CHUNK = 5_000;

export async function followSync(events: EventRepository, ids: bigint[], out: CliOutput, pollMs = 1_000): Promise<Record<string, number>> {
  const finished: Record<string, number> = {};
  const bar = out.progress('syncing      ');
  let pending = ids;
  while (pending.length > 0) {
    const still: bigint[] = [];
    for (let start = 0; start < pending.length; start += CHUNK) {
      for (const event of await events.findStatuses(pending.slice(start, start + CHUNK))) {
        if (PENDING.has(event.status)) still.push(event.id);
        else finished[event.status] = (finished[event.status] ?? 0) + 1;
      }
    }
    pending = still;
    bar.update(ids.length - pending.length, ids.length, describe(finished));
    if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  bar.stop();
  out.line(`Sync finished: ${describe(finished) || 'nothing to do'}.`);
  if (finished.failed) out.line('Failed events say why in the dashboard (Activity) and can be retried there once the cause is fixed.');
  return finished;
}

function describe(counts: Record<string, number>): string {
  return Object.entries(counts)
    .map(([status, count]) => `${count} ${status}`)
    .join(', ');
}
