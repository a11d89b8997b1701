// The erasure use case ("forget this person"), shared by the CLI (`forget <email>`), the customer
// page and DELETE /api/v1/contacts/{email}. It removes everything the bridge stores about one
// email address: the contacts with it (in every store), the deliveries about them, their
// subscriptions and refusals that mention the address; the sync log keeps its entries so that
// counts stay true, with the address replaced by a hash and what was sent to Zoho dropped.
// Optionally it first unsubscribes the person from the lists the bridge put them on, through the
// usual Zoho gateway and quota. Nothing is kept that says they were forgotten: a later delivery
// about them is a new customer (docs/security.md, "Erasure").
import { createHash } from 'node:crypto';
import type { BulkAdditionRepository } from '../db/bulk-additions.ts';
import type { ContactRepository } from '../db/contacts.ts';
import type { EventRepository } from '../db/events.ts';
import type { RejectionRepository } from '../db/rejections.ts';
import type { SubscriptionRepository } from '../db/subscriptions.ts';
import type { SyncAttemptRepository } from '../db/sync-attempts.ts';
import { guestKey } from '../sync/contact-key.ts';
import type { CampaignsGateway } from '../zoho/campaigns-gateway.ts';

export interface ForgetOptions {
  /** Unsubscribe the address from the lists the bridge subscribed it to before removing anything. */
  unsubscribeFromZoho: boolean;
}

export interface ForgetReport {
  contacts: number;
  deliveries: number;
  subscriptions: number;
  /** Sync log entries kept with the address replaced by a hash. */
  syncLogEntriesAnonymised: number;
  refusals: number;
  /** Zoho lists the address was unsubscribed from. */
  unsubscribedFrom: string[];
}

/** Zoho could not unsubscribe the person: nothing was removed, so the attempt can be repeated. */
export class ForgetUnsubscribeError extends Error {
  constructor(listKey: string, reason: string) {
    super(`Zoho did not unsubscribe the address from list ${listKey} (${reason}). Nothing was removed; try again later, or forget without unsubscribing.`);
    this.name = 'ForgetUnsubscribeError';
  }
}

export interface ForgetDependencies {
  contacts: Pick<ContactRepository, 'findByEmail' | 'deleteByIds'>;
  events: Pick<EventRepository, 'deleteAboutContacts'>;
  subscriptions: Pick<SubscriptionRepository, 'deleteForContacts'>;
  attempts: Pick<SyncAttemptRepository, 'anonymise'>;
  rejections: Pick<RejectionRepository, 'deleteMentioning'>;
  bulkAdditions: Pick<BulkAdditionRepository, 'deleteEmail'>;
  gateway: Pick<CampaignsGateway, 'unsubscribe'>;
}

/** What the sync log keeps instead of the address: the same person counts once, and cannot be read back. */
export function forgottenAddress(email: string): string {
  return `forgotten:${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 16)}`;
}

export async function forgetPerson(deps: ForgetDependencies, email: string, options: ForgetOptions): Promise<ForgetReport> {
  const address = email.trim();
  const contacts = await deps.contacts.findByEmail(address, guestKey(address));
  const unsubscribedFrom = options.unsubscribeFromZoho ? await unsubscribeEverywhere(deps, contacts) : [];
  // Log entries first: should a later step fail, running forget again finds the contacts still there.
  const syncLogEntriesAnonymised = await deps.attempts.anonymise(
    address,
    contacts.map((contact) => contact.id),
    forgottenAddress(address),
  );
  const deliveries = await deps.events.deleteAboutContacts(contacts);
  const subscriptions = await deps.subscriptions.deleteForContacts(contacts);
  const removedContacts = await deps.contacts.deleteByIds(contacts.map((contact) => contact.id));
  const refusals = await deps.rejections.deleteMentioning(address);
  // An import's bulk add keeps the addresses it sent until it has read their list back.
  await deps.bulkAdditions.deleteEmail(address);
  return { contacts: removedContacts, deliveries, subscriptions, syncLogEntriesAnonymised, refusals, unsubscribedFrom };
}

async function unsubscribeEverywhere(
  deps: Pick<ForgetDependencies, 'gateway'>,
  contacts: Array<{ syncedEmail: string | null; syncedLists: string[] }>,
): Promise<string[]> {
  const done: string[] = [];
  for (const contact of contacts) {
    if (!contact.syncedEmail) continue;
    for (const listKey of contact.syncedLists) {
      // Not written to the sync log: its entries about this person are about to lose the address.
      const result = await deps.gateway
        .unsubscribe(listKey, contact.syncedEmail, async () => undefined)
        .catch((error: unknown) => {
          throw new ForgetUnsubscribeError(listKey, error instanceof Error ? error.message : String(error));
        });
      if (result.outcome !== 'done') throw new ForgetUnsubscribeError(listKey, result.message);
      done.push(listKey);
    }
  }
  return [...new Set(done)];
}

/** The report in words, for the CLI, the page and the API's message. */
export function describeForgetting(report: ForgetReport, listName: (listKey: string) => string = (listKey) => listKey): string {
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const removed =
    `Removed ${count(report.contacts, 'contact', 'contacts')}, ${count(report.deliveries, 'delivery', 'deliveries')}, ` +
    `${count(report.subscriptions, 'subscription', 'subscriptions')} and ${count(report.refusals, 'refused delivery', 'refused deliveries')}; ` +
    `${count(report.syncLogEntriesAnonymised, 'sync log entry keeps its', 'sync log entries keep their')} place with the address replaced by a code.`;
  const zoho = report.unsubscribedFrom.length > 0 ? ` Unsubscribed in Zoho from: ${report.unsubscribedFrom.map(listName).join(', ')}.` : '';
  return removed + zoho;
}
