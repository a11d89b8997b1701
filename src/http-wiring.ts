// Which use cases each HTTP route plugin receives: the composition root's half of src/app.ts.
// Routes never see Services, only what is handed to them here.
import type { FastifyInstance } from 'fastify';
import { apiTokenRoutes } from './http/admin/api-token-routes.ts';
import { applySettingsRoutes } from './http/admin/apply-settings-routes.ts';
import { contactRoutes } from './http/admin/contact-routes.ts';
import { eventRoutes } from './http/admin/event-routes.ts';
import { exportRoutes } from './http/admin/export-routes.ts';
import { liveRoutes } from './http/admin/live-routes.ts';
import { timeZoneRoutes } from './http/admin/time-zone-routes.ts';
import { formatIn } from './sync-log/time-zones.ts';
import { notificationsRoutes } from './http/admin/notifications-routes.ts';
import type { OwnerPagesOptions } from './http/admin/index.ts';
import { OAuthStates } from './http/admin/oauth-state.ts';
import { overviewRoutes } from './http/admin/overview-routes.ts';
import { passwordRoutes } from './http/admin/password-routes.ts';
import { refusedRoutes } from './http/admin/refused-routes.ts';
import type { OwnerOnly } from './http/admin/route-options.ts';
import { settingsRoutes } from './http/admin/settings-routes.ts';
import { storesRoutes } from './http/admin/stores-routes.ts';
import { setupRoutes } from './http/admin/setup-routes.ts';
import { chosenLists } from './use-cases/list-choice.ts';
import { listNamer } from './use-cases/list-names.ts';
import type { Store } from './db/rows.ts';
import { setupChecklist } from './use-cases/setup-checklist.ts';
import { customFieldsSeen } from './use-cases/custom-fields-seen.ts';
import { syncLogRoutes } from './http/admin/sync-log-routes.ts';
import { zohoConnectionRoutes } from './http/admin/zoho-connection-routes.ts';
import { CALLBACK_PATH, zohoOAuthRoutes } from './http/admin/zoho-oauth-routes.ts';
import type { JsonApiOptions } from './http/api/index.ts';
import type { Services } from './services.ts';

export function ownerPagesOptions(services: Services): OwnerPagesOptions {
  const { config } = services;
  return {
    owner: services.owner,
    apiTokens: services.apiTokens,
    secrets: services.secrets,
    publicUrl: config.publicUrl,
    sessionMaxMs: config.owner.sessionMaxMs,
    redis: services.redis,
    redisPrefix: config.redisPrefix,
    production: config.env === 'production',
    pages: (app, guard) => registerOwnerPages(app, guard, services),
  };
}

async function registerOwnerPages(app: FastifyInstance, guard: OwnerOnly, services: Services): Promise<void> {
  const { config, repositories, zoho, syncLog, eventActions, settingsDefaults, wakeSyncJobs } = services;
  const stores = repositories.stores;
  // The first-run checklist, on the overview and at /admin/start.
  const checklist = (store: Store) =>
    setupChecklist(
      {
        stores,
        checks: repositories.webhookChecks,
        events: repositories.events,
        importStore: services.setup.importStore,
        zoho: async () => {
          const status = await zoho.connector.status();
          return { connected: status.state === 'connected', clientConfigured: status.clientConfigured };
        },
        listsChosen: (chosen) => Object.values(chosenLists(chosen.settings, settingsDefaults)).some(Boolean),
      },
      store,
    );
  await app.register(overviewRoutes, {
    checklist,
    ...guard,
    connector: zoho.connector,
    health: services.bridgeHealth,
    stores,
    events: repositories.events,
    settingsDefaults,
    publicUrl: config.publicUrl,
    incidents: services.alerts.incidents,
    trend: services.overviewTrend,
    zohoRedirectUri: `${config.publicUrl}${CALLBACK_PATH}`,
  });
  await app.register(zohoConnectionRoutes, { ...guard, connector: zoho.connector, stores, settingsDefaults, wakeSyncJobs, log: services.log });
  await app.register(zohoOAuthRoutes, {
    ...guard,
    connector: zoho.connector,
    states: new OAuthStates(services.redis, config.redisPrefix),
    publicUrl: config.publicUrl,
    zoho: config.zoho,
  });
  await app.register(liveRoutes, {
    ...guard,
    eventRows: (ids) => syncLog.rowsWithIds(ids),
    health: async () => services.bridgeHealth.read((await stores.list()).map((store) => store.id)),
  });
  await app.register(exportRoutes, { ...guard, syncLogCsv: (filter) => syncLog.csv(filter, (date) => formatIn(filter.timeZone, date)) });
  await app.register(timeZoneRoutes, { ...guard, chooseTimeZone: (zone) => services.owner.chooseTimeZone(zone) });
  await app.register(syncLogRoutes, { ...guard, syncLog, eventActions, stores });
  await app.register(eventRoutes, { ...guard, syncLog, eventActions, stores });
  await app.register(contactRoutes, {
    ...guard,
    syncLog,
    stores,
    forgetPerson: services.forgetPerson,
    listNamer: () => listNamer(zoho.catalog),
    syncContactNow: services.syncContactNow,
  });
  await app.register(refusedRoutes, { ...guard, rejections: repositories.rejections, stores });
  await app.register(settingsRoutes, {
    ...guard,
    storeSettings: services.storeSettings,
    stores,
    catalog: zoho.catalog,
    settingsDefaults,
    wakeSyncJobs,
    retention: services.config.retention,
    customFieldsSeen: (storeId) => customFieldsSeen(repositories.events, storeId),
    applyNotice: (storeId) => services.applySettings.notice(storeId),
  });
  await app.register(applySettingsRoutes, { ...guard, applySettings: services.applySettings, stores, listNames: () => listNamer(zoho.catalog) });
  await app.register(storesRoutes, { ...guard, storeAdmin: services.storeAdmin });
  await app.register(setupRoutes, {
    ...guard,
    stores,
    ...services.setup,
    checklist,
    mailingLists: async () => {
      const answer = await zoho.connector.mailingLists();
      return answer.ok ? answer.lists : [];
    },
  });
  await app.register(notificationsRoutes, { ...guard, notifications: services.alerts.notifications });
  await app.register(apiTokenRoutes, { ...guard, apiTokens: services.apiTokens, publicUrl: config.publicUrl });
  await app.register(passwordRoutes, { ...guard, owner: services.owner, apiTokens: services.apiTokens, fromSettings: config.adminPassword !== undefined });
}

export function jsonApiOptions(services: Services): JsonApiOptions {
  return {
    apiTokens: services.apiTokens,
    publicUrl: services.config.publicUrl,
    syncLog: services.syncLog,
    eventActions: services.eventActions,
    syncContactNow: services.syncContactNow,
    health: services.bridgeHealth,
    connector: services.zoho.connector,
    stores: services.repositories.stores,
    forgetPerson: services.forgetPerson,
  };
}
