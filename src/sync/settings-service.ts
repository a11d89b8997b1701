// Reading and saving a store's sync settings (the admin pages call this; they add no rules of
// their own). A save is refused, with every reason named, when the shape is wrong, when a rule
// contradicts itself, or when it names a Zoho field or list the connected account does not have:
// a mistake is found while the owner is looking at the form, not at sync time.
import type { JsonObject } from '../db/rows.ts';
import type { StoreRepository } from '../db/stores.ts';
import type { CatalogAnswer, ZohoCatalog } from '../zoho/catalog.ts';
import { sourceLabel } from './field-sources.ts';
import { routingFingerprint } from './routing-fingerprint.ts';
import { parseSettingsInput } from './settings-validation.ts';
import { effectiveSettings, managedLists, type SettingsDefaults, type StoreSettings } from './store-settings.ts';

export type SettingsSaveResult = { ok: true; settings: StoreSettings } | { ok: false; problems: string[] };

export interface StoreSettingsView {
  /** What the owner saved (defaults are not written in for what they left out). */
  stored: unknown;
  /** What the sync uses: stored settings with every default filled in. */
  effective: StoreSettings;
}

export class StoreSettingsService {
  constructor(
    private readonly deps: {
      stores: StoreRepository;
      catalog: ZohoCatalog;
      defaults: SettingsDefaults;
    },
  ) {}

  async get(storeId: string): Promise<StoreSettingsView | undefined> {
    const store = await this.deps.stores.findById(storeId);
    if (!store) return undefined;
    return { stored: store.settings, effective: effectiveSettings(store.settings, this.deps.defaults) };
  }

  /** Replaces the store's settings; keys left out take their defaults. */
  async save(storeId: string, input: unknown): Promise<SettingsSaveResult> {
    const store = await this.deps.stores.findById(storeId);
    if (!store) return { ok: false, problems: [`No store "${storeId}" is set up in the bridge.`] };
    const parsed = parseSettingsInput(input);
    if (!parsed.ok) return parsed;

    const previous = effectiveSettings(store.settings, this.deps.defaults);
    const next = effectiveSettings(parsed.settings, this.deps.defaults);
    const problems = [...(await this.#fieldProblems(next, previous)), ...(await this.#listProblems(next, previous))];
    if (problems.length > 0) return { ok: false, problems };

    // People already synced keep the lists they have until the owner applies the new routing to everyone.
    await this.deps.stores.saveSettings(storeId, storable(parsed.settings, input), { before: routingFingerprint(previous), after: routingFingerprint(next) });
    return { ok: true, settings: next };
  }

  /** Every mapped Zoho field must exist, spelt exactly: contactinfo keys are display names. */
  async #fieldProblems(next: StoreSettings, previous: StoreSettings): Promise<string[]> {
    const wanted = next.fieldMapping.map((entry) => entry.zohoField);
    const unchanged = wanted.every((field) => previous.fieldMapping.some((entry) => entry.zohoField === field));
    const known = await this.deps.catalog.fieldNames();
    if (!known.ok) return unchanged ? [] : [couldNotCheck('which contact fields exist', known)];
    return next.fieldMapping
      .filter(({ zohoField }) => !known.value.includes(zohoField))
      .map(({ source, zohoField }) => {
        const sameButCase = known.value.find((name) => name.toLowerCase() === zohoField.toLowerCase());
        const hint = sameButCase
          ? ` Did you mean "${sameButCase}"? Zoho matches field names exactly.`
          : ' Create it in Zoho Campaigns first, or choose one of its fields.';
        return `fieldMapping: Zoho Campaigns has no contact field "${zohoField}" (mapped from ${sourceLabel(source)}).${hint}`;
      });
  }

  /** Every list a rule names must exist in the connected account. */
  async #listProblems(next: StoreSettings, previous: StoreSettings): Promise<string[]> {
    const wanted = managedLists(next);
    const unchanged = wanted.every((list) => managedLists(previous).includes(list));
    const known = await this.deps.catalog.mailingLists();
    if (!known.ok) return unchanged ? [] : [couldNotCheck('which mailing lists exist', known)];
    const keys = known.value.map((list) => list.key);
    return wanted.filter((list) => !keys.includes(list)).map((list) => `lists: Zoho Campaigns has no mailing list with the key "${list}".`);
  }
}

/** The validated settings, without the defaults of keys the owner left out: those keep following the defaults. */
function storable(settings: StoreSettings, input: unknown): JsonObject {
  const given = typeof input === 'object' && input !== null ? Object.keys(input) : [];
  const kept = Object.fromEntries(Object.entries(settings).filter(([key]) => given.includes(key)));
  return JSON.parse(JSON.stringify(kept)) as JsonObject;
}

function couldNotCheck(what: string, answer: Extract<CatalogAnswer<unknown>, { ok: false }>): string {
  return `Zoho Campaigns could not be asked ${what}, so the new settings were not saved: ${answer.message} Try again once Zoho is connected.`;
}
