// The vocabulary of alerting (docs/alerts.md): what kinds of problem the owner is told about, what
// the worker observed this round, and the incidents already open. Plain data, no I/O.

export const INCIDENT_KINDS = [
  'zoho_reconnect',
  'woocommerce_webhooks',
  'store_quiet',
  'changes_failed',
  'zoho_paused',
  'receiver_storage',
  'backfill',
] as const;
export type IncidentKind = (typeof INCIDENT_KINDS)[number];

/** Facts the owner reads in a message; numbers, names and times only, never secrets or customer data. */
export type IncidentDetails = Record<string, string | number | boolean | null | string[]>;

/** A problem that holds right now, as one evaluation found it. */
export interface Observation {
  kind: IncidentKind;
  subject: string;
  details: IncidentDetails;
  /**
   * A one-off event rather than a lasting condition (a backfill that finished): told once, and
   * the incident is closed at once.
   */
  notice?: boolean;
  /**
   * For digests (changes that failed): when the newest occurrence happened. A digest goes out at
   * most once an hour, and only when something new happened since the last message.
   */
  latestAt?: Date;
}

export interface OpenIncident {
  id: bigint;
  kind: IncidentKind;
  subject: string;
  openedAt: Date;
  lastNotifiedAt: Date;
  details: IncidentDetails;
}

export type MessageKind = 'opened' | 'reminder' | 'digest' | 'resolved' | 'notice';

export const REMINDER_EVERY_MS = 24 * 60 * 60_000;
export const DIGEST_EVERY_MS = 60 * 60_000;

export function isIncidentKind(value: string): value is IncidentKind {
  return (INCIDENT_KINDS as readonly string[]).includes(value);
}
