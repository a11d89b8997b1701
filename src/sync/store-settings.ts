// Per-store sync settings: which Zoho lists people join and which fields are sent. Stored as JSON
// on the store and always read through this schema, so an old or partial value gets defaults.
import { z } from 'zod';

export const SUBSCRIPTION_STATUSES = ['pending', 'active', 'on-hold', 'pending-cancel', 'cancelled', 'switched', 'expired'] as const;

const listKey = z.string().trim().min(1);

export const fieldMappingEntry = z.object({
  /** Where the value comes from: "first_name", "billing.phone", "shipping.city", "meta:<key>". */
  source: z.string().trim().min(1),
  /** The Zoho field's display name, e.g. "Phone" (zoho.md §4.7). */
  zohoField: z.string().trim().min(1),
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

export const storeSettingsSchema = z.object({
  lists: z
    .object({
      /** Every customer joins this list. */
      customers: listKey.optional(),
      /** Customers with an active (or pending-cancel) subscription. */
      activeSubscribers: listKey.optional(),
      /** Customers whose subscriptions all ended (cancelled or expired). */
      lapsed: listKey.optional(),
    })
    .default({}),
  /** What a WooCommerce customer deletion does: take them off the managed lists, or nothing. */
  onCustomerDeleted: z.enum(['unsubscribe', 'keep']).default('unsubscribe'),
  fieldMapping: z.array(fieldMappingEntry).default(DEFAULT_FIELD_MAPPING),
  /** WordPress roles whose customer events are synced; empty = the bridge-wide default. */
  roles: z.array(z.string().trim().min(1)).default([]),
});
export type StoreSettings = z.infer<typeof storeSettingsSchema>;

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
    lists: { ...settings.lists, customers: settings.lists.customers ?? defaults.customersList },
    roles: settings.roles.length > 0 ? settings.roles : [...defaults.roles],
  };
}

export function managedLists(settings: StoreSettings): string[] {
  return [settings.lists.customers, settings.lists.activeSubscribers, settings.lists.lapsed].filter(
    (list): list is string => Boolean(list),
  );
}
