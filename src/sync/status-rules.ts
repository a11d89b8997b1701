// Which Zoho lists each WooCommerce Subscriptions status puts a customer on. A store overrides any
// status; the others follow the simple list settings (lists.activeSubscribers, lists.lapsed).
//
// "keep" exists because taking someone off a Zoho list is a real unsubscribe (listunsubscribe):
// Zoho will not put them back without the resubscribe override, which the bridge never sends.
// A status the subscription usually comes back from (on-hold after a failed renewal) must
// therefore leave lists alone, or the first declined card would lose the subscriber for good.
import { z } from 'zod';

export const SUBSCRIPTION_STATUSES = ['pending', 'active', 'on-hold', 'pending-cancel', 'cancelled', 'switched', 'expired'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** Leave the customer's subscription lists as they are. */
export const KEEP = 'keep';

/** A status either puts the customer on exactly these lists, or keeps their lists as they are. */
export type StatusRule = typeof KEEP | string[];

export const statusRuleSchema = z.union(
  [z.literal(KEEP), z.array(z.string().trim().min(1, 'A list key cannot be empty.')).transform((lists) => [...new Set(lists)])],
  { error: 'Use "keep", or a list of Zoho list keys ([] takes the customer off the subscription lists).' },
);

/** Per-status overrides; statuses left out follow the defaults. */
export const statusListsSchema = z.partialRecord(z.enum(SUBSCRIPTION_STATUSES), statusRuleSchema).default({});

/**
 * With several subscriptions, the one furthest from ending decides: one active subscription keeps
 * the customer on the active list whatever the others say. "switched" comes last because a
 * switched subscription was replaced by another one, which carries the real status.
 */
export const STATUS_PRECEDENCE: readonly string[] = ['active', 'pending-cancel', 'on-hold', 'pending', 'cancelled', 'expired', 'switched'];

export interface RoleLists {
  activeSubscribers?: string | undefined;
  lapsed?: string | undefined;
}

export function defaultStatusRules(lists: RoleLists): Record<SubscriptionStatus, StatusRule> {
  const active = lists.activeSubscribers ? [lists.activeSubscribers] : [];
  const lapsed = lists.lapsed ? [lists.lapsed] : [];
  return {
    pending: KEEP,
    active,
    'on-hold': KEEP,
    'pending-cancel': active,
    cancelled: lapsed,
    switched: KEEP,
    expired: lapsed,
  };
}

export function statusRules(lists: RoleLists, overrides: Partial<Record<SubscriptionStatus, StatusRule>>): Record<SubscriptionStatus, StatusRule> {
  return { ...defaultStatusRules(lists), ...overrides };
}

/** The status that decides a customer's subscription lists; undefined without live subscriptions. */
export function decidingStatus(statuses: readonly string[]): string | undefined {
  // Statuses added by other plugins rank after every known one (and are treated as "keep").
  const rank = (status: string) => {
    const index = STATUS_PRECEDENCE.indexOf(status);
    return index === -1 ? STATUS_PRECEDENCE.length : index;
  };
  return [...statuses].sort((a, b) => rank(a) - rank(b))[0];
}

/** Every list some status rule can put a customer on. */
export function listsOfRules(rules: Record<SubscriptionStatus, StatusRule>): string[] {
  return [...new Set(Object.values(rules).flatMap((rule) => (rule === KEEP ? [] : rule)))];
}
