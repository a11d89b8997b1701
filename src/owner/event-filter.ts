// The sync log's filter (status, topic, store, dates, search), shared by the owner's pages and the
// JSON API, and the Postgres condition it becomes. Every part is served by an index: status and
// received_at, (store_id, contact_key), sync_attempts.email; the search resolves a person to their
// contact keys first, so events are never found by scanning their bodies.
import type { Db } from '../db/client.ts';
import type { Prisma } from '../db/generated/client.ts';
import { STATUS_CHOICES } from './explanations.ts';

export interface EventFilter {
  /** One of STATUS_CHOICES' values. */
  status?: string | undefined;
  topic?: string | undefined;
  store?: string | undefined;
  /** First day, YYYY-MM-DD (UTC), inclusive. */
  from?: string | undefined;
  /** Last day, YYYY-MM-DD (UTC), inclusive. */
  to?: string | undefined;
  /** An email address, a customer number, or part of a name. */
  q?: string | undefined;
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

/** The Postgres condition for the filter. */
export async function eventWhere(db: Db, filter: EventFilter): Promise<Prisma.WebhookEventWhereInput> {
  const and: Prisma.WebhookEventWhereInput[] = [];
  const choice = STATUS_CHOICES.find((entry) => entry.value === filter.status);
  if (choice) and.push({ status: { in: choice.statuses } });
  if (filter.topic) and.push({ topic: filter.topic });
  if (filter.store) and.push({ storeId: filter.store });
  if (filter.from) and.push({ receivedAt: { gte: new Date(`${filter.from}T00:00:00Z`) } });
  if (filter.to) and.push({ receivedAt: { lt: new Date(Date.parse(`${filter.to}T00:00:00Z`) + 86_400_000) } });
  if (filter.q) and.push(await searchWhere(db, filter.q, filter.store));
  return and.length === 0 ? {} : { AND: and };
}

/**
 * Events about the person searched for. Contact keys are matched with the store ids spelt out,
 * so the (store_id, contact_key, status) index serves the search across stores too.
 */
async function searchWhere(db: Db, q: string, store: string | undefined): Promise<Prisma.WebhookEventWhereInput> {
  const storeIds = store ? [store] : (await db.store.findMany({ select: { id: true } })).map((row) => row.id);
  if (/^#?\d{1,18}$/.test(q)) {
    const id = q.replace('#', '');
    return {
      storeId: { in: storeIds },
      OR: [{ contactKey: id }, { resource: { in: ['customer', 'subscription'] }, resourceId: id }],
    };
  }
  const people = q.includes('@') ? await contactsByEmail(db, q) : await contactsByName(db, q);
  const keys = people.filter((person) => storeIds.includes(person.storeId));
  const byAddress = q.includes('@') ? await eventIdsByAttemptEmail(db, q) : [];
  const or: Prisma.WebhookEventWhereInput[] = [
    ...keys.map((person) => ({ storeId: person.storeId, contactKey: person.customerKey })),
    ...(byAddress.length > 0 ? [{ id: { in: byAddress } }] : []),
  ];
  return or.length > 0 ? { OR: or } : { id: { in: [] } };
}

/**
 * Contacts with this address now or when last synced, in any capitals. Compared over every
 * contact (no index on lower(email)): one row per customer, ~100 ms for 100,000 of them.
 */
export async function contactsByEmail(db: Db, email: string): Promise<Array<{ storeId: string; customerKey: string }>> {
  return db.$queryRaw`
    SELECT store_id AS "storeId", customer_key AS "customerKey" FROM contacts
     WHERE lower(email) = lower(${email}) OR lower(synced_email) = lower(${email})
     LIMIT ${MAX_PEOPLE}`;
}

/** Contacts whose account or billing name contains the text, in any capitals. */
async function contactsByName(db: Db, text: string): Promise<Array<{ storeId: string; customerKey: string }>> {
  const pattern = `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
  return db.$queryRaw`
    SELECT store_id AS "storeId", customer_key AS "customerKey" FROM contacts
     WHERE concat_ws(' ', snapshot->>'first_name', snapshot->>'last_name') ILIKE ${pattern}
        OR concat_ws(' ', snapshot->'billing'->>'first_name', snapshot->'billing'->>'last_name') ILIKE ${pattern}
     LIMIT ${MAX_PEOPLE}`;
}

/** Events whose Zoho calls used this address (served by the sync_attempts email index). */
async function eventIdsByAttemptEmail(db: Db, email: string): Promise<bigint[]> {
  const spellings = [...new Set([email, email.toLowerCase()])];
  const rows = await db.syncAttempt.findMany({
    where: { email: { in: spellings }, eventId: { not: null } },
    select: { eventId: true },
    distinct: ['eventId'],
    orderBy: { eventId: 'desc' },
    take: MAX_EVENTS_BY_ATTEMPT,
  });
  return rows.map((row) => row.eventId!);
}
