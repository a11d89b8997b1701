// The bulk phase of an import (dashboard or CLI): while the customers run reads the store, it puts
// everyone who may be put there on their lists with Zoho's addlistsubscribersinbulk (ten addresses
// a call, 2,000 calls a minute, an allowance of its own), so a big store can start mailing in
// minutes. Names and fields follow through listsubscribe, from the events the same run queues.
//   1. before the first page: the subscriptions, into a small index (store-contacts.ts);
//   2. each page of customers: their lists by the store's rules, who may be bulk-added
//      (bulk-eligibility.ts), minus whom Zoho has as unsubscribed from the list (read once per
//      list, before its first bulk call: the bulk add may re-add them); sent with a few calls in
//      flight while the next page is read; each accepted address is recorded (bulk_additions);
//   3. after the last page: guests (subscriptions without an account), then each list read back:
//      an address recorded but not on the list was ignored by Zoho and goes through listsubscribe
//      now, with the reason in the sync log.
// Pages stream through: nothing grows with the number of customers but rows in Postgres. A
// refusal or a lock-out stops the phase (the run says why); the events still bring everyone.
import type { BackfillRunRepository } from '../db/backfill-runs.ts';
import type { BulkAdditionRepository, BulkAdditionRow } from '../db/bulk-additions.ts';
import type { ContactRepository } from '../db/contacts.ts';
import type { EventRepository } from '../db/events.ts';
import type { BackfillRun, Store } from '../db/rows.ts';
import type { SyncAttemptRepository } from '../db/sync-attempts.ts';
import { buildContactInfo } from '../sync/field-mapping.ts';
import { effectiveSettings, type SettingsDefaults, type StoreSettings } from '../sync/store-settings.ts';
import type { WooCommerceRestClient, WooJson } from '../woocommerce/rest-client.ts';
import type { CampaignsGateway } from '../zoho/campaigns-gateway.ts';
import { BulkPhaseStopped, BulkSender, PatientCaller, readListAddresses, subscribeOnItsOwn } from './bulk-calls.ts';
import { bulkListsOf } from './bulk-eligibility.ts';
import { planCustomers, planUncovered, SubscriptionIndex, type PlannedContact } from './store-contacts.ts';

export interface BulkPhaseDependencies {
  gateway: CampaignsGateway;
  contacts: ContactRepository;
  attempts: SyncAttemptRepository;
  additions: BulkAdditionRepository;
  runs: BackfillRunRepository;
  events: Pick<EventRepository, 'findPendingForContact'>;
  defaults: SettingsDefaults;
  sleep?: (ms: number) => Promise<void>;
  /** Bulk calls in flight at once: Zoho answers in a few hundred ms, and 2,000 a minute is 33 a second. @defaultValue 8 */
  concurrency?: number;
}

export type BulkPhaseState = 'adding' | 'checking' | 'done' | 'stopped';

export interface BulkProgress {
  phase: BulkPhaseState;
  /** Addresses Zoho's bulk add accepted in this run so far. */
  added: number;
  /** Left out: Zoho has them as unsubscribed from the list. */
  leftOut: number;
  /** Not on the list when read back, sent through listsubscribe. */
  ignored: number;
  calls: number;
  /** Why it stopped early. */
  note: string | undefined;
}

export interface BulkPhaseOptions {
  perPage?: number | undefined;
  retryDelaysMs?: number[] | undefined;
  signal?: AbortSignal | undefined;
  /** Called between long reads (the subscriptions, a list read back): the run keeps its lock. */
  keepAlive?: (() => Promise<unknown>) | undefined;
  onProgress?: ((progress: BulkProgress) => void) | undefined;
}

/** The ignored addresses sent through listsubscribe a page of rows at a time. */
const FALLBACK_CHUNK = 100;

export class BulkPhase {
  readonly #caller: PatientCaller;
  readonly #sender: BulkSender;
  readonly #unsubscribed = new Map<string, Set<string>>();
  readonly #settings: StoreSettings;
  #runId = 0n;
  #index: SubscriptionIndex | undefined;
  /** Counted since the run was last updated. */
  #unsaved = { added: 0, leftOut: 0 };
  readonly #progress: BulkProgress = { phase: 'adding', added: 0, leftOut: 0, ignored: 0, calls: 0, note: undefined };

  constructor(
    private readonly deps: BulkPhaseDependencies,
    private readonly store: Store,
    private readonly client: WooCommerceRestClient,
    private readonly options: BulkPhaseOptions = {},
  ) {
    this.#caller = new PatientCaller(deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))));
    this.#sender = new BulkSender(this.#caller, deps.gateway, deps.concurrency ?? 8, async (listKey, batch) => {
      await deps.additions.record(this.#runId, listKey, batch);
      this.#unsaved.added += batch.length;
    });
    this.#settings = effectiveSettings(store.settings, deps.defaults);
  }

  /** Before the first page (also when a run resumes): the subscriptions, and the run marked as adding. */
  async start(run: Pick<BackfillRun, 'id' | 'bulkAdded' | 'bulkLeftOut' | 'bulkIgnored'>): Promise<void> {
    this.#runId = run.id;
    this.#progress.added = run.bulkAdded;
    this.#progress.leftOut = run.bulkLeftOut;
    this.#progress.ignored = run.bulkIgnored;
    this.#index = await SubscriptionIndex.read(this.client, this.#settings, {
      perPage: this.options.perPage,
      retryDelaysMs: this.options.retryDelaysMs,
      signal: this.options.signal,
      keepAlive: this.options.keepAlive,
    });
    await this.deps.runs.setBulkPhase(run.id, 'adding', null);
  }

  /** After a page of customers was handed over as events. */
  async page(items: WooJson[]): Promise<void> {
    if (this.#sender.stopped) return;
    const { planned } = await planCustomers(this.deps, this.store.id, this.#settings, this.#index, items);
    await this.#send(planned);
    await this.#save();
  }

  /** After the last page: guests, then each list read back and what Zoho ignored sent on its own. */
  async end(): Promise<void> {
    if (this.#index && !this.#sender.stopped) {
      await planUncovered(this.deps, this.store.id, this.#settings, this.#index, (planned) =>
        this.#send(planned.filter((contact) => contact.from === 'guest')),
      );
    }
    await this.#sender.drain();
    await this.#save();
    try {
      if (this.#sender.stopped) throw new BulkPhaseStopped(this.#sender.stopped);
      await this.deps.runs.setBulkPhase(this.#runId, 'checking', null);
      this.#report('checking');
      for (const listKey of await this.deps.additions.listsOf(this.#runId)) await this.#check(listKey);
      await this.deps.runs.setBulkPhase(this.#runId, 'done', null);
      this.#report('done');
    } catch (error) {
      if (!(error instanceof BulkPhaseStopped)) throw error;
      await this.deps.runs.setBulkPhase(this.#runId, 'stopped', error.message);
      this.#progress.note = error.message;
      this.#report('stopped');
    }
    await this.deps.additions.deleteOfRun(this.#runId);
  }

  /** The run stopped (paused, cancelled, an error): lets the calls in flight finish and counts them. */
  async stopped(): Promise<void> {
    await this.#sender.drain().catch(() => undefined);
    await this.#save();
  }

  async #send(planned: PlannedContact[]): Promise<void> {
    const perList = new Map<string, BulkAdditionRow[]>();
    for (const contact of planned) {
      for (const listKey of bulkListsOf(contact, this.#settings).lists) {
        if (this.#sender.stopped) return;
        const unsubscribed = await this.#unsubscribedFrom(listKey);
        if (unsubscribed.has(contact.email.toLowerCase())) {
          this.#unsaved.leftOut += 1;
          continue;
        }
        const people = perList.get(listKey) ?? [];
        people.push({ email: contact.email, contactKey: contact.key });
        perList.set(listKey, people);
      }
    }
    for (const [listKey, people] of perList) await this.#sender.add(listKey, people);
  }

  /** Zoho's unsubscribed addresses of a list, read before its first bulk call and noted on the contacts. */
  async #unsubscribedFrom(listKey: string): Promise<Set<string>> {
    const known = this.#unsubscribed.get(listKey);
    if (known) return known;
    const found = new Set<string>();
    try {
      await readListAddresses(this.#caller, this.deps.gateway, listKey, 'unsub', async (emails) => {
        for (const email of emails) found.add(email);
        await this.deps.contacts.recordZohoUnsubscribed(listKey, emails);
      });
    } catch (error) {
      if (!(error instanceof BulkPhaseStopped)) throw error;
      this.#sender.stopped ??= error.message;
    }
    this.#unsubscribed.set(listKey, found);
    return found;
  }

  async #check(listKey: string): Promise<void> {
    await readListAddresses(
      this.#caller,
      this.deps.gateway,
      listKey,
      'active',
      async (emails) => {
        await this.deps.additions.markOnList(this.#runId, listKey, emails);
        await this.options.keepAlive?.();
      },
      this.options.signal,
    );
    let ignored = 0;
    for (let after = ''; ; ) {
      const rows = await this.deps.additions.notOnList(this.#runId, listKey, after, FALLBACK_CHUNK);
      if (rows.length === 0) break;
      for (const row of rows) {
        if (this.options.signal?.aborted) throw new Error('Stopped on request.');
        const contactInfo = await this.#contactInfoOf(row);
        if (contactInfo) await subscribeOnItsOwn(this.deps, this.#caller, this.store.id, listKey, contactInfo);
        ignored += 1;
      }
      after = rows.at(-1)!.email;
      // Recorded now, so a pause does not send them twice: the next run's check finds them on the list.
      await this.deps.runs.addBulkProgress(this.#runId, { ignored: rows.length });
    }
    this.#progress.ignored += ignored;
  }

  /**
   * What listsubscribe sends for an ignored address: their details as the import read them (a
   * guest's from the index, a customer's from their event still waiting). No waiting event means
   * their own sync has run or is running, which brings them anyway.
   */
  async #contactInfoOf(row: BulkAdditionRow): Promise<Record<string, string> | undefined> {
    const guest = this.#index?.get(row.contactKey)?.billing;
    let snapshot: Record<string, unknown> | undefined;
    if (guest?.snapshot && guest.email.toLowerCase() === row.email) snapshot = guest.snapshot;
    else {
      const waiting = await this.deps.events.findPendingForContact(this.store.id, row.contactKey);
      const newest = waiting.filter((event) => event.topic.startsWith('customer.')).at(-1);
      const body = newest ? (JSON.parse(Buffer.from(newest.body).toString('utf8')) as Record<string, unknown>) : undefined;
      if (body && typeof body.email === 'string' && body.email.trim().toLowerCase() === row.email) snapshot = body;
    }
    if (!snapshot) return undefined;
    return buildContactInfo(row.email, snapshot, this.#settings.fieldMapping);
  }

  async #save(): Promise<void> {
    const { added, leftOut } = this.#unsaved;
    this.#unsaved = { added: 0, leftOut: 0 };
    this.#progress.added += added;
    this.#progress.leftOut += leftOut;
    this.#progress.calls = this.#sender.calls;
    if (added > 0 || leftOut > 0) await this.deps.runs.addBulkProgress(this.#runId, { added, leftOut });
    this.#report(this.#progress.phase);
  }

  #report(phase: BulkPhaseState): void {
    this.#progress.phase = phase;
    this.options.onProgress?.({ ...this.#progress });
  }
}
