// The Zoho calls of an import's bulk phase (bulk-phase.ts): addlistsubscribersinbulk, ten
// addresses a call with a few calls in flight; getlistsubscribers, a page at a time; and
// listsubscribe for an address the bulk add ignored. Every call goes through the gateway, so the
// bridge's shared quota paces it (docs/zoho-api.md, "Rate limits").
import type { BulkAdditionRow } from '../db/bulk-additions.ts';
import type { SyncAttemptRepository } from '../db/sync-attempts.ts';
import type { CampaignsGateway } from '../zoho/campaigns-gateway.ts';
import { WaitForZohoError } from '../zoho/errors.ts';
import type { ZohoCallResult } from '../zoho/outcome.ts';
import { subscriberEmailsOf } from '../zoho/read-responses.ts';
import { BULK_BATCH } from './bulk-eligibility.ts';

/** getlistsubscribers' largest page (docs/zoho-api.md, "Endpoints the bridge uses"); past the end: code 2502. */
export const LIST_PAGE_SIZE = 650;
const NO_MORE_CONTACTS = '2502';
/** Transient answers (network, 5xx) to one call are tried this many times in all. */
const TRIES = 3;

export const IGNORED_IN_BULK_REASON = 'Zoho ignored this address in the bulk add (it was not on the list when read back), so it was sent on its own.';

/** Zoho refused or locked out a call of the bulk phase: the phase ends, the import goes on. */
export class BulkPhaseStopped extends Error {}

/**
 * About how long `calls` bulk calls take: at most 2,000 in any minute, and about 30 a second with
 * eight in flight at Zoho's usual few hundred milliseconds an answer.
 */
export function bulkDurationMs(calls: number, perMinute = 2_000): number {
  if (calls <= 0) return 0;
  return Math.max((calls / 30) * 1_000, Math.floor((calls - 1) / perMinute) * 60_000);
}

/**
 * Waits out the bridge's own quota (the call was not sent) and retries a transient answer a couple
 * of times; a lock-out or a missing connection ends the phase.
 */
export class PatientCaller {
  constructor(private readonly sleep: (ms: number) => Promise<void>) {}

  async call(send: () => Promise<ZohoCallResult>): Promise<ZohoCallResult> {
    for (let tries = 1; ; tries++) {
      let result: ZohoCallResult;
      try {
        result = await send();
      } catch (error) {
        if (!(error instanceof WaitForZohoError)) throw error;
        if (error.kind !== 'quota') throw new BulkPhaseStopped(error.message);
        await this.sleep(error.waitMs);
        tries -= 1;
        continue;
      }
      if (result.outcome !== 'retry' || tries >= TRIES) return result;
      await this.sleep(1_000 * tries);
    }
  }
}

/**
 * Sends addresses ten to a call, keeping up to `concurrency` calls in flight while the import
 * reads on: `add` returns once its calls are under way, `drain` once all are answered. The first
 * refusal stops it; what was not sent then follows through listsubscribe with everyone else.
 */
export class BulkSender {
  readonly #inFlight = new Set<Promise<void>>();
  #failure: unknown;
  stopped: string | undefined;
  calls = 0;

  constructor(
    private readonly caller: PatientCaller,
    private readonly gateway: CampaignsGateway,
    private readonly concurrency: number,
    /** Called with each batch Zoho accepted. */
    private readonly accepted: (listKey: string, batch: BulkAdditionRow[]) => Promise<void>,
  ) {}

  async add(listKey: string, people: readonly BulkAdditionRow[]): Promise<void> {
    for (let start = 0; start < people.length; start += BULK_BATCH) {
      while (this.#inFlight.size >= this.concurrency) await Promise.race(this.#inFlight);
      this.#throwIfFailed();
      if (this.stopped) return;
      const call = this.#send(listKey, people.slice(start, start + BULK_BATCH)).finally(() => this.#inFlight.delete(call));
      this.#inFlight.add(call);
    }
  }

  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.race(this.#inFlight);
    this.#throwIfFailed();
  }

  async #send(listKey: string, batch: BulkAdditionRow[]): Promise<void> {
    try {
      if (this.stopped) return;
      const result = await this.caller.call(() =>
        this.gateway.bulkSubscribe(
          listKey,
          batch.map((person) => person.email),
        ),
      );
      this.calls += 1;
      if (result.outcome !== 'done')
        throw new BulkPhaseStopped(`Zoho refused a bulk add to list ${listKey} (code ${result.code ?? 'none'}: ${result.message}).`);
      await this.accepted(listKey, batch);
    } catch (error) {
      if (error instanceof BulkPhaseStopped) this.stopped ??= error.message;
      else this.#failure ??= error;
    }
  }

  #throwIfFailed(): void {
    if (this.#failure !== undefined) throw this.#failure;
  }
}

/** Hands over every address (lower-cased) of a list in one status, a page at a time. */
export async function readListAddresses(
  caller: PatientCaller,
  gateway: CampaignsGateway,
  listKey: string,
  status: 'active' | 'unsub',
  onPage: (emails: string[]) => Promise<void> | void,
  signal?: AbortSignal,
): Promise<void> {
  for (let fromIndex = 1; ; fromIndex += LIST_PAGE_SIZE) {
    if (signal?.aborted) throw new Error('Stopped on request.');
    const result = await caller.call(() => gateway.listSubscribers(listKey, { status, fromIndex, range: LIST_PAGE_SIZE }));
    if (result.code === NO_MORE_CONTACTS) return;
    if (result.outcome !== 'done') throw new BulkPhaseStopped(`Could not read list ${listKey} from Zoho (code ${result.code ?? 'none'}: ${result.message}).`);
    const emails = subscriberEmailsOf(result.body);
    await onPage(emails.map((email) => email.trim().toLowerCase()));
    if (emails.length < LIST_PAGE_SIZE) return;
  }
}

/** listsubscribe for one address the bulk add ignored, recorded in the sync log with the reason. */
export async function subscribeOnItsOwn(
  deps: { gateway: CampaignsGateway; attempts: SyncAttemptRepository },
  caller: PatientCaller,
  storeId: string,
  listKey: string,
  contactInfo: Record<string, string>,
): Promise<boolean> {
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
  return result.outcome === 'done';
}
