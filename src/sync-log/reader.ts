// Reading the sync log, for the owner's pages and the JSON API: pages of changes, one change in
// full, and one person's history, with Zoho list names in place of keys.
import type { ListNamer } from '../use-cases/list-names.ts';
import { contactHistory, type ContactHistory } from './contact-history.ts';
import { syncLogCsv } from './csv-export.ts';
import { eventDetail, type EventDetail } from './event-detail.ts';
import type { EventFilter } from './event-filter.ts';
import { SyncLog, type LogPage, type LogRow, type PageRequest, type SyncLogRepositories } from './sync-log.ts';

export class SyncLogReader {
  readonly #log: SyncLog;

  constructor(
    private readonly repositories: SyncLogRepositories,
    /** The account's list names (src/use-cases/list-names.ts); never waits long for Zoho. */
    private readonly listNames: () => Promise<ListNamer>,
  ) {
    this.#log = new SyncLog(repositories);
  }

  async page(filter: EventFilter, request: PageRequest): Promise<LogPage> {
    return this.#log.page(filter, request, await this.listNames());
  }

  /** The rows of these changes, for the live parts of the pages. */
  async rowsWithIds(ids: bigint[]): Promise<LogRow[]> {
    return this.#log.rowsWithIds(ids, await this.listNames());
  }

  /** The filtered log as CSV lines (src/sync-log/csv-export.ts). */
  async csv(filter: EventFilter, localTime: (date: Date) => string): Promise<AsyncIterable<string>> {
    const names = await this.listNames();
    return syncLogCsv({ page: (pageFilter, request) => this.#log.page(pageFilter, request, names), filter, localTime });
  }

  async row(id: bigint): Promise<LogRow | undefined> {
    return this.#log.row(id, await this.listNames());
  }

  async detail(id: bigint): Promise<EventDetail | undefined> {
    return eventDetail(this.repositories, id, await this.listNames());
  }

  async contactHistory(email: string): Promise<ContactHistory> {
    return contactHistory(this.repositories, email, await this.listNames());
  }
}
