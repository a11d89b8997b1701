// The bulk phase of an import: puts everyone who may be put there on their lists with Zoho's
// addlistsubscribersinbulk (ten addresses a call, 2,000 calls a minute, its own allowance), so a
// big store can start mailing in minutes; names and fields follow through listsubscribe, when the
// backfill's events are synced (run-backfill.ts). In order:
//   1. read the store and decide each person's lists (store-contacts.ts) and who may be bulk-added
//      (bulk-eligibility.ts);
//   2. read each list's unsubscribed addresses from Zoho, and leave them out: the bulk add may
//      re-add them (recorded on the contacts too, as the scheduled check would);
//   3. send the rest, ten at a time, a few calls in flight, within the shared quota;
//   4. read each list's active addresses back: whoever Zoho ignored is sent through listsubscribe
//      now, with the reason in the sync log.
// A lock-out or a refusal stops the phase early; nothing is lost, since the backfill that follows
// sends everyone through listsubscribe anyway.
import type { ContactRepository } from '../db/contacts.ts';
import type { Store } from '../db/rows.ts';
import type { SyncAttemptRepository } from '../db/sync-attempts.ts';
import { buildContactInfo } from '../sync/field-mapping.ts';
import type { SettingsDefaults } from '../sync/store-settings.ts';
import type { WooCommerceRestClient } from '../woocommerce/rest-client.ts';
import type { CampaignsGateway } from '../zoho/campaigns-gateway.ts';
import { WaitForZohoError } from '../zoho/errors.ts';
import type { ZohoCallResult } from '../zoho/outcome.ts';
import { subscriberEmailsOf } from '../zoho/read-responses.ts';
import { BULK_BATCH, bulkListsOf } from './bulk-eligibility.ts';
import { readStoreContacts, type PlannedContact, type ReadOptions } from './store-contacts.ts';

export interface BulkJoinDependencies {
  gateway: CampaignsGateway;
  contacts: ContactRepository;
  attempts: SyncAttemptRepository;
  defaults: SettingsDefaults;
  sleep?: (ms: number) => Promise<void>;
}

export interface BulkJoinOptions extends ReadOptions {
  /** Bulk calls in flight at once: Zoho answers in a few hundred ms, and 2,000 a minute is 33 a second. @defaultValue 8 */
  concurrency?: number;
  onProgress?: (progress: { phase: 'reading-zoho' | 'adding' | 'checking' | 'fallback'; done: number; total: number }) => void;
}

export interface BulkListReport {
  listKey: string;
  /** Addresses sent in bulk calls. */
  sent: number;
  /** Left out because Zoho has them as unsubscribed from this list. */
  unsubscribedInZoho: number;
  /** Sent, but not on the list when read back; each was then sent through listsubscribe. */
  ignored: number;
}

export interface BulkJoinReport {
  lists: BulkListReport[];
  bulkCalls: number;
  excludedDoubleOptIn: number;
  excludedConsent: number;
  /** listsubscribe calls for ignored addresses that Zoho accepted. */
  fallbackDone: number;
  fallbackFailed: number;
  /** Why the phase stopped before the end, if it did. */
  stoppedBecause: string | undefined;
  startedAt: Date;
  /** When the last bulk call was answered: from then on everyone sent is on their lists. */
  addedAt: Date | undefined;
}

/** getlistsubscribers' largest page (docs/zoho-api.md, "Endpoints the bridge uses"); past the end: code 2502. */
const PAGE_SIZE = 650;
const NO_MORE_CONTACTS = '2502';
/** Transient answers (network, 5xx) to one call are tried this many times in all. */
const TRIES = 3;

export const IGNORED_IN_BULK_REASON = 'Zoho ignored this address in the bulk add (it was not on the list when read back), so it was sent on its own.';

/**
 * About how long `calls` bulk calls take: at most 2,000 in any minute, and about 30 a second with
 * eight in flight at Zoho's usual few hundred milliseconds an answer.
 */
export function bulkDurationMs(calls: number, perMinute = 2_000): number {
  if (calls <= 0) return 0;
  return Math.max((calls / 30) * 1_000, Math.floor((calls - 1) / perMinute) * 60_000);
}

export async function runBulkJoin(
  deps: BulkJoinDependencies,
  store: Store,
  client: WooCommerceRestClient,
  options: BulkJoinOptions = {},
): Promise<BulkJoinReport> {
  const report: BulkJoinReport = {
    lists: [],
    bulkCalls: 0,
    excludedDoubleOptIn: 0,
    excludedConsent: 0,
    fallbackDone: 0,
    fallbackFailed: 0,
    stoppedBecause: undefined,
    startedAt: new Date(),
    addedAt: undefined,
  };
  const read = await readStoreContacts(deps, store, client, options);
  const targets = new Map<string, Map<string, PlannedContact>>();
  for (const contact of read.contacts) {
    const eligible = bulkListsOf(contact, read.settings);
    report.excludedDoubleOptIn += eligible.excluded.filter((entry) => entry.why === 'double-opt-in').length;
    report.excludedConsent += eligible.excluded.filter((entry) => entry.why === 'consent').length;
    for (const listKey of eligible.lists) {
      const onList = targets.get(listKey) ?? new Map<string, PlannedContact>();
      onList.set(contact.email.toLowerCase(), contact);
      targets.set(listKey, onList);
    }
  }
  const caller = new PatientCaller(deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))));
  try {
    for (const [listKey, onList] of targets) {
      options.onProgress?.({ phase: 'reading-zoho', done: report.lists.length, total: targets.size });
      const unsubscribed = await readAddresses(caller, deps.gateway, listKey, 'unsub');
      await deps.contacts.recordZohoUnsubscribed(listKey, [...unsubscribed]);
      for (const email of unsubscribed) onList.delete(email);
      report.lists.push({ listKey, sent: 0, unsubscribedInZoho: unsubscribed.size, ignored: 0 });
    }
    for (const list of report.lists) await sendList(deps, caller, list, [...targets.get(list.listKey)!.keys()], report, options);
    report.addedAt = new Date();
    for (const list of report.lists) {
      options.onProgress?.({ phase: 'checking', done: report.lists.indexOf(list), total: report.lists.length });
      const active = await readAddresses(caller, deps.gateway, list.listKey, 'active');
      const ignored = [...targets.get(list.listKey)!.values()].filter((contact) => !active.has(contact.email.toLowerCase()));
      list.ignored = ignored.length;
      for (const [index, contact] of ignored.entries()) {
        options.onProgress?.({ phase: 'fallback', done: index, total: ignored.length });
        await subscribeOnItsOwn(deps, caller, store.id, list.listKey, buildContactInfo(contact.email, contact.snapshot, read.settings.fieldMapping), report);
      }
    }
  } catch (error) {
    if (!(error instanceof BulkPhaseStopped || error instanceof WaitForZohoError)) throw error;
    report.stoppedBecause = error.message;
  }
  return report;
}

async function sendList(
  deps: BulkJoinDependencies,
  caller: PatientCaller,
  list: BulkListReport,
  emails: string[],
  report: BulkJoinReport,
  options: BulkJoinOptions,
): Promise<void> {
  const batches: string[][] = [];
  for (let start = 0; start < emails.length; start += BULK_BATCH) batches.push(emails.slice(start, start + BULK_BATCH));
  let next = 0;
  const sender = async () => {
    for (let index = next++; index < batches.length; index = next++) {
      const batch = batches[index]!;
      const result = await caller.call(() => deps.gateway.bulkSubscribe(list.listKey, batch));
      report.bulkCalls += 1;
      if (result.outcome !== 'done') {
        next = batches.length;
        throw new BulkPhaseStopped(`Zoho refused a bulk add to list ${list.listKey} (code ${result.code ?? 'none'}: ${result.message}).`);
      }
      list.sent += batch.length;
      options.onProgress?.({ phase: 'adding', done: list.sent, total: emails.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency ?? 8, batches.length) }, sender));
}

async function subscribeOnItsOwn(
  deps: BulkJoinDependencies,
  caller: PatientCaller,
  storeId: string,
  listKey: string,
  contactInfo: Record<string, string>,
  report: BulkJoinReport,
): Promise<void> {
  const email = contactInfo['Contact Email'] ?? '';
  const record = (result: ZohoCallResult) =>
    deps.attempts.record({
      storeId,
      eventId: null,
      contactId: null,
      email,
      action: 'subscribe',
      listKey,
      contactInfo,
      attempt: 1,
      httpStatus: result.httpStatus,
      zohoCode: result.code,
      zohoMessage: `${IGNORED_IN_BULK_REASON} Zoho: ${result.message}`,
      outcome: result.outcome,
      durationMs: result.durationMs,
    });
  const result = await caller.call(() => deps.gateway.subscribe(listKey, contactInfo, record));
  if (result.outcome === 'done') report.fallbackDone += 1;
  else report.fallbackFailed += 1;
}

/** Every address of a list in one status, lower-cased, page by page. */
async function readAddresses(caller: PatientCaller, gateway: CampaignsGateway, listKey: string, status: 'active' | 'unsub'): Promise<Set<string>> {
  const found = new Set<string>();
  for (let fromIndex = 1; ; fromIndex += PAGE_SIZE) {
    const result = await caller.call(() => gateway.listSubscribers(listKey, { status, fromIndex, range: PAGE_SIZE }));
    if (result.code === NO_MORE_CONTACTS) return found;
    if (result.outcome !== 'done') throw new BulkPhaseStopped(`Could not read list ${listKey} from Zoho (code ${result.code ?? 'none'}: ${result.message}).`);
    const emails = subscriberEmailsOf(result.body);
    for (const email of emails) found.add(email.trim().toLowerCase());
    if (emails.length < PAGE_SIZE) return found;
  }
}

class BulkPhaseStopped extends Error {}

/**
 * Waits out the bridge's own quota (the call was not sent) and retries a transient answer a couple
 * of times; a lock-out or a missing connection ends the phase (WaitForZohoError goes up).
 */
class PatientCaller {
  constructor(private readonly sleep: (ms: number) => Promise<void>) {}

  async call(send: () => Promise<ZohoCallResult>): Promise<ZohoCallResult> {
    for (let tries = 1; ; tries++) {
      let result: ZohoCallResult;
      try {
        result = await send();
      } catch (error) {
        if (!(error instanceof WaitForZohoError) || error.kind !== 'quota') throw error;
        await this.sleep(error.waitMs);
        tries -= 1;
        continue;
      }
      if (result.outcome !== 'retry' || tries >= TRIES) return result;
      await this.sleep(1_000 * tries);
    }
  }
}
