// What the connected Zoho Campaigns account has: its contact fields and its mailing lists, for
// checking store settings when they are saved. Cached in Redis, shared by every process, because
// contact/allfields allows only 100 calls per 5 minutes and locks the endpoint for 30 minutes
// beyond that (docs/zoho-api.md, "Endpoints the bridge uses"). Ten minutes old is fresh enough to check a form against;
// a field created in Zoho a moment ago is picked up by forget().
import type { RedisClient } from '../redis/connection.ts';
import type { CampaignsGateway } from './campaigns-gateway.ts';
import { RetryLaterError, WaitForZohoError } from './errors.ts';
import { mailingListsOf, type MailingList } from './mailing-lists.ts';
import { fieldDisplayNamesOf } from './read-responses.ts';

/** @defaultValue 10 minutes */
export const CATALOG_TTL_MS = 10 * 60_000;

export type CatalogAnswer<T> = { ok: true; value: T } | { ok: false; message: string };

export class ZohoCatalog {
  constructor(
    private readonly gateway: CampaignsGateway,
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly ttlMs: number = CATALOG_TTL_MS,
  ) {}

  /** Display names of every contact field, standard and custom (the keys of contactinfo). */
  fieldNames(): Promise<CatalogAnswer<string[]>> {
    return this.#cached('fields', async () => {
      const result = await this.gateway.allFields();
      const names = result.outcome === 'done' ? fieldDisplayNamesOf(result.body) : undefined;
      if (names) return { ok: true, value: names };
      return { ok: false, message: `Zoho did not list its contact fields: ${result.message}${result.code ? ` (code ${result.code})` : ''}.` };
    });
  }

  mailingLists(): Promise<CatalogAnswer<MailingList[]>> {
    return this.#cached('lists', async () => {
      const result = await this.gateway.mailingLists();
      const lists = mailingListsOf(result);
      if (lists) return { ok: true, value: lists };
      return { ok: false, message: `Zoho did not list its mailing lists: ${result.message}${result.code ? ` (code ${result.code})` : ''}.` };
    });
  }

  /** Drops the cached answers, e.g. after the owner created a field or list in Zoho. */
  async forget(): Promise<void> {
    await this.redis.del(this.#key('fields'), this.#key('lists'));
  }

  async #cached<T>(what: 'fields' | 'lists', load: () => Promise<CatalogAnswer<T>>): Promise<CatalogAnswer<T>> {
    const hit = await this.redis.get(this.#key(what));
    if (hit !== null) return { ok: true, value: JSON.parse(hit) as T };
    let answer: CatalogAnswer<T>;
    try {
      answer = await load();
    } catch (error) {
      // Not connected, over quota or unreachable: the caller shows why and tries again later.
      if (error instanceof WaitForZohoError || error instanceof RetryLaterError) return { ok: false, message: error.message };
      throw error;
    }
    if (answer.ok) await this.redis.set(this.#key(what), JSON.stringify(answer.value), 'PX', this.ttlMs);
    return answer;
  }

  #key(what: 'fields' | 'lists'): string {
    return `${this.prefix}:zoho:catalog:${what}`;
  }
}
