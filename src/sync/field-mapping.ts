// Builds Zoho's contactinfo from a contact's snapshot. Keys are Zoho field display names; empty
// WooCommerce values are left out so they never blank a value kept in Zoho.
import { createHash } from 'node:crypto';
import type { ContactInfo } from '../zoho/campaigns-client.ts';
import { contactMeta, type Snapshot } from './contact-snapshot.ts';
import type { FieldMappingEntry } from './store-settings.ts';

export type { Snapshot } from './contact-snapshot.ts';

/** Account names fall back to billing names: guests and some checkouts only fill billing. */
const FALLBACKS: Record<string, string> = {
  first_name: 'billing.first_name',
  last_name: 'billing.last_name',
};

const ACCOUNT_FIELDS = ['email', 'first_name', 'last_name', 'username', 'role', 'date_created', 'date_created_gmt', 'is_paying_customer'];
const ADDRESS_FIELDS = ['first_name', 'last_name', 'company', 'address_1', 'address_2', 'city', 'state', 'postcode', 'country', 'phone'];

/** Every source a mapping may read, besides "meta:<key>": what the settings page offers. */
export const KNOWN_SOURCES: readonly string[] = [
  ...ACCOUNT_FIELDS,
  ...ADDRESS_FIELDS.map((field) => `billing.${field}`),
  'billing.email',
  ...ADDRESS_FIELDS.map((field) => `shipping.${field}`),
];

export function isKnownSource(source: string): boolean {
  return KNOWN_SOURCES.includes(source) || (source.startsWith('meta:') && source.slice('meta:'.length).trim() !== '');
}

export function readSource(snapshot: Snapshot, source: string): string {
  // Customer meta first, then the newest subscription's (checkout fields often live there).
  if (source.startsWith('meta:')) return scalar(contactMeta(snapshot, source.slice('meta:'.length))?.value);
  let value: unknown = snapshot;
  for (const part of source.split('.')) {
    value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[part] : undefined;
  }
  const text = scalar(value);
  const fallback = FALLBACKS[source];
  return text === '' && fallback ? readSource(snapshot, fallback) : text;
}

function scalar(value: unknown): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

export function buildContactInfo(email: string, snapshot: Snapshot, mapping: FieldMappingEntry[]): ContactInfo {
  const contactInfo: ContactInfo = { 'Contact Email': email };
  for (const { source, zohoField } of mapping) {
    // The address is the contact's identity in Zoho; only the bridge's choice of it is sent.
    if (zohoField === 'Contact Email') continue;
    const value = readSource(snapshot, source);
    if (value !== '') contactInfo[zohoField] = value;
  }
  return contactInfo;
}

/** A stable fingerprint of what was sent, to skip calls that would change nothing. */
export function fieldsHash(contactInfo: ContactInfo): string {
  const sorted = Object.keys(contactInfo)
    .sort()
    .map((key) => [key, contactInfo[key]]);
  return createHash('sha256').update(JSON.stringify(sorted)).digest('hex');
}
