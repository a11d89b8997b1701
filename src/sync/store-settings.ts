// Per-store sync settings: which Zoho lists people join, which list each subscription status leads
// to, what a deletion does, which fields are sent and whose consent is needed. Stored as JSON on
// the store and always read through this schema, so an old or partial value gets defaults.
// docs/routing-and-fields.md explains every setting to store owners.
import { z } from 'zod';
import { listsOfRules, statusListsSchema, statusRules, type StatusRule, type SubscriptionStatus } from './status-rules.ts';

export { SUBSCRIPTION_STATUSES } from './status-rules.ts';

const listKey = z.string().trim().min(1, 'A list key cannot be empty.');

export const fieldMappingEntry = z.object({
  /** Where the value comes from: "first_name", "billing.phone", "shipping.city", "meta:<key>". */
  source: z.string().trim().min(1, 'Say which WooCommerce field to read.'),
  /** The Zoho field's display name, e.g. "Phone" (docs/zoho-api.md, "Endpoints the bridge uses"). */
  zohoField: z.string().trim().min(1, 'Say which Zoho field to fill.'),
});
export type FieldMappingEntry = z.infer<typeof fieldMappingEntry>;

export const DEFAULT_FIELD_MAPPING: FieldMappingEntry[] = [
  { source: 'first_name', zohoField: 'First Name' },
  { source: 'last_name', zohoField: 'Last Name' },
  { source: 'billing.phone', zohoField: 'Phone' },
  { source: 'billing.company', zohoField: 'Company Name' },
  { source: 'billing.city', zohoField: 'City' },
  { source: 'billing.state', zohoField: 'State' },
  { source: 'billing.country', zohoField: 'Country' },
  { source: 'billing.postcode', zohoField: 'Zip Code' },
];

export const listsSchema = z.object({
  /** Every customer joins this list (default: ZOHO_LIST_KEY). */
  customers: listKey.optional(),
  /** Customers with an active (or pending-cancel) subscription. */
  activeSubscribers: listKey.optional(),
  /** Customers whose subscriptions ended (cancelled or expired). */
  lapsed: listKey.optional(),
});

export const consentSchema = z.object({
  /** A meta_data key that must say yes (consent.ts) before the contact joins any list. */
  metaKey: z.string().trim().min(1, 'Name the meta_data key, or leave metaKey out for no consent check.').optional(),
  /** Contacts with no recorded answer join only this list, where Zoho asks them to confirm. */
  doubleOptInList: listKey.optional(),
});

export const storeSettingsSchema = z.object({
  lists: listsSchema.default({}),
  /** Overrides of what each subscription status does (see status-rules.ts for the defaults). */
  statusLists: statusListsSchema,
  /** What a WooCommerce customer deletion does: take them off the managed lists, or nothing. */
  onCustomerDeleted: z.enum(['unsubscribe', 'keep']).default('unsubscribe'),
  fieldMapping: z.array(fieldMappingEntry).default(DEFAULT_FIELD_MAPPING),
  /** WordPress roles whose customer events are synced; empty = the bridge-wide default. */
  roles: z.array(z.string().trim().min(1)).default([]),
  consent: consentSchema.default({}),
  /**
   * Whether an unset "every customer" list means ZOHO_LIST_KEY. Stores added in the dashboard
   * start without it: they choose their own lists instead of silently inheriting the first store's.
   */
  inheritsDefaultList: z.boolean().default(true),
});
export type StoreSettings = z.infer<typeof storeSettingsSchema>;
/** What an owner (or the admin pages) submits: every key optional, defaults filled on reading. */
export type StoreSettingsInput = z.input<typeof storeSettingsSchema>;

export interface SettingsDefaults {
  customersList: string | undefined;
  roles: readonly string[];
}

/** The store's settings with bridge-wide defaults filled in (ZOHO_LIST_KEY, WC_CUSTOMER_ROLES). */
export function effectiveSettings(stored: unknown, defaults: SettingsDefaults): StoreSettings {
  const parsed = storeSettingsSchema.safeParse(stored ?? {});
  const settings = parsed.success ? parsed.data : storeSettingsSchema.parse({});
  return {
    ...settings,
    lists: { ...settings.lists, customers: settings.lists.customers ?? (settings.inheritsDefaultList ? defaults.customersList : undefined) },
    roles: settings.roles.length > 0 ? settings.roles : [...defaults.roles],
  };
}

/** What each subscription status does for this store, defaults and overrides together. */
export function rulesOf(settings: StoreSettings): Record<SubscriptionStatus, StatusRule> {
  return statusRules(settings.lists, settings.statusLists);
}

/** Every list the bridge puts people on or takes them off for this store. */
export function managedLists(settings: StoreSettings): string[] {
  const lists = [settings.lists.customers, settings.lists.activeSubscribers, settings.lists.lapsed, settings.consent.doubleOptInList];
  return [...new Set([...lists.filter((list): list is string => Boolean(list)), ...listsOfRules(rulesOf(settings))])];
}
