// The worker's use case: bring one contact's Zoho state in line with everything WooCommerce has
// told us about them. All waiting events for the contact are folded in first, so a burst of
// updates becomes one Zoho call carrying the newest state (the others are marked coalesced).
import type { ContactLocks } from '../db/contact-locks.ts';
import type { ContactRepository } from '../db/contacts.ts';
import { PENDING_STATUSES, type EventRepository, type EventWithoutBody } from '../db/events.ts';
import type { Contact, EventStatus } from '../db/rows.ts';
import type { StoreRepository } from '../db/stores.ts';
import type { SubscriptionRepository } from '../db/subscriptions.ts';
import type { SyncAttemptRepository } from '../db/sync-attempts.ts';
import type { CampaignsGateway } from '../zoho/campaigns-gateway.ts';
import { PermanentSyncError, RetryLaterError, WaitForZohoError } from '../zoho/errors.ts';
import type { ZohoCallResult } from '../zoho/outcome.ts';
import { payloadProblem } from '../woocommerce/payloads.ts';
import type { EventAbsorber } from './absorb-events.ts';
import { contactKeyOfPayload } from './contact-key.ts';
import { contactLists, listsStillManaged } from './contact-lists.ts';
import { buildContactInfo, fieldsHash, type Snapshot } from './field-mapping.ts';
import { planOperations, type SyncOperation } from './plan.ts';
import { SYNC_REQUESTED_TOPIC } from './requested-syncs.ts';
import { effectiveSettings, managedLists, type SettingsDefaults, type StoreSettings } from './store-settings.ts';

export interface SyncContext {
  /** 1-based attempt number of the job, for the sync log. */
  attempt: number;
  /**
   * The owner pressed Retry on this event. It then ends with the contact's newest state in Zoho,
   * even when a newer snapshot has replaced its own (the usual fix: correct the customer in
   * WooCommerce, then retry the failed event).
   */
  retried?: boolean;
}

export interface SyncEventResult {
  status: 'synced' | 'skipped' | 'failed' | 'already-done';
  /** For the owner (the event's status reason): it may name the person. */
  message: string;
  /** `message` without email addresses, for the info-level log line. @defaultValue message */
  logMessage?: string;
  /** The contact synced, by id: what a log line may name. */
  contactId?: string;
  /** Other events of the contact settled on the way (coalesced or skipped): their jobs have nothing left to do. */
  settledAlongside?: bigint[];
}

export interface SyncDependencies {
  contactLocks: ContactLocks;
  events: EventRepository;
  stores: StoreRepository;
  contacts: ContactRepository;
  subscriptions: SubscriptionRepository;
  attempts: SyncAttemptRepository;
  absorber: EventAbsorber;
  gateway: CampaignsGateway;
  defaults: SettingsDefaults;
}

export class SyncService {
  constructor(private readonly deps: SyncDependencies) {}

  async syncEvent(eventId: bigint, context: SyncContext): Promise<SyncEventResult> {
    const { events } = this.deps;
    const event = await events.findWithoutBody(eventId);
    if (!event) throw new PermanentSyncError(`Event ${eventId} does not exist.`);
    if (!isPending(event)) return { status: 'already-done', message: `Event already ${event.status}.` };
    await events.countAttempt(eventId);

    const contactKey = event.contactKey ?? (await this.#contactKeyOfBody(event));
    if (!contactKey) {
      await events.setStatus(eventId, 'skipped', 'The bridge does not know whom this deletion is about.');
      return { status: 'skipped', message: 'unknown contact' };
    }
    return this.deps.contactLocks.hold(event.storeId, contactKey, () => this.#syncContact(event, contactKey, context));
  }

  async #syncContact(event: EventWithoutBody, contactKey: string, context: SyncContext): Promise<SyncEventResult> {
    const { events, stores, contacts } = this.deps;
    // Re-read under the lock: another worker may have applied this event meanwhile.
    const current = await events.findStatus(event.id);
    if (!current || !isPending(current)) return { status: 'already-done', message: `Event already ${current?.status}.` };

    const store = await stores.findById(event.storeId);
    const settings = effectiveSettings(store?.settings, this.deps.defaults);
    const {
      applied: absorbedIds,
      skipped,
      outdated,
      resend,
    } = await this.#absorbPending(event.storeId, contactKey, settings, context.retried ? event.id : undefined);
    const own = await events.findStatus(event.id);
    const contact = await contacts.find(event.storeId, contactKey);
    // This event was stale, filtered or about no one, and nothing else changed: no Zoho call.
    // A retried event is still pending here and goes on with the contact's newest state.
    if (own?.status === 'failed' && absorbedIds.length === 0) return { status: 'failed', message: own.statusReason ?? 'The payload is not usable.' };
    if (!contact || (absorbedIds.length === 0 && own && !isPending(own))) {
      if (outdated !== undefined) await events.setStatus(event.id, 'skipped', outdated, { onlyIfPending: true });
      return { status: 'skipped', message: outdated ?? own?.statusReason ?? 'Nothing to sync.', settledAlongside: skipped.filter((id) => id !== event.id) };
    }
    if (managedLists(settings).length === 0) {
      throw new WaitForZohoError('No Zoho list is chosen for this store yet: choose one in Settings (or set ZOHO_LIST_KEY).', 60_000, 'not_connected');
    }

    const operations = await this.#plan(contact, contactKey, settings, resend);
    for (const operation of operations) await this.#execute(operation, contact, event, context);
    const retiring = await this.#retireReplacedGuests(event, contactKey, settings, context);

    const done = describe([...operations, ...retiring], true);
    const summary = outdated === undefined ? done : `${done.replace(/\.$/, '')}; retried with the newer details WooCommerce sent since.`;
    await events.setStatus(event.id, 'synced', summary, { onlyIfPending: true });
    const others = absorbedIds.filter((id) => id !== event.id);
    await events.setStatus(others, 'coalesced', `Applied together with event #${event.id}.`, { onlyIfPending: true });
    const logMessage = `${describe([...operations, ...retiring], false)} (event ${event.id})`;
    return {
      status: 'synced',
      message: summary,
      logMessage,
      contactId: contact.id.toString(),
      settledAlongside: [...others, ...skipped.filter((id) => id !== event.id)],
    };
  }

  /**
   * Applies every waiting event of the contact to stored state; returns the ids applied and skipped. The
   * `retried` event is left pending when it is not applied, and why is returned as `outdated`.
   * `resend`: one of them is the owner's "Sync this customer now".
   */
  async #absorbPending(
    storeId: string,
    contactKey: string,
    settings: StoreSettings,
    retried: bigint | undefined,
  ): Promise<{ applied: bigint[]; skipped: bigint[]; outdated: string | undefined; resend: boolean }> {
    const applied: bigint[] = [];
    const skipped: bigint[] = [];
    let outdated: string | undefined;
    let resend = false;
    for (const pending of await this.deps.events.findPendingForContact(storeId, contactKey)) {
      const result = await this.deps.absorber.absorb(pending, contactKey, settings);
      if (result.applied) {
        applied.push(pending.id);
        resend ||= pending.topic === SYNC_REQUESTED_TOPIC;
      } else if (result.failed) await this.deps.events.setStatus(pending.id, 'failed', result.reason);
      else if (pending.id === retried) outdated = result.reason;
      else {
        await this.deps.events.setStatus(pending.id, 'skipped', result.reason);
        skipped.push(pending.id);
      }
    }
    return { applied, skipped, outdated, resend };
  }

  async #plan(contact: Contact, contactKey: string, settings: StoreSettings, resend: boolean): Promise<SyncOperation[]> {
    const subscriptions = await this.deps.subscriptions.forContact(contact.storeId, contactKey);
    const { now, wanted } = contactLists(contact, subscriptions, settings);
    const contactInfo = buildContactInfo(contact.email, contact.snapshot as Snapshot, settings.fieldMapping);
    const doubleOptIn = settings.consent.doubleOptInList;
    return planOperations(
      { email: contact.syncedEmail, lists: now, fieldsHash: contact.syncedFieldsHash },
      { email: contact.email, lists: wanted, contactInfo, fieldsHash: fieldsHash(contactInfo), quietLists: doubleOptIn ? [doubleOptIn] : [], resend },
    );
  }

  /**
   * Guests whose subscriptions moved to this contact (their billing email changed): the old
   * address leaves every managed list. Done here because no event will ever name the old key.
   */
  async #retireReplacedGuests(event: EventWithoutBody, contactKey: string, settings: StoreSettings, context: SyncContext): Promise<SyncOperation[]> {
    const done: SyncOperation[] = [];
    for (const retired of await this.deps.contacts.retiredInto(event.storeId, contactKey)) {
      const email = retired.syncedEmail;
      if (!email) continue;
      for (const listKey of listsStillManaged(retired, settings)) {
        const operation: SyncOperation = { action: 'unsubscribe', listKey, email };
        await this.#execute(operation, retired, event, context);
        done.push(operation);
      }
    }
    return done;
  }

  async #execute(operation: SyncOperation, contact: Contact, event: EventWithoutBody, context: SyncContext): Promise<void> {
    const { gateway, contacts, attempts } = this.deps;
    const contactInfo = operation.action === 'subscribe' ? operation.contactInfo : { 'Contact Email': operation.email };
    const record = async (result: ZohoCallResult) =>
      attempts.record({
        storeId: contact.storeId,
        eventId: event.id,
        contactId: contact.id,
        email: operation.email,
        action: operation.action,
        listKey: operation.listKey,
        contactInfo,
        attempt: context.attempt,
        httpStatus: result.httpStatus,
        zohoCode: result.code,
        zohoMessage: result.message,
        outcome: result.outcome,
        durationMs: result.durationMs,
      });
    const result =
      operation.action === 'subscribe'
        ? await gateway.subscribe(operation.listKey, operation.contactInfo, record)
        : await gateway.unsubscribe(operation.listKey, operation.email, record);

    if (result.outcome === 'done') {
      if (operation.action === 'subscribe') {
        await contacts.recordSubscribed(contact.id, operation.email, operation.listKey, fieldsHash(operation.contactInfo));
      } else {
        await contacts.recordUnsubscribed(contact.id, operation.listKey);
      }
      return;
    }
    const what = `${operation.action} ${operation.email} ${operation.action === 'subscribe' ? 'to' : 'from'} list ${operation.listKey}`;
    const zohoSaid = `Zoho${result.code ? ` code ${result.code}` : ''}: ${result.message}`;
    if (result.outcome === 'permanent') throw new PermanentSyncError(`Could not ${what}. ${zohoSaid}`);
    throw new RetryLaterError(`Could not ${what} yet. ${zohoSaid}`);
  }

  /**
   * Whom an event the receiver could not file under a contact is about. Its payload is checked
   * first: of the wrong shape, the event fails with the reason, and a retry after a fix gets here
   * again.
   */
  async #contactKeyOfBody(event: EventWithoutBody): Promise<string | undefined> {
    const body = await this.deps.events.findBody(event.id);
    const json: unknown = body ? JSON.parse(Buffer.from(body).toString('utf8')) : undefined;
    const problem = payloadProblem(event.topic, json);
    if (problem) throw new PermanentSyncError(problem);
    const contactKey = contactKeyOfPayload(event.topic, json);
    if (contactKey) await this.deps.events.setContactKey(event.id, contactKey);
    return contactKey ?? (await this.#contactKeyOfDeletion(event));
  }

  async #contactKeyOfDeletion(event: EventWithoutBody): Promise<string | undefined> {
    if (event.topic !== 'subscription.deleted' || !event.resourceId) return undefined;
    const subscription = await this.deps.subscriptions.find(event.storeId, Number(event.resourceId));
    if (!subscription) return undefined;
    await this.deps.events.setContactKey(event.id, subscription.customerKey);
    return subscription.customerKey;
  }
}

function isPending(event: { status: EventStatus }): boolean {
  return PENDING_STATUSES.includes(event.status);
}

/** What was done, for the owner's sync log (with the addresses) or for the process log (without). */
function describe(operations: SyncOperation[], withEmails: boolean): string {
  if (operations.length === 0) return 'Zoho already matches this state; no call needed.';
  return operations
    .map((operation) => {
      const who = withEmails ? `${operation.email} ` : '';
      return operation.action === 'subscribe' ? `subscribed ${who}to ${operation.listKey}` : `unsubscribed ${who}from ${operation.listKey}`;
    })
    .join('; ');
}
