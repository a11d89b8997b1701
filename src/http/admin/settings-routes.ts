// Settings (/admin/settings): a store's lists, what each subscription status does, deletions,
// roles, consent and the field mapping. Saved through StoreSettingsService, whose refusals are
// shown next to the part of the form they are about, with what the owner typed kept.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StoreRepository } from '../../db/stores.ts';
import type { StoreSettingsService } from '../../sync/settings-service.ts';
import type { SettingsDefaults } from '../../sync/store-settings.ts';
import type { ZohoCatalog } from '../../zoho/catalog.ts';
import { availableLists, namerOf } from '../../use-cases/list-names.ts';
import { LIST_SETTINGS, settingsForm, settingsFromForm } from './settings-form.ts';
import { within } from '../../use-cases/within.ts';
import { formField, queryField } from './form.ts';
import type { RetentionPolicy } from '../../use-cases/retention.ts';
import type { OwnerOnly, WakeSyncJobs } from './route-options.ts';
import type { ApplyNotice } from '../../use-cases/apply-settings.ts';
import { renderPage, timeZoneOf } from './pages.ts';
import { timeZoneChoices } from '../../sync-log/time-zones.ts';
import { setFlash } from './session.ts';

const ZOHO_WAIT_MS = 3_000;

export interface SettingsRouteOptions extends OwnerOnly {
  storeSettings: StoreSettingsService;
  stores: Pick<StoreRepository, 'list'>;
  /** The account's lists and contact fields, to choose from. */
  catalog: ZohoCatalog;
  settingsDefaults: SettingsDefaults;
  wakeSyncJobs: WakeSyncJobs;
  /** How long personal data is kept (RETAIN_* settings), shown on the page. */
  retention: RetentionPolicy;
  /** The custom fields (meta data keys) a store's recent deliveries carried, to offer in the mapping. */
  customFieldsSeen: (storeId: string) => Promise<string[]>;
  /** Whether people keep lists from older settings (views/partials/apply-notice.eta). */
  applyNotice: (storeId: string) => Promise<ApplyNotice>;
}

export async function settingsRoutes(app: FastifyInstance, options: SettingsRouteOptions): Promise<void> {
  const { storeSettings, stores: storeList, catalog, settingsDefaults: defaults, wakeSyncJobs, retention, ownerOnly } = options;

  const page = async (request: FastifyRequest, reply: FastifyReply, input: { storeId: string; settings?: unknown; problems?: string[] }) => {
    const stores = await storeList.list();
    const store = stores.find((entry) => entry.id === input.storeId);
    if (!store) {
      return renderPage(request, reply, 'error', { title: 'No such store', message: 'That store does not exist (any more).', backTo: '/admin/settings' }, 404);
    }
    const [lists, fields, customFields] = await Promise.all([
      availableLists(catalog, ZOHO_WAIT_MS),
      within(catalog.fieldNames(), ZOHO_WAIT_MS),
      options.customFieldsSeen(store.id),
    ]);
    const namer = namerOf(lists);
    const applyNotice = await options.applyNotice(store.id);
    const form = settingsForm(input.settings ?? store.settings, defaults, namer, customFields);
    // The lists to choose from: the account's, plus any chosen key Zoho did not list (kept, named by key).
    const chosen = [...Object.values(form.lists), form.doubleOptInList, ...form.statuses.flatMap((entry) => entry.lists)].filter(Boolean);
    const listChoices = [
      ...(lists ?? []).map((list) => ({ key: list.key, name: list.name })),
      ...chosen.filter((key) => !lists?.some((list) => list.key === key)).map((key) => ({ key, name: key })),
    ];
    const problems = input.problems ?? [];
    // "fieldMapping: …" or "fieldMapping.2.source: …" goes next to that part of the form.
    const sectionOf = (problem: string) => /^(\w+)[.:]/.exec(problem)?.[1];
    const about = (section: string) =>
      problems.filter((problem) => sectionOf(problem) === section).map((problem) => problem.slice(problem.indexOf(':') + 1).trim());
    const sections = ['lists', 'statusLists', 'fieldMapping', 'consent', 'roles'];
    return renderPage(
      request,
      reply,
      'settings',
      {
        title: 'Settings',
        section: 'settings',
        store: { id: store.id, name: store.name },
        stores: stores.map((entry) => ({ id: entry.id, name: entry.name })),
        form,
        listSettings: LIST_SETTINGS,
        listOptions: [...new Map(listChoices.map((option) => [option.key, option])).values()],
        listsUnavailable: lists === undefined,
        retention,
        zohoFields: fields?.ok ? fields.value : [],
        zohoFieldsUnavailable: !fields?.ok,
        timeZones: timeZoneChoices(),
        timeZoneChosen: timeZoneOf(request) !== undefined,
        applyNotice,
        problems: {
          count: problems.length,
          other: problems.filter((problem) => !sections.includes(sectionOf(problem) ?? '')),
          lists: about('lists'),
          statusLists: about('statusLists'),
          fieldMapping: about('fieldMapping'),
          consent: about('consent'),
          roles: about('roles'),
        },
      },
      problems.length > 0 ? 400 : 200,
    );
  };

  app.get('/admin/settings', { preHandler: ownerOnly }, async (request, reply) => {
    const storeId = queryField(request.query, 'store') ?? (await storeList.list())[0]?.id ?? '';
    return page(request, reply, { storeId });
  });

  app.post('/admin/settings', { preHandler: ownerOnly }, async (request, reply) => {
    const storeId = formField(request.body, 'store');
    const settings = settingsFromForm(request.body);
    const saved = await storeSettings.save(storeId, settings);
    if (!saved.ok) return page(request, reply, { storeId, settings, problems: saved.problems });
    request.log.info({ storeId }, 'Owner saved the store settings');
    // Changes that waited for a list to be chosen can go now.
    await wakeSyncJobs().catch((error: unknown) => request.log.warn({ err: error }, 'Could not wake the waiting sync jobs'));
    setFlash(request, 'Saved. The new settings apply to each customer the next time WooCommerce sends a change about them.');
    return reply.redirect(`/admin/settings?store=${encodeURIComponent(storeId)}`, 303);
  });
}
