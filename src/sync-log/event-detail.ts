// One WooCommerce delivery in full, for the owner's detail page and the API: the headers it came
// with, its body (pretty-printed for reading; the stored bytes are never re-serialised), what was
// sent to Zoho, every call with Zoho's answer and timing, and the later changes for the same person.
import type { EventStatus } from '../db/rows.ts';
import { SETTINGS_APPLIED_TOPIC, SYNC_REQUESTED_TOPIC } from '../sync/requested-syncs.ts';
import { explainAttempt, type Tone } from './explanations.ts';
import type { ListNamer } from '../use-cases/list-names.ts';
import { parseBody } from './people.ts';
import { attemptFacts, SyncLog, type LogRow, type SyncLogRepositories } from './sync-log.ts';

/** Bodies beyond this are shown cut (the whole body stays stored and is in the API). */
const SHOWN_BODY_CHARS = 200_000;
const LATER_EVENTS = 10;

export interface AttemptView {
  at: Date;
  /** The job's try number (retries by the bridge count up; a Retry by the owner starts again at 1). */
  attempt: number;
  action: string;
  listKey: string;
  listName: string;
  outcome: string;
  httpStatus: number | null;
  zohoCode: string | null;
  zohoMessage: string | null;
  durationMs: number;
  contactInfo: Array<[string, string]>;
  explanation: string;
  tone: Tone;
}

export interface EventDetail {
  row: LogRow;
  /** Why the bridge itself sent this customer, for a change it started; undefined for WooCommerce's. */
  startedBy: string | undefined;
  statusReason: string | null;
  contactKey: string | null;
  modifiedAt: Date | null;
  processedAt: Date | null;
  attemptsCount: number;
  headers: Array<[string, string]>;
  /** Pretty JSON when the body parses, else the text as received. */
  bodyText: string;
  bodyIsJson: boolean;
  bodyCut: boolean;
  bodyBytes: number;
  /** The body exactly as stored (UTF-8 text), for the API. */
  rawBody: string;
  /** What the last subscribe call sent to Zoho (field → value). */
  contactInfo: Array<[string, string]>;
  attempts: AttemptView[];
  /** Newer events about the same person. */
  later: LogRow[];
  canRetry: boolean;
  canDiscard: boolean;
}

export async function eventDetail(repositories: SyncLogRepositories, id: bigint, names: ListNamer): Promise<EventDetail | undefined> {
  const event = await repositories.events.findById(id);
  if (!event) return undefined;
  const log = new SyncLog(repositories);
  const [row] = await log.rows([event], names);
  const [attempts, later] = await Promise.all([
    repositories.attempts.forEvent(id),
    event.contactKey ? repositories.events.findLaterForContact(event.storeId, event.contactKey, id, LATER_EVENTS) : Promise.resolve([]),
  ]);
  const rawBody = Buffer.from(event.body).toString('utf8');
  const parsed = parseBody(event.body);
  const pretty = parsed === undefined ? rawBody : JSON.stringify(parsed, null, 2);
  const sent = [...attempts].reverse().find((attempt) => attempt.action === 'subscribe') ?? attempts.at(-1);
  return {
    row: row!,
    startedBy: STARTED_BY[event.topic],
    statusReason: event.statusReason,
    contactKey: event.contactKey,
    modifiedAt: event.modifiedAt,
    processedAt: event.processedAt,
    attemptsCount: event.attempts,
    headers: entriesOf(event.headers),
    bodyText: pretty.length > SHOWN_BODY_CHARS ? pretty.slice(0, SHOWN_BODY_CHARS) : pretty,
    bodyIsJson: parsed !== undefined,
    bodyCut: pretty.length > SHOWN_BODY_CHARS,
    bodyBytes: event.body.length,
    rawBody,
    contactInfo: sent ? entriesOf(sent.contactInfo) : [],
    attempts: attempts.map((attempt, index) => {
      const explained = explainAttempt(attemptFacts(attempt, names), event.status === 'failed' && index === attempts.length - 1);
      return {
        at: attempt.createdAt,
        attempt: attempt.attempt,
        action: attempt.action,
        listKey: attempt.listKey,
        listName: names(attempt.listKey),
        outcome: attempt.outcome,
        httpStatus: attempt.httpStatus,
        zohoCode: attempt.zohoCode,
        zohoMessage: attempt.zohoMessage,
        durationMs: attempt.durationMs,
        contactInfo: entriesOf(attempt.contactInfo),
        explanation: explained.text,
        tone: explained.tone,
      };
    }),
    later: await log.rows(later, names),
    canRetry: canRetry(event.status),
    canDiscard: canRetry(event.status),
  };
}

/** Changes the bridge starts itself (src/sync/requested-syncs.ts), in words. */
const STARTED_BY: Record<string, string> = {
  [SYNC_REQUESTED_TOPIC]: 'You pressed “Sync this customer now”: their newest details and lists were sent to Zoho again, with the settings of that moment.',
  [SETTINGS_APPLIED_TOPIC]:
    'You applied your settings to everyone, and this customer’s lists change with them: the bridge moved them with the settings of that moment.',
};

/** Only failed events are retried or discarded: anything else is still moving, or done. */
export function canRetry(status: EventStatus): boolean {
  return status === 'failed';
}

/**
 * Postgres keeps JSON keys in its own order; shown sorted, the contact's address first. Zoho's
 * field names are plain English, so they are compared as they are: localeCompare would load ICU
 * for the life of the server (src/readable.ts).
 */
function entriesOf(value: unknown): Array<[string, string]> {
  if (typeof value !== 'object' || value === null) return [];
  const rank = (key: string) => (key === 'Contact Email' ? 0 : 1);
  return Object.entries(value as Record<string, unknown>)
    .map(([key, entry]): [string, string] => [key, typeof entry === 'string' ? entry : JSON.stringify(entry)])
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
}
