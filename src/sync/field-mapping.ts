// Builds Zoho's contactinfo from a WooCommerce customer snapshot. Keys are Zoho field display
// names; empty WooCommerce values are left out so they never blank a value kept in Zoho.
import { createHash } from 'node:crypto';
import type { ContactInfo } from '../zoho/campaigns-client.ts';
import type { FieldMappingEntry } from './store-settings.ts';

export type Snapshot = Record<string, unknown>;

/** Account names fall back to billing names: guests and some checkouts only fill billing. */
const FALLBACKS: Record<string, string> = {
  first_name: 'billing.first_name',
  last_name: 'billing.last_name',
};

export function readSource(snapshot: Snapshot, source: string): string {
  if (source.startsWith('meta:')) {
    const key = source.slice('meta:'.length);
    const meta = Array.isArray(snapshot.meta_data) ? (snapshot.meta_data as Array<Record<string, unknown>>) : [];
    const entry = meta.find((item) => item.key === key);
    return scalar(entry?.value);
  }
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
