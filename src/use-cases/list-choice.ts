// Which Zoho lists a store fills: read from and written into the store's settings JSON
// (src/sync/store-settings.ts owns its shape; only `lists` is touched here, everything else in the
// stored value is kept as it is).
import type { StoreRepository } from '../db/stores.ts';
import { effectiveSettings, storeSettingsSchema, type SettingsDefaults } from '../sync/store-settings.ts';
import type { MailingList } from '../zoho/mailing-lists.ts';

export const LIST_ROLES = [
  { key: 'customers', label: 'Every customer', hint: 'Everyone who registers or buys in your store.' },
  {
    key: 'activeSubscribers',
    label: 'Active subscribers',
    hint: 'Customers with an active subscription (WooCommerce Subscriptions). Leave it empty if you do not sell subscriptions.',
  },
  { key: 'lapsed', label: 'Former subscribers', hint: 'Customers whose subscriptions were cancelled or have expired.' },
] as const;

export type ListRole = (typeof LIST_ROLES)[number]['key'];
export type ListChoice = Partial<Record<ListRole, string>>;

/** The lists a store fills now, with ZOHO_LIST_KEY standing in for an unset "every customer". */
export function chosenLists(storedSettings: unknown, defaults: SettingsDefaults): ListChoice {
  const settings = effectiveSettings(storedSettings, defaults);
  return { customers: settings.lists.customers, activeSubscribers: settings.lists.activeSubscribers, lapsed: settings.lists.lapsed };
}

export type SaveResult = { ok: true; choice: ListChoice } | { ok: false; message: string };

/** Saves the choice after checking every key is one of the account's lists. */
export async function saveListChoice(
  stores: StoreRepository,
  storeId: string,
  submitted: Record<ListRole, string>,
  available: MailingList[],
): Promise<SaveResult> {
  const store = await stores.findById(storeId);
  if (!store) return { ok: false, message: 'That store does not exist (any more).' };
  const known = new Set(available.map((list) => list.key));
  const choice: ListChoice = {};
  for (const { key, label } of LIST_ROLES) {
    const value = submitted[key].trim();
    if (value === '') continue;
    if (!known.has(value))
      return { ok: false, message: `The list chosen for "${label}" is not in your Zoho account (any more). Reload the page and choose again.` };
    choice[key] = value;
  }
  if (!choice.customers && !choice.activeSubscribers && !choice.lapsed) {
    return { ok: false, message: 'Choose at least one list: until then changes from your store wait and nothing reaches Zoho.' };
  }
  const stored = isObject(store.settings) ? store.settings : {};
  // Other keys under `lists` (added by later settings) stay; the three roles are replaced.
  const otherLists = Object.entries(isObject(stored.lists) ? stored.lists : {}).filter(([key]) => !LIST_ROLES.some((role) => role.key === key));
  const next = { ...stored, lists: { ...Object.fromEntries(otherLists), ...choice } };
  const check = storeSettingsSchema.safeParse(next);
  if (!check.success) return { ok: false, message: `These settings cannot be saved: ${check.error.issues[0]?.message ?? 'invalid'}` };
  await stores.updateSettings(storeId, next);
  return { ok: true, choice };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
