// Learns who unsubscribed in Zoho (an email link, the Zoho UI, a bounce-driven opt-out) so that
// automatic syncs never add them back.
//
// Zoho gives no sign of it where the bridge would see it: listsubscribe for an unsubscribed
// contact answers success and leaves them unsubscribed (unless sent the resubscribe override,
// which the bridge never sends), and there is no per-contact status call. getlistsubscribers
// with status=unsub is the documented way, paged per list. Checking before every re-add would
// spend one of its 500 calls per 5 minutes on each sync; instead this runs on a schedule,
// reads each managed list's unsubscribed contacts in pages of 650, and records them on the
// contacts (Contact.zohoUnsubscribedLists). A run stops after MAX_CALLS_PER_RUN calls and the
// next one continues where it stopped, so a large account costs a bounded share of the limit.
import type { FastifyBaseLogger } from 'fastify';
import type { RedisClient } from '../redis/connection.ts';
import type { ContactRepository } from '../db/contacts.ts';
import type { StoreRepository } from '../db/stores.ts';
import type { CampaignsGateway } from '../zoho/campaigns-gateway.ts';
import { RetryLaterError, WaitForZohoError } from '../zoho/errors.ts';
import { subscriberEmailsOf } from '../zoho/read-responses.ts';
import { effectiveSettings, managedLists, type SettingsDefaults } from './store-settings.ts';

/** [U] keepsuit's largest `range` for getlistsubscribers (docs/zoho-api.md, "Endpoints the bridge uses"). */
export const PAGE_SIZE = 650;
/**
 * 50 calls per run, one run every 10 minutes (maintenance-queue.ts): at most 5% of the 500 calls
 * per 5 minutes getlistsubscribers allows, and 32,500 unsubscribed addresses read per run.
 */
export const MAX_CALLS_PER_RUN = 50;
/** Zoho's answer when paging past the last contact (docs/zoho-api.md, "Endpoints the bridge uses"). */
const NO_MORE_CONTACTS = '2502';

export interface ReconcileSummary {
  listsChecked: number;
  calls: number;
  /** Contacts newly recorded as unsubscribed in Zoho. */
  recorded: number;
  /** Why the run stopped early, if it did. */
  stoppedBecause?: string;
}

export class ZohoUnsubscribeReconciler {
  constructor(
    private readonly deps: {
      stores: StoreRepository;
      contacts: ContactRepository;
      gateway: CampaignsGateway;
      redis: RedisClient;
      redisPrefix: string;
      defaults: SettingsDefaults;
      log: FastifyBaseLogger;
    },
  ) {}

  async run(maxCalls = MAX_CALLS_PER_RUN): Promise<ReconcileSummary> {
    const lists = await this.#inTurn(await this.#managedListsOfEveryStore());
    const summary: ReconcileSummary = { listsChecked: 0, calls: 0, recorded: 0 };
    // Each list gets a fair share, so one huge list never starves the others.
    const callsPerList = Math.max(1, Math.floor(maxCalls / Math.max(1, lists.length)));
    try {
      for (const listKey of lists) {
        if (summary.calls >= maxCalls) break;
        await this.#readList(listKey, Math.min(callsPerList, maxCalls - summary.calls), summary);
        summary.listsChecked += 1;
      }
    } catch (error) {
      // Not connected, over quota, locked out: the cursor is kept and the next run continues.
      if (!(error instanceof WaitForZohoError || error instanceof RetryLaterError)) throw error;
      summary.stoppedBecause = error.message;
    }
    // The next run starts with the first list this one did not get to.
    await this.deps.redis.incrby(this.#key('next-list'), summary.listsChecked);
    if (summary.recorded > 0 || summary.stoppedBecause) {
      this.deps.log.info(summary, 'Checked Zoho for contacts who unsubscribed');
    }
    return summary;
  }

  /** The lists rotated so that a run with a small budget does not always start with the same one. */
  async #inTurn(lists: string[]): Promise<string[]> {
    if (lists.length === 0) return lists;
    const start = Number(await this.deps.redis.get(this.#key('next-list'))) % lists.length || 0;
    return [...lists.slice(start), ...lists.slice(0, start)];
  }

  async #readList(listKey: string, budget: number, summary: ReconcileSummary): Promise<void> {
    let fromIndex = await this.#cursor(listKey);
    for (let call = 0; call < budget; call++) {
      const result = await this.deps.gateway.listSubscribers(listKey, { status: 'unsub', fromIndex, range: PAGE_SIZE });
      summary.calls += 1;
      if (result.code === NO_MORE_CONTACTS) return this.#setCursor(listKey, 1);
      if (result.outcome !== 'done') {
        this.deps.log.warn({ listKey, code: result.code }, `Could not read unsubscribed contacts of a list: ${result.message}`);
        // A passing failure resumes at the same page next run; a refusal (say, a deleted list) starts over.
        return result.outcome === 'retry' ? undefined : this.#setCursor(listKey, 1);
      }
      const emails = subscriberEmailsOf(result.body);
      summary.recorded += await this.deps.contacts.recordZohoUnsubscribed(listKey, emails);
      if (emails.length < PAGE_SIZE) return this.#setCursor(listKey, 1);
      fromIndex += emails.length;
      await this.#setCursor(listKey, fromIndex);
    }
  }

  async #managedListsOfEveryStore(): Promise<string[]> {
    const stores = await this.deps.stores.list();
    return [...new Set(stores.flatMap((store) => managedLists(effectiveSettings(store.settings, this.deps.defaults))))];
  }

  async #cursor(listKey: string): Promise<number> {
    const stored = Number(await this.deps.redis.get(this.#key(`cursor:${listKey}`)));
    return Number.isInteger(stored) && stored >= 1 ? stored : 1;
  }

  async #setCursor(listKey: string, fromIndex: number): Promise<void> {
    await this.deps.redis.set(this.#key(`cursor:${listKey}`), String(fromIndex));
  }

  #key(what: string): string {
    return `${this.deps.redisPrefix}:zoho:unsubscribes:${what}`;
  }
}
