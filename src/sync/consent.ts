// Whether a contact agreed to be mailed, read from a meta_data value the store chose.
//
// WooCommerce stores checkbox meta as strings ("yes", "1", "on"), booleans or numbers, and PHP's
// own truthiness would read "no" as true, so the bridge does not use it: only values that clearly
// mean yes count as consent, values that clearly mean no count as a refusal, and anything else
// (a missing key, "maybe") counts as "no answer".
import { contactMeta, type Snapshot } from './contact-snapshot.ts';
import type { StoreSettings } from './store-settings.ts';

export type Consent =
  /** The store has no consent gate: the routing rules alone decide. */
  | 'not-required'
  | 'given'
  | 'refused'
  /** No usable answer: the contact may only be sent to the double opt-in list, if one is set. */
  | 'unknown';

const YES = new Set(['1', 'yes', 'y', 'on', 'true', 'checked', 'accepted', 'agreed', 'subscribed', 'opt-in', 'opted-in', 'optin']);
const NO = new Set(['', '0', 'no', 'n', 'off', 'false', 'unchecked', 'declined', 'unsubscribed', 'opt-out', 'opted-out', 'optout']);

/** Reads one meta value. Exported so the documentation and tests can show the exact rule. */
export function consentFromValue(value: unknown): 'given' | 'refused' | 'unknown' {
  if (value === null || value === undefined) return 'refused';
  if (typeof value === 'boolean') return value ? 'given' : 'refused';
  if (typeof value === 'number') return value === 0 || Number.isNaN(value) ? 'refused' : 'given';
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (YES.has(word)) return 'given';
    if (NO.has(word)) return 'refused';
    return 'unknown';
  }
  // An empty PHP array or object arrives as []; a checkbox group with one box as ["yes"].
  if (Array.isArray(value)) {
    if (value.length === 0) return 'refused';
    return value.length === 1 ? consentFromValue(value[0]) : 'unknown';
  }
  return 'unknown';
}

export function consentOf(snapshot: Snapshot, settings: StoreSettings): Consent {
  const { metaKey, doubleOptInList } = settings.consent;
  if (!metaKey) return doubleOptInList ? 'unknown' : 'not-required';
  const entry = contactMeta(snapshot, metaKey);
  return entry ? consentFromValue(entry.value) : 'unknown';
}
