// Decides which managed Zoho lists a contact belongs on, from their WooCommerce state and the
// store's rules. Pure: no I/O, so every status transition is tested directly.
import type { Consent } from './consent.ts';
import { decidingStatus, KEEP, listsOfRules } from './status-rules.ts';
import { rulesOf, type StoreSettings } from './store-settings.ts';

export interface RoutingContact {
  deleted: boolean;
  /** A guest whose subscriptions moved to a new billing email: the old address leaves every list. */
  retired: boolean;
  consent: Consent;
  /** Lists on which Zoho reports the person unsubscribed: never re-added automatically. */
  zohoUnsubscribedLists: readonly string[];
  /** Managed lists the bridge has them on now (what "keep" keeps). */
  syncedLists: readonly string[];
}

export interface RoutingSubscription {
  status: string;
  deleted: boolean;
}

export function desiredLists(contact: RoutingContact, subscriptions: readonly RoutingSubscription[], settings: StoreSettings): string[] {
  const lists = listsBeforeOptOuts(contact, subscriptions, settings);
  return [...new Set(lists)].filter((list) => !contact.zohoUnsubscribedLists.includes(list));
}

function listsBeforeOptOuts(contact: RoutingContact, subscriptions: readonly RoutingSubscription[], settings: StoreSettings): string[] {
  if (contact.retired) return [];
  if (contact.deleted) return settings.onCustomerDeleted === 'keep' ? [...contact.syncedLists] : [];
  const doubleOptIn = settings.consent.doubleOptInList;
  if (contact.consent === 'refused') return [];
  // No answer: the bridge adds them nowhere directly; Zoho may ask them on the double opt-in list.
  if (contact.consent === 'unknown') return doubleOptIn ? [doubleOptIn] : [];

  const lists: string[] = [];
  if (settings.lists.customers) lists.push(settings.lists.customers);
  lists.push(...subscriptionLists(contact, subscriptions, settings));
  // Someone who was asked on the double opt-in list and later agreed stays on it.
  if (doubleOptIn && contact.syncedLists.includes(doubleOptIn)) lists.push(doubleOptIn);
  return lists;
}

function subscriptionLists(contact: RoutingContact, subscriptions: readonly RoutingSubscription[], settings: StoreSettings): string[] {
  const live = subscriptions.filter((subscription) => !subscription.deleted);
  const status = decidingStatus(live.map((subscription) => subscription.status));
  if (status === undefined) return [];
  const rules = rulesOf(settings);
  const rule = (rules as Record<string, (typeof rules)[keyof typeof rules]>)[status] ?? KEEP;
  if (rule !== KEEP) return rule;
  // "keep": the subscription lists they are on now, and no others.
  const ruleLists = listsOfRules(rules);
  return contact.syncedLists.filter((list) => ruleLists.includes(list));
}
