// The sync log's filter (status, topic, store, dates, search), shared by the owner's pages and the
// JSON API, and the events it asks for (src/db/event-criteria.ts). The search resolves a person to
// their contact keys first (and sync_attempts' addresses), so events are never found by scanning
// their bodies.
import type { ContactRepository } from '../db/contacts.ts';
import type { EventCriteria } from '../db/event-criteria.ts';
import type { StoreRepository } from '../db/stores.ts';
import type { SyncAttemptRepository } from '../db/sync-attempts.ts';
import { STATUS_CHOICES } from './explanations.ts';
import { dayStartIn } from './time-zones.ts';

export interface EventFilter {
  /** One of STATUS_CHOICES' values. */
  status?: string | undefined;
  topic?: string | undefined;
  store?: string | undefined;
  /** First day, YYYY-MM-DD (in timeZone), inclusive. */
  from?: string | undefined;
  /** Last day, YYYY-MM-DD (in timeZone), inclusive. */
  to?: string | undefined;
  /** An email address, a customer number, or part of a name. */
  q?: string | undefined;
  /** The zone the days are in (the owner's, from Settings); UTC without one. Never read from a query. */
  timeZone?: string | undefined;
}

export const FILTER_KEYS = ['status', 'topic', 'store', 'from', 'to', 'q'] as const;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Contacts a name search may match; more means the search is too vague to be useful. */
const MAX_PEOPLE = 500;
/** Events found through the sync log's addresses (an address the contact no longer has). */
const MAX_EVENTS_BY_ATTEMPT = 2_000;

/** The filter in a query string or form; unknown or malformed values are dropped, not guessed. */
export function filterFrom(input: unknown): EventFilter {
  const source = typeof input === 'object' && input !== null ? (input as Record<string, unknown>) : {};
  const value = (key: string, max: number) => {
    const raw = source[key];
    const text = typeof raw === 'string' ? raw.trim() : '';
    return text !== '' && text.length <= max ? text : undefined;
  };
  const day = (key: string) => {
    const text = value(key, 10);
    return text && DAY.test(text) && !Number.isNaN(Date.parse(`${text}T00:00:00Z`)) ? text : undefined;
  };
  const status = value('status', 20);
  return {
    status: STATUS_CHOICES.some((choice) => choice.value === status) ? status : undefined,
    topic: value('topic', 100),
    store: value('store', 200),
    from: day('from'),
    to: day('to'),
    q: value('q', 320),
  };
}

/** The filter as query parameters, for links that keep it (pagination, retry, back). */
export function filterParams(filter: EventFilter): URLSearchParams {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) {
    const value = filter[key];
    if (value) params.set(key, value);
  }
  return params;
}

export function isFiltered(filter: EventFilter): boolean {
  return FILTER_KEYS.some((key) => Boolean(filter[key]));
}

/** What the filter looks in: stores, contacts and the sync log's addresses. */
export interface FilterLookups {
  stores: Pick<StoreRepository, 'list'>;
  contacts: Pick<ContactRepository, 'refsByEmail' | 'refsByName'>;
  attempts: Pick<SyncAttemptRepository, 'eventIdsByEmail'>;
}

/** The events the filter asks for, as the repository takes them. */
export async function eventCriteria(lookups: FilterLookups, filter: EventFilter): Promise<EventCriteria> {
  const choice = STATUS_CHOICES.find((entry) => entry.value === filter.status);
  return {
    ...(choice ? { statuses: choice.statuses } : {}),
    ...(filter.topic ? { topic: filter.topic } : {}),
    ...(filter.store ? { storeId: filter.store } : {}),
    ...(filter.from ? { receivedFrom: dayStartIn(filter.timeZone, filter.from) } : {}),
    ...(filter.to ? { receivedBefore: dayStartIn(filter.timeZone, nextDay(filter.to)) } : {}),
    ...(filter.q ? { about: await searchFor(lookups, filter.q, filter.store) } : {}),
  };
}

/** Events about the person searched for: resolved to their contact keys first, never by scanning bodies. */
async function searchFor(lookups: FilterLookups, q: string, store: string | undefined): Promise<NonNullable<EventCriteria['about']>> {
  const storeIds = store ? [store] : (await lookups.stores.list()).map((row) => row.id);
  if (/^#?\d{1,18}$/.test(q)) return { number: q.replace('#', ''), storeIds };
  const people = q.includes('@') ? await lookups.contacts.refsByEmail(q, MAX_PEOPLE) : await lookups.contacts.refsByName(q, MAX_PEOPLE);
  const byAddress = q.includes('@') ? await lookups.attempts.eventIdsByEmail([...new Set([q, q.toLowerCase()])], MAX_EVENTS_BY_ATTEMPT) : [];
  return { contacts: people.filter((person) => storeIds.includes(person.storeId)), eventIds: byAddress };
}

/** "2026-12-31" → "2027-01-01". */
function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
