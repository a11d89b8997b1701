// The sync log as the owner reads it: one row per WooCommerce delivery, newest first, with who it
// is about, what the bridge did in Zoho and why, in plain words. Pages are cut by id (keyset), so
// page 500 costs what page 1 costs; the total is counted up to a cap for the same reason.
import type { ContactRepository } from '../db/contacts.ts';
import type { EventRepository, LogEvent } from '../db/events.ts';
import type { EventStatus, SyncAttempt } from '../db/rows.ts';
import type { StoreRepository } from '../db/stores.ts';
import type { SyncAttemptRepository } from '../db/sync-attempts.ts';
import { eventCriteria, type EventFilter } from './event-filter.ts';
import { explainEvent, statusLabelOf, topicLabel, type AttemptFacts, type Tone } from './explanations.ts';
import type { ListNamer } from '../use-cases/list-names.ts';
import { parseBody, personOf, type Person } from './people.ts';

/** Totals above this are shown as "more than". */
export const COUNT_CAP = 10_000;
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface LogCall {
  action: string;
  listKey: string;
  listName: string;
  outcome: string;
  tone: Tone;
}

export interface LogRow {
  id: string;
  storeId: string;
  storeName: string;
  topic: string;
  topicLabel: string;
  status: EventStatus;
  statusLabel: string;
  tone: Tone;
  /** What happened, in words for the owner. */
  explanation: string;
  person: Person;
  receivedAt: Date;
  /** The calls to Zoho this event made, one per list and action (the latest outcome of each). */
  calls: LogCall[];
  redeliveries: number;
}

export interface LogPage {
  rows: LogRow[];
  /** Cursor for the newer page (rows above this one), when there is one. */
  newer: string | undefined;
  /** Cursor for the older page, when there is one. */
  older: string | undefined;
  total: { count: number; capped: boolean };
}

export interface PageRequest {
  /** Rows older than this event id. */
  before?: bigint | undefined;
  /** Rows newer than this event id (the previous page). */
  after?: bigint | undefined;
  limit?: number | undefined;
}

/** What the sync log reads. */
export interface SyncLogRepositories {
  events: EventRepository;
  attempts: SyncAttemptRepository;
  contacts: ContactRepository;
  stores: StoreRepository;
}

export class SyncLog {
  constructor(private readonly repositories: SyncLogRepositories) {}

  async page(filter: EventFilter, request: PageRequest, names: ListNamer): Promise<LogPage> {
    const limit = Math.min(Math.max(request.limit ?? DEFAULT_PAGE_SIZE, 1), MAX_PAGE_SIZE);
    const criteria = await eventCriteria(this.repositories, filter);
    const goingBack = request.after !== undefined;
    const [found, count] = await Promise.all([
      this.repositories.events.findForLog(criteria, request, limit + 1),
      this.repositories.events.countUpTo(criteria, COUNT_CAP),
    ]);
    const more = found.length > limit;
    const events = found.slice(0, limit);
    if (goingBack) events.reverse();
    const rows = await this.rows(events, names);
    const first = rows[0]?.id;
    const last = rows.at(-1)?.id;
    return {
      rows,
      newer: first && (goingBack ? more : request.before !== undefined) ? first : undefined,
      older: last && (goingBack || more) ? last : undefined,
      total: { count: Math.min(count, COUNT_CAP), capped: count > COUNT_CAP },
    };
  }

  /** Rows for these events: their calls, contacts and store names take three queries for the whole page. */
  async rows(events: LogEvent[], names: ListNamer): Promise<LogRow[]> {
    if (events.length === 0) return [];
    const ids = events.map((event) => event.id);
    const keys = events.filter((event) => event.contactKey).map((event) => ({ storeId: event.storeId, customerKey: event.contactKey! }));
    const [attempts, contacts, stores] = await Promise.all([
      this.repositories.attempts.forEvents(ids),
      this.repositories.contacts.findMany(keys),
      this.repositories.stores.list(),
    ]);
    return events.map((event) => {
      const own = attempts.filter((attempt) => attempt.eventId === event.id);
      const contact = contacts.find((entry) => entry.storeId === event.storeId && entry.customerKey === event.contactKey);
      return toRow(event, own, contact, stores.find((store) => store.id === event.storeId)?.name ?? event.storeId, names);
    });
  }

  /** The rows of these events (those that exist), newest first: what a live page refreshes. */
  async rowsWithIds(ids: bigint[], names: ListNamer): Promise<LogRow[]> {
    if (ids.length === 0) return [];
    return this.rows(await this.repositories.events.findLogEvents(ids), names);
  }

  /** One event with everything the rows show. */
  async row(id: bigint, names: ListNamer): Promise<LogRow | undefined> {
    const event = await this.repositories.events.findLogEvent(id);
    return event ? (await this.rows([event], names))[0] : undefined;
  }
}

export function attemptFacts(attempt: SyncAttempt, names: ListNamer): AttemptFacts {
  return {
    action: attempt.action,
    outcome: attempt.outcome,
    zohoCode: attempt.zohoCode,
    zohoMessage: attempt.zohoMessage,
    httpStatus: attempt.httpStatus,
    listName: names(attempt.listKey),
    email: attempt.email ?? undefined,
  };
}

function toRow(
  event: LogEvent,
  attempts: SyncAttempt[],
  contact: { email: string; customerId: number | null; snapshot: unknown } | undefined,
  storeName: string,
  names: ListNamer,
): LogRow {
  const facts = attempts.map((attempt) => attemptFacts(attempt, names));
  const explained = explainEvent(event, facts);
  const latest = new Map<string, LogCall>();
  for (const attempt of attempts) {
    const tone: Tone = attempt.outcome === 'done' ? 'ok' : attempt.outcome === 'permanent' ? 'bad' : 'wait';
    latest.set(`${attempt.action} ${attempt.listKey}`, {
      action: attempt.action,
      listKey: attempt.listKey,
      listName: names(attempt.listKey),
      outcome: attempt.outcome,
      tone,
    });
  }
  const label = statusLabelOf(event.status, facts);
  return {
    id: event.id.toString(),
    storeId: event.storeId,
    storeName,
    topic: event.topic,
    topicLabel: topicLabel(event.topic),
    status: event.status,
    statusLabel: label.label,
    tone: label.tone,
    explanation: explained.text,
    person: personOf(event.topic, parseBody(event.body), contact),
    receivedAt: event.receivedAt,
    calls: [...latest.values()],
    redeliveries: event.redeliveries,
  };
}
