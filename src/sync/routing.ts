// Decides which managed Zoho lists a contact belongs on, from their WooCommerce state and the
// store's rules. Pure: no I/O, so every status transition is tested directly.
import type { StoreSettings } from './store-settings.ts';

export interface RoutingContact {
  deleted: boolean;
  /** Lists on which Zoho reports the person unsubscribed: never re-added automatically. */
  zohoUnsubscribedLists: readonly string[];
  /** Lists the bridge has them on now (kept as they are when deletion is set to "keep"). */
  syncedLists: readonly string[];
}

export interface RoutingSubscription {
  status: string;
  deleted: boolean;
}

const ACTIVE_STATUSES = new Set(['active', 'pending-cancel']);
const LAPSED_STATUSES = new Set(['cancelled', 'expired']);

export function desiredLists(
  contact: RoutingContact,
  subscriptions: readonly RoutingSubscription[],
  settings: StoreSettings,
): string[] {
  if (contact.deleted) return settings.onCustomerDeleted === 'keep' ? [...contact.syncedLists] : [];
  const { customers, activeSubscribers, lapsed } = settings.lists;
  const live = subscriptions.filter((subscription) => !subscription.deleted);
  // One active subscription is enough to stay on the active list, whatever the others say.
  const anyActive = live.some((subscription) => ACTIVE_STATUSES.has(subscription.status));
  const anyLapsed = live.some((subscription) => LAPSED_STATUSES.has(subscription.status));

  const lists = new Set<string>();
  if (customers) lists.add(customers);
  if (activeSubscribers && anyActive) lists.add(activeSubscribers);
  if (lapsed && !anyActive && anyLapsed) lists.add(lapsed);
  for (const list of contact.zohoUnsubscribedLists) lists.delete(list);
  return [...lists];
}
