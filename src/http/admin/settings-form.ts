// The Settings page's form and the store settings it stands for (src/sync/store-settings.ts). The
// form only translates: every rule is checked by StoreSettingsService.save, whose refusals the
// page shows next to the form, with what the owner typed still in it.
import { customFieldChoice, type SourceChoice, sourceKeyOf, sourceLabel, STANDARD_SOURCES } from '../../sync/field-sources.ts';
import { defaultStatusRules, KEEP, SUBSCRIPTION_STATUSES, type SubscriptionStatus } from '../../sync/status-rules.ts';
import { effectiveSettings, type SettingsDefaults } from '../../sync/store-settings.ts';

/** Blank mapping rows offered under the filled ones (no script needed to add a row). */
const BLANK_ROWS = 3;

export const LIST_SETTINGS = [
  { key: 'customers', label: 'Every customer', hint: 'Everyone who registers or buys in your store.' },
  {
    key: 'activeSubscribers',
    label: 'Active subscribers',
    hint: 'Customers with a running subscription (WooCommerce Subscriptions). Leave it at None if you do not sell subscriptions.',
  },
  { key: 'lapsed', label: 'Former subscribers', hint: 'Customers whose subscriptions have all ended (cancelled or expired).' },
] as const;
type ListSetting = (typeof LIST_SETTINGS)[number]['key'];

export const STATUS_WORDS: Record<SubscriptionStatus, string> = {
  active: 'Active: paid and running',
  'pending-cancel': 'Pending cancellation: cancelled, paid until the period ends',
  'on-hold': 'On hold: usually a failed renewal payment',
  pending: 'Pending: waiting for the first payment',
  cancelled: 'Cancelled',
  expired: 'Expired: reached its end date',
  switched: 'Switched: replaced by another subscription',
};

export interface SettingsForm {
  lists: Record<ListSetting, string>;
  statuses: Array<{ status: SubscriptionStatus; words: string; mode: 'default' | 'keep' | 'lists'; lists: string[]; defaultWords: string }>;
  onCustomerDeleted: 'unsubscribe' | 'keep';
  roles: string;
  defaultRoles: string;
  consentMetaKey: string;
  doubleOptInList: string;
  /** Each row's WooCommerce value in words ("Billing phone"), and its Zoho field. */
  mapping: Array<{ source: string; zohoField: string }>;
  /** What the WooCommerce side offers: the standard values, then the custom fields. */
  sources: SourceChoice[];
}

/**
 * The form as it shows `settings` (stored, or as just submitted), defaults filled in where left
 * out. `customFields` are the meta data keys recent deliveries carried, offered for the mapping.
 */
export function settingsForm(settings: unknown, defaults: SettingsDefaults, listName: (key: string) => string, customFields: string[] = []): SettingsForm {
  const given = record(settings);
  const effective = effectiveSettings(settings, defaults);
  const overrides = record(given.statusLists);
  const defaultRules = defaultStatusRules(effective.lists);
  return {
    lists: { customers: effective.lists.customers ?? '', activeSubscribers: effective.lists.activeSubscribers ?? '', lapsed: effective.lists.lapsed ?? '' },
    statuses: SUBSCRIPTION_STATUSES.map((status) => {
      const override = overrides[status];
      const rule = defaultRules[status];
      return {
        status,
        words: STATUS_WORDS[status],
        mode: override === KEEP ? 'keep' : Array.isArray(override) ? 'lists' : 'default',
        lists: Array.isArray(override) ? override.filter((key): key is string => typeof key === 'string') : [],
        defaultWords: rule === KEEP ? 'keep lists as they are' : rule.length === 0 ? 'off the subscription lists' : `on ${rule.map(listName).join(', ')}`,
      };
    }),
    onCustomerDeleted: effective.onCustomerDeleted,
    roles: Array.isArray(given.roles) ? given.roles.join(', ') : '',
    defaultRoles: defaults.roles.join(', '),
    consentMetaKey: effective.consent.metaKey ?? '',
    doubleOptInList: effective.consent.doubleOptInList ?? '',
    mapping: [
      ...effective.fieldMapping.map((entry) => ({ source: sourceLabel(entry.source), zohoField: entry.zohoField })),
      ...Array.from({ length: BLANK_ROWS }, () => ({ source: '', zohoField: '' })),
    ],
    sources: sourceChoices(
      effective.fieldMapping.map((entry) => entry.source),
      customFields,
    ),
  };
}

/** The settings a submitted form asks for, in the shape StoreSettingsService.save takes. */
export function settingsFromForm(body: unknown): Record<string, unknown> {
  const field = (name: string) => {
    const value = record(body)[name];
    return typeof value === 'string' ? value.trim() : '';
  };
  const lists: Record<string, string> = {};
  for (const { key } of LIST_SETTINGS) if (field(`list_${key}`)) lists[key] = field(`list_${key}`);

  const statusLists: Record<string, unknown> = {};
  for (const status of SUBSCRIPTION_STATUSES) {
    const mode = field(`status_${status}`);
    if (mode === 'keep') statusLists[status] = KEEP;
    if (mode === 'lists') statusLists[status] = values(body, `status_${status}_lists`);
  }

  const sources = values(body, 'source', true);
  const zohoFields = values(body, 'zohoField', true);
  // A source arrives in words ("Billing phone"), as a key, or as a custom field typed by hand.
  const fieldMapping = sources
    .map((source, index) => ({ source: source === '' ? '' : sourceKeyOf(source), zohoField: zohoFields[index] ?? '' }))
    .filter((row) => row.source !== '' || row.zohoField !== '');

  const roles = field('roles')
    .split(',')
    .map((role) => role.trim())
    .filter(Boolean);
  const consent: Record<string, string> = {};
  if (field('consent_metaKey')) consent.metaKey = field('consent_metaKey');
  if (field('consent_doubleOptInList')) consent.doubleOptInList = field('consent_doubleOptInList');
  return {
    lists,
    statusLists,
    onCustomerDeleted: field('onCustomerDeleted') === 'keep' ? 'keep' : 'unsubscribe',
    fieldMapping,
    ...(roles.length > 0 ? { roles } : {}),
    consent,
  };
}

/** The standard values, then every custom field seen or already mapped, each once. */
function sourceChoices(mapped: string[], customFields: string[]): SourceChoice[] {
  const custom = [...mapped.filter((key) => key.startsWith('meta:')).map((key) => key.slice('meta:'.length)), ...customFields];
  return [...STANDARD_SOURCES, ...[...new Set(custom)].map(customFieldChoice)];
}

/** A repeated form field as a list (one value arrives as a string, several as an array). */
function values(body: unknown, name: string, keepBlank = false): string[] {
  const value = record(body)[name];
  const all = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const texts = all.map((entry) => (typeof entry === 'string' ? entry.trim() : ''));
  return keepBlank ? texts : texts.filter(Boolean);
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}
