// A short fingerprint of the settings that decide which lists people are on: the lists, what
// each subscription status does, what a deletion does, and consent. The field mapping and the
// roles are left out: they never move anyone between lists. Two settings with the same
// fingerprint put every stored contact on the same lists, so "apply settings to everyone" is
// needed exactly when the fingerprint the people were synced under differs from the current one.
import { createHash } from 'node:crypto';
import { KEEP, SUBSCRIPTION_STATUSES } from './status-rules.ts';
import { rulesOf, type StoreSettings } from './store-settings.ts';

export function routingFingerprint(settings: StoreSettings): string {
  const rules = rulesOf(settings);
  const shape = {
    lists: [settings.lists.customers ?? null, settings.lists.activeSubscribers ?? null, settings.lists.lapsed ?? null],
    rules: SUBSCRIPTION_STATUSES.map((status) => {
      const rule = rules[status];
      return [status, rule === KEEP ? KEEP : [...rule].sort()];
    }),
    onCustomerDeleted: settings.onCustomerDeleted,
    consent: [settings.consent.metaKey ?? null, settings.consent.doubleOptInList ?? null],
  };
  return createHash('sha256').update(JSON.stringify(shape)).digest('hex').slice(0, 16);
}
