// Plain-text views for the demo: what became of each replayed delivery, and what the bridge's
// database says about contacts and events (until the dashboard shows the same at /admin). Events
// are named by the step that sent them: a ping or a duplicate stores no event, so event ids and
// step numbers part ways, and one numbering is all a reader should need.
import type { Services } from '../../src/services.ts';
import type { ReplayResult } from './replay.ts';

export function describeResults(results: ReplayResult[]): string[] {
  return results.map((result, index) => {
    const answer = result.step.kind === 'ping' ? `HTTP ${result.httpStatus}` : `HTTP ${result.httpStatus}${result.answer.duplicate ? ', duplicate' : ''}`;
    // The bridge's reasons name events by id ("Applied together with event #3"): say the step.
    const reason = result.reason?.replace(/event #(\d+)/g, (_, id: string) => stepOf(results, BigInt(id)));
    const outcome = result.finalStatus ? ` → ${result.finalStatus}${reason ? `: ${reason}` : ''}` : '';
    return `${String(index + 1).padStart(2)}. ${result.step.label}\n      ${answer}${outcome}`;
  });
}

/** "step 14", or the event's id when no step of this replay sent it. */
function stepOf(results: ReplayResult[], eventId: bigint): string {
  const index = results.findIndex((result) => result.eventId === eventId.toString());
  return index >= 0 ? `step ${index + 1}` : `event #${eventId}`;
}

export async function databaseSummary(services: Services, results: ReplayResult[]): Promise<string[]> {
  const lines: string[] = [];
  const contacts = await services.db.contact.findMany({ orderBy: { id: 'asc' } });
  lines.push(`Contacts the bridge manages (${contacts.length}):`);
  for (const contact of contacts) {
    const snapshot = contact.snapshot as Record<string, unknown>;
    const name = `${String(snapshot.first_name ?? '')} ${String(snapshot.last_name ?? '')}`.trim();
    const lists = contact.syncedLists.length > 0 ? contact.syncedLists.join(', ') : 'no list';
    lines.push(`  ${contact.email.padEnd(30)} ${name.padEnd(20)} ${contact.deletedAt ? 'deleted in WooCommerce; ' : ''}on ${lists}`);
  }
  const byStatus = await services.repositories.events.countByStatus();
  lines.push(`Events: ${byStatus.map((row) => `${row.status} ${row._count._all}`).join(', ')}`);
  const failed = await services.db.webhookEvent.findMany({ where: { status: 'failed' }, orderBy: { id: 'asc' } });
  for (const event of failed) lines.push(`  failed: ${stepOf(results, event.id)} (${event.topic}): ${event.statusReason ?? ''}`);
  const calls = await services.db.syncAttempt.count();
  lines.push(`Zoho calls in the sync log: ${calls}`);
  return lines;
}
