// "Sync this customer now": the owner asks for a person's newest stored state to be sent to Zoho.
// It is stored as an event of its own (src/sync/requested-syncs.ts) and queued like a live
// delivery, so it takes the usual road: the contact lock, the store's current settings and
// consent, Zoho's quota and the sync log, where it shows as "Sync requested by the owner".
import type { ContactRef, ContactRepository } from '../db/contacts.ts';
import type { EventRepository } from '../db/events.ts';
import { storableEvent } from '../db/new-event.ts';
import type { EventEnqueuer } from '../queue/enqueue-events.ts';
import { syncRequestedEvent } from '../sync/requested-syncs.ts';

/** Contacts one address may belong to across stores (as the Customers page looks them up). */
const MAX_CONTACTS = 500;

export type SyncNowResult =
  /** `queued` false: Redis could not be reached; the sweeper queues the stored request later. */
  { ok: true; eventIds: bigint[]; queued: boolean } | { ok: false; reason: 'not_found' };

export interface SyncContactNowDependencies {
  contacts: Pick<ContactRepository, 'find' | 'refsByEmail'>;
  events: Pick<EventRepository, 'insertUnlessStored'>;
  enqueuer: Pick<EventEnqueuer, 'enqueueEach'>;
  now?: () => Date;
}

export class SyncContactNow {
  constructor(private readonly deps: SyncContactNowDependencies) {}

  /** One stored contact of one store. */
  async contact(ref: ContactRef): Promise<SyncNowResult> {
    const contact = await this.deps.contacts.find(ref.storeId, ref.customerKey);
    if (!contact) return { ok: false, reason: 'not_found' };
    return this.#request([ref]);
  }

  /** Every stored contact with this address (in `storeId` only, when given). */
  async email(email: string, storeId?: string): Promise<SyncNowResult> {
    const refs = (await this.deps.contacts.refsByEmail(email, MAX_CONTACTS)).filter((ref) => storeId === undefined || ref.storeId === storeId);
    if (refs.length === 0) return { ok: false, reason: 'not_found' };
    return this.#request(refs);
  }

  async #request(refs: ContactRef[]): Promise<SyncNowResult> {
    const at = (this.deps.now ?? (() => new Date()))();
    const eventIds: bigint[] = [];
    for (const ref of refs) {
      const stored = await this.deps.events.insertUnlessStored(storableEvent(syncRequestedEvent(ref.storeId, ref.customerKey, at)));
      eventIds.push(stored.id);
    }
    try {
      await this.deps.enqueuer.enqueueEach(eventIds);
      return { ok: true, eventIds, queued: true };
    } catch {
      return { ok: true, eventIds, queued: false };
    }
  }
}
