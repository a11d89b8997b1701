// What the sync log says to the store owner: event statuses, Zoho's answers and refused deliveries
// in plain words, each ending with what to do (or that there is nothing to do). Zoho's own code
// and message are kept next to these on the detail page; this is the sentence a non-developer reads.
import type { EventStatus } from '../db/rows.ts';
import { SETTINGS_APPLIED_TOPIC, SYNC_REQUESTED_TOPIC } from '../sync/requested-syncs.ts';

export type Tone = 'ok' | 'wait' | 'bad' | 'neutral';

export interface StatusLabel {
  label: string;
  tone: Tone;
}

export const STATUS_LABELS: Record<EventStatus, StatusLabel> = {
  received: { label: 'In line', tone: 'wait' },
  queued: { label: 'In line', tone: 'wait' },
  waiting: { label: 'Waiting for Zoho', tone: 'wait' },
  synced: { label: 'Sent to Zoho', tone: 'ok' },
  coalesced: { label: 'Sent with a newer change', tone: 'ok' },
  skipped: { label: 'Nothing to send', tone: 'neutral' },
  failed: { label: 'Failed', tone: 'bad' },
};

/** The owner's status filter: each choice and the event statuses it covers. */
export const STATUS_CHOICES: Array<{ value: string; label: string; statuses: EventStatus[] }> = [
  { value: 'failed', label: 'Failed', statuses: ['failed'] },
  { value: 'waiting', label: 'Waiting for Zoho', statuses: ['waiting'] },
  { value: 'queued', label: 'In line to be sent', statuses: ['received', 'queued'] },
  { value: 'synced', label: 'Sent to Zoho', statuses: ['synced'] },
  { value: 'coalesced', label: 'Sent with a newer change', statuses: ['coalesced'] },
  { value: 'skipped', label: 'Nothing to send', statuses: ['skipped'] },
];

export const TOPIC_LABELS: Record<string, string> = {
  'customer.created': 'New customer',
  'customer.updated': 'Customer changed',
  'customer.deleted': 'Customer deleted',
  'subscription.created': 'New subscription',
  'subscription.updated': 'Subscription changed',
  'subscription.deleted': 'Subscription deleted',
  'subscription.switched': 'Subscription switched',
  // Started by the bridge, not WooCommerce.
  [SYNC_REQUESTED_TOPIC]: 'Sync requested by the owner',
  [SETTINGS_APPLIED_TOPIC]: 'New settings applied to everyone',
};

export function topicLabel(topic: string): string {
  return TOPIC_LABELS[topic] ?? topic;
}

/** One call to Zoho as the sync log stored it. */
export interface AttemptFacts {
  action: string;
  outcome: string;
  zohoCode: string | null;
  zohoMessage: string | null;
  httpStatus: number | null;
  /** The list's name when known, else its key. */
  listName: string;
  /** The address the call was about (an email change unsubscribes the old one). */
  email?: string;
}

const LIST_GONE = 'The chosen list no longer exists in Zoho: choose a list in Settings, then press Retry.';
/** After a passing problem: while the bridge still retries, and once it has stopped. */
const RETRIES_ITSELF = 'The bridge tries again by itself; there is nothing to do.';
const GAVE_UP = 'The bridge has stopped trying: press Retry to send it again.';
/** Zoho's "try again later" codes (docs/zoho-api.md, "Error codes"). */
const RETRY_LATER = new Set(['2101', '2001', '2402']);

/** Zoho codes that need the owner, in words (docs/zoho-api.md, "Error codes"). */
const ZOHO_CODES: Record<string, string> = {
  '2004': "Zoho says this email address is not valid. Fix it in WooCommerce (the customer's account email), then press Retry.",
  '2005':
    'Zoho does not accept group addresses such as info@ or sales@ on a mailing list. If the customer has a personal address, put it in WooCommerce and press Retry; otherwise press Discard.',
  '2002': LIST_GONE,
  '2102': LIST_GONE,
  '2202': LIST_GONE,
  '2206': LIST_GONE,
  '2501': LIST_GONE,
  '995': LIST_GONE,
  '2003': 'Zoho says this person is already on the list, so nothing needs to change. Press Discard.',
  '2302': 'Your Zoho Campaigns plan has reached its contact limit. Upgrade the plan or remove contacts in Zoho, then press Retry.',
  '2701':
    'The Zoho user who connected the bridge is not allowed to change this list. Reconnect Zoho Campaigns (on the overview) as a Zoho Campaigns admin, then press Retry.',
  '2704':
    'The Zoho user who connected the bridge is not allowed to change this list. Reconnect Zoho Campaigns (on the overview) as a Zoho Campaigns admin, then press Retry.',
  '2706':
    'The Zoho user who connected the bridge is not allowed to change this list. Reconnect Zoho Campaigns (on the overview) as a Zoho Campaigns admin, then press Retry.',
  '901': 'Zoho says your Zoho Campaigns account is not active. Check your Zoho subscription, then press Retry.',
  '902': 'Zoho did not find the user who connected the bridge. Reconnect Zoho Campaigns (on the overview), then press Retry.',
};

/**
 * What one call to Zoho did, in words. `gaveUp`: the change has failed, so a passing problem is
 * no longer retried by the bridge and the owner's Retry is what is left.
 */
export function explainAttempt(attempt: AttemptFacts, gaveUp = false): { text: string; tone: Tone } {
  const passing = (cause: string) => ({ text: `${cause} ${gaveUp ? GAVE_UP : RETRIES_ITSELF}`, tone: (gaveUp ? 'bad' : 'wait') as Tone });
  const list = attempt.listName;
  if (attempt.outcome === 'done') {
    if (attempt.zohoCode === '2103') return { text: `The customer was not on ${list} in Zoho, so there was nothing to take off.`, tone: 'ok' };
    return {
      text: attempt.action === 'unsubscribe' ? `Zoho took the customer off ${list}.` : `Zoho put the customer on ${list} with their details.`,
      tone: 'ok',
    };
  }
  const known = attempt.zohoCode ? ZOHO_CODES[attempt.zohoCode] : undefined;
  if (known) return { text: known, tone: 'bad' };
  if (attempt.zohoCode && RETRY_LATER.has(attempt.zohoCode)) return passing('Zoho asked to try again later.');
  if (attempt.outcome === 'auth') {
    return passing('Zoho did not accept the bridge’s access (if the overview says “Needs reconnecting”, reconnect Zoho Campaigns there).');
  }
  if (attempt.outcome === 'rate_limited') return passing('Zoho’s limit of calls was reached, so the bridge paused.');
  if (attempt.outcome === 'retry') {
    if (attempt.httpStatus === null) {
      return passing(/time|timeout/i.test(attempt.zohoMessage ?? '') ? 'Zoho did not answer in time.' : 'The connection to Zoho failed.');
    }
    return passing(`Zoho had a problem on its side (HTTP ${attempt.httpStatus}).`);
  }
  const said = attempt.zohoMessage ? `“${attempt.zohoMessage}”` : 'an error';
  return {
    text: `Zoho answered ${said}${attempt.zohoCode ? ` (code ${attempt.zohoCode})` : ''} and will answer the same until something changes. Check the customer’s details in WooCommerce and your Settings, then press Retry.`,
    tone: 'bad',
  };
}

/** Why WooCommerce deliveries were refused at the webhook URL, in words, with the fix. */
export const REFUSAL_REASONS: Record<string, string> = {
  bad_signature:
    'The signature did not match: the secret in this WooCommerce webhook is not the store’s secret in the bridge. On the Stores page, make a new secret and paste it into every webhook in WooCommerce.',
  missing_signature:
    'The delivery had no signature. Only WooCommerce webhooks with a secret can send to the bridge: set the secret on the webhook in WooCommerce.',
  no_secret:
    'The bridge has no secret for this store yet, so it cannot check deliveries. On the Stores page, make a secret and paste it into every webhook in WooCommerce.',
  unknown_store: 'The delivery URL names a store the bridge does not know. Copy the right URL from the Stores page into the webhook in WooCommerce.',
  malformed_json: 'The body was not valid JSON. Usually another plugin or a proxy changed it on the way.',
  invalid_payload: 'The body did not have the fields this kind of delivery needs (for example a customer without an id).',
  missing_topic: 'The delivery did not say what it is about (no X-WC-Webhook-Topic header).',
  too_large: 'The delivery was larger than the bridge accepts (WEBHOOK_BODY_LIMIT_BYTES).',
  unsupported_media_type: 'The delivery was not sent as JSON. Check the webhook’s API version in WooCommerce (WP REST API Integration v3).',
  empty_body: 'The delivery was empty.',
  bad_content_length: 'The delivery arrived cut short or padded (its length did not match).',
};

/** Refusals that mean the webhook secret is wrong or missing: counted on the overview. */
export const SIGNATURE_REASONS = ['bad_signature', 'missing_signature', 'no_secret'];

export function explainRefusal(reason: string, detail: string): string {
  return REFUSAL_REASONS[reason] ?? detail;
}

/** What became of an event, in one or two sentences, from its status and its calls to Zoho. */
export function explainEvent(event: { status: EventStatus; statusReason: string | null }, attempts: AttemptFacts[]): { text: string; tone: Tone } {
  const last = attempts.at(-1);
  const lastProblem = [...attempts].reverse().find((attempt) => attempt.outcome !== 'done');
  const tone = STATUS_LABELS[event.status].tone;
  switch (event.status) {
    case 'failed':
      if (lastProblem && last?.outcome !== 'done') return { text: explainAttempt(lastProblem, true).text, tone };
      return { text: `${event.statusReason ?? 'It could not be sent to Zoho.'} Press Retry to try again, or Discard.`, tone };
    case 'synced': {
      const done = attempts.filter((attempt) => attempt.outcome === 'done');
      if (done.length === 0) return { text: 'Zoho already had this customer’s newest details, so nothing more needed sending.', tone };
      return { text: summarise(done), tone };
    }
    case 'coalesced': {
      const other = /#(\d+)/.exec(event.statusReason ?? '')?.[1];
      return { text: `Sent to Zoho together with ${other ? `change #${other}` : 'a newer change'}, which carried this customer’s newest details.`, tone };
    }
    case 'received':
    case 'queued':
      if (lastProblem) return { text: `Not accepted by Zoho yet. ${explainAttempt(lastProblem).text}`, tone };
      return { text: 'In line to be sent to Zoho; this takes seconds.', tone };
    default:
      return { text: event.statusReason ?? STATUS_LABELS[event.status].label, tone };
  }
}

/**
 * The status a row shows. A change marked sent whose calls sent nothing (Zoho already had it)
 * does not say "Sent to Zoho".
 */
export function statusLabelOf(status: EventStatus, attempts: AttemptFacts[]): StatusLabel {
  if (status === 'synced' && !attempts.some((attempt) => attempt.outcome === 'done')) return { label: 'Nothing to send', tone: 'neutral' };
  return STATUS_LABELS[status];
}

/**
 * "Put on Customers; taken off Lapsed customers." When the calls were about more than one address
 * (an email change), each part names its address: "Email changed from a@x to b@x: a@x taken off
 * Customers; b@x put on Customers."
 */
function summarise(attempts: AttemptFacts[]): string {
  const addresses = [...new Set(attempts.map((attempt) => attempt.email).filter((email): email is string => Boolean(email)))];
  const named = addresses.length > 1;
  const seen = new Set<string>();
  const parts: string[] = [];
  for (const attempt of attempts) {
    const what = attempt.action === 'unsubscribe' ? `taken off ${attempt.listName}` : `put on ${attempt.listName}`;
    const part = named ? `${attempt.email} ${what}` : `${what[0]!.toUpperCase()}${what.slice(1)}`;
    if (!seen.has(part)) parts.push(part);
    seen.add(part);
  }
  const newest = [...attempts].reverse().find((attempt) => attempt.action === 'subscribe')?.email;
  const old = addresses.find((email) => email !== newest);
  const change = named && newest && old ? `Email changed from ${old} to ${newest}: ` : '';
  return `${change}${parts.join('; ')}.`;
}
