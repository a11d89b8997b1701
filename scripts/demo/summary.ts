// Plain-text views for the demo: what became of each replayed delivery, and what the bridge's
// database says about contacts and events (until the dashboard shows the same at /admin).
import type { Services } from '../../src/services.ts';
import type { ReplayResult } from './replay.ts';

export function describeResults(results: ReplayResult[]): string[] {
  return results.map((result, index) => {
    const answer = result.step.kind === 'ping' ? `HTTP ${result.httpStatus}` : `HTTP ${result.httpStatus}${result.answer.duplicate ? ', duplicate' : ''}`;
    const outcome = result.finalStatus ? ` → ${result.finalStatus}${result.reason ? `: ${result.reason}` : ''}` : '';
    return `${String(index + 1).padStart(2)}. ${result.step.label}\n      ${answer}${outcome}`;
  });
}

export async function databaseSummary(services: Services): Promise<string[]> {
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
  for (const event of failed) lines.push(`  failed #${event.id} (${event.topic}): ${event.statusReason ?? ''}`);
  const calls = await services.db.syncAttempt.count();
  lines.push(`Zoho calls in the sync log: ${calls}`);
  return lines;
}
