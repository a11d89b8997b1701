// The WooCommerce values a field mapping can read, in words an owner knows ("Billing phone"),
// each with the key the mapping stores ("billing.phone", field-mapping.ts reads it). Custom fields
// (meta data) are "Custom field: <key>". Either form is understood when typed back.
import { KNOWN_SOURCES } from './field-mapping.ts';

export type SourceGroup = 'Account' | 'Billing address' | 'Shipping address' | 'Custom field';

export interface SourceChoice {
  /** What the mapping stores: "billing.phone", "meta:loyalty_tier". */
  key: string;
  /** What the owner reads and picks: "Billing phone", "Custom field: loyalty_tier". */
  label: string;
  group: SourceGroup;
}

const META_PREFIX = 'meta:';
const CUSTOM_FIELD = 'Custom field: ';

const ACCOUNT_WORDS: Record<string, string> = {
  email: 'Email (account)',
  first_name: 'First name',
  last_name: 'Last name',
  username: 'Username',
  role: 'WordPress role',
  date_created: 'Account created (store’s time)',
  date_created_gmt: 'Account created (UTC)',
  is_paying_customer: 'Paying customer (true or false)',
};

const ADDRESS_WORDS: Record<string, string> = {
  first_name: 'first name',
  last_name: 'last name',
  company: 'company',
  address_1: 'address line 1',
  address_2: 'address line 2',
  city: 'city',
  state: 'state or county',
  postcode: 'postcode',
  country: 'country',
  phone: 'phone',
  email: 'email',
};

/** Every WooCommerce value the bridge reads, account first, then billing, then shipping. */
export const STANDARD_SOURCES: readonly SourceChoice[] = KNOWN_SOURCES.map((key) => {
  const [part, field = ''] = key.split('.');
  if (part === 'billing') return { key, label: `Billing ${ADDRESS_WORDS[field] ?? field}`, group: 'Billing address' as const };
  if (part === 'shipping') return { key, label: `Shipping ${ADDRESS_WORDS[field] ?? field}`, group: 'Shipping address' as const };
  return { key, label: ACCOUNT_WORDS[key] ?? key, group: 'Account' as const };
});

/** A custom field (meta data key) as a choice. */
export function customFieldChoice(metaKey: string): SourceChoice {
  return { key: `${META_PREFIX}${metaKey}`, label: `${CUSTOM_FIELD}${metaKey}`, group: 'Custom field' };
}

/** "billing.phone" → "Billing phone"; "meta:tier" → "Custom field: tier"; anything else as it is. */
export function sourceLabel(key: string): string {
  if (key.startsWith(META_PREFIX)) return `${CUSTOM_FIELD}${key.slice(META_PREFIX.length).trim()}`;
  return STANDARD_SOURCES.find((choice) => choice.key === key)?.label ?? key;
}

/**
 * The key for what an owner picked or typed: a label (in any capitals), a key, or a custom field
 * written either way. Text that is none of these comes back trimmed, for the settings check to name.
 */
export function sourceKeyOf(text: string): string {
  const typed = text.trim();
  const lower = typed.toLowerCase();
  if (lower.startsWith(CUSTOM_FIELD.trim().toLowerCase())) {
    const metaKey = typed.slice(CUSTOM_FIELD.trim().length).trim();
    return metaKey === '' ? typed : `${META_PREFIX}${metaKey}`;
  }
  return STANDARD_SOURCES.find((choice) => choice.label.toLowerCase() === lower || choice.key === typed)?.key ?? typed;
}
