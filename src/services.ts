// The composition root's parts: builds every long-lived dependency and use case once per process
// from the Config, and closes them in reverse order. Only the other root files (app.ts,
// http-wiring.ts, worker.ts, startup.ts, main.ts, cli/context.ts) read it; each hands a route
// plugin, processor or CLI command the few use cases it needs.
import type { FastifyBaseLogger } from 'fastify';
import type { RedisClient } from './redis/connection.ts';
import type { Config } from './config.ts';
import { createAlerts, type Alerts } from './alerts/index.ts';
import { INCIDENT_KINDS } from './alerts/incident.ts';
import { AlertIncidentRepository } from './db/alert-incidents.ts';
import { AlertSettingsRepository } from './db/alert-settings.ts';
import { SecretBox } from './crypto/secret-box.ts';
import { AdminAccountRepository } from './db/admin-account.ts';
import { ApiTokenRepository } from './db/api-tokens.ts';
import { BackfillRunRepository } from './db/backfill-runs.ts';
import { forgetPerson, type ForgetOptions, type ForgetReport } from './use-cases/forget-person.ts';
import { BulkAdditionRepository } from './db/bulk-additions.ts';
import { createDatabase, type Db } from './db/client.ts';
import type pg from 'pg';
import { ContactLocks } from './db/contact-locks.ts';
import { ContactRepository } from './db/contacts.ts';
import { EventRepository } from './db/events.ts';
import { ListSizeRepository } from './db/list-sizes.ts';
import { OwnerSessionRepository } from './db/owner-sessions.ts';
import { OwnerSetupCodeRepository } from './db/owner-setup-codes.ts';
import { RejectionRepository } from './db/rejections.ts';
import { SettingsApplyRepository } from './db/settings-applies.ts';
import { StoreRepository } from './db/stores.ts';
import { SubscriptionRepository } from './db/subscriptions.ts';
import { SyncAttemptRepository } from './db/sync-attempts.ts';
import { Transactions } from './db/transaction.ts';
import { WebhookCheckRepository } from './db/webhook-checks.ts';
import { ZohoConnectionRepository } from './db/zoho-connection.ts';
import { InstallationRepository } from './db/installation.ts';
import { EventEnqueuer } from './queue/enqueue-events.ts';
import { InstallationIdentity } from './queue/installation.ts';
import { createSyncQueue, type SyncQueue } from './queue/sync-queue.ts';
import { EventActions } from './use-cases/event-actions.ts';
import { OwnerAccount } from './access/owner-account.ts';
import { OwnerSessions } from './access/owner-sessions.ts';
import { SyncLogReader } from './sync-log/reader.ts';
import { ApiTokens } from './access/api-tokens.ts';
import { BridgeHealthReader } from './use-cases/bridge-health.ts';
import { listNamer } from './use-cases/list-names.ts';
import { ListSizeRecorder } from './use-cases/list-sizes.ts';
import { OverviewTrendReader } from './use-cases/overview-trend.ts';
import { readiness, type ReadinessReport } from './use-cases/readiness.ts';
import { StoreAdmin } from './use-cases/store-admin.ts';
import { collectSharedGauges, registry } from './metrics.ts';
import type { SettingsDefaults } from './sync/store-settings.ts';
import { createImportQueue, type ImportQueue } from './queue/import-queue.ts';
import { createSettingsApplyQueue, type SettingsApplyQueue } from './queue/settings-apply-queue.ts';
import { ApplySettings } from './use-cases/apply-settings.ts';
import { SyncContactNow } from './use-cases/sync-contact-now.ts';
import { ConnectStore } from './use-cases/connect-store.ts';
import { ImportStore } from './use-cases/import-store.ts';
import { SetUpWebhooks } from './use-cases/set-up-webhooks.ts';
import { createRedis, logRedisErrors } from './redis/connection.ts';
import { EventAbsorber } from './sync/absorb-events.ts';
import { StoreSettingsService } from './sync/settings-service.ts';
import { SyncService } from './sync/sync-event.ts';
import { ZohoUnsubscribeReconciler } from './sync/zoho-unsubscribes.ts';
import { ZohoAccountsClient } from './zoho/accounts-client.ts';
import { ZohoCampaignsClient } from './zoho/campaigns-client.ts';
import { CampaignsGateway } from './zoho/campaigns-gateway.ts';
import { ZohoCatalog } from './zoho/catalog.ts';
import { ZohoConnector } from './zoho/connector.ts';
import { createWooHttp } from './woocommerce/rest-client.ts';
import { WebhookWatch } from './woocommerce/webhook-watch.ts';
import { createZohoHttp } from './zoho/http.ts';
import { quotasWith, ZohoQuota } from './zoho/quota.ts';
import { TokenSource } from './zoho/token-source.ts';

export interface Services {
  config: Config;
  log: FastifyBaseLogger;
  db: Db;
  /** The pg pool under `db`, for what Prisma cannot express (advisory locks). */
  pool: pg.Pool;
  /** The connection deliveries are stored on (src/db/event-batch-writer.ts). */
  deliveryPool: pg.Pool;
  /** Fails fast when Redis is down (web requests); workers open their own blocking connections. */
  redis: RedisClient;
  secrets: SecretBox;
  syncQueue: SyncQueue;
  /** This database's installation id, carried by every job, and its claim on REDIS_PREFIX. */
  installation: InstallationIdentity;
  enqueuer: EventEnqueuer;
  repositories: {
    stores: StoreRepository;
    events: EventRepository;
    rejections: RejectionRepository;
    contacts: ContactRepository;
    subscriptions: SubscriptionRepository;
    attempts: SyncAttemptRepository;
    zohoConnection: ZohoConnectionRepository;
    adminAccount: AdminAccountRepository;
    backfillRuns: BackfillRunRepository;
    bulkAdditions: BulkAdditionRepository;
    webhookChecks: WebhookCheckRepository;
    apiTokens: ApiTokenRepository;
    listSizes: ListSizeRepository;
    settingsApplies: SettingsApplyRepository;
  };
  /** The sync log as the owner reads it (pages and the JSON API). */
  syncLog: SyncLogReader;
  /** The overview's numbers. */
  bridgeHealth: BridgeHealthReader;
  /** The owner's Stores page: adding stores, new webhook secrets. */
  storeAdmin: StoreAdmin;
  apiTokens: ApiTokens;
  /** Whether the bridge can take deliveries (/readyz, `status`). */
  readiness: () => Promise<ReadinessReport>;
  /** Every metric in Prometheus' text format. */
  renderMetrics: () => Promise<string>;
  /** ZOHO_LIST_KEY and CUSTOMER_ROLES: what a store's settings fall back to. */
  settingsDefaults: SettingsDefaults;
  /** Lets sync jobs waiting for Zoho (or for a list) go again. */
  wakeSyncJobs: () => Promise<unknown>;
  /** Retrying and discarding failed events. */
  eventActions: EventActions;
  /** The owner's "Sync this customer now". */
  syncContactNow: SyncContactNow;
  /** "Apply settings to everyone": its preview, the paced run, and the Settings page's notice. */
  applySettings: ApplySettings;
  settingsApplyQueue: SettingsApplyQueue;
  /** The store owner's dashboard sign-in. */
  owner: OwnerAccount;
  zoho: {
    accounts: ZohoAccountsClient;
    campaigns: ZohoCampaignsClient;
    tokens: TokenSource;
    quota: ZohoQuota;
    gateway: CampaignsGateway;
    /** Connecting (browser flow, CLI), disconnecting and the connection's status. */
    connector: ZohoConnector;
    /** The account's contact fields and lists, cached (for checking settings). */
    catalog: ZohoCatalog;
  };
  sync: SyncService;
  /** Reading and saving a store's routing rules, field mapping and consent gate. */
  storeSettings: StoreSettingsService;
  /** The scheduled check of who unsubscribed in Zoho. */
  zohoUnsubscribes: ZohoUnsubscribeReconciler;
  /** Erasure: removes everything about one email address (src/use-cases/forget-person.ts). */
  forgetPerson(email: string, options: ForgetOptions): Promise<ForgetReport>;
  /** The hourly count of the managed Zoho lists, for the overview's charts. */
  listSizes: ListSizeRecorder;
  /** The overview's last 30 days: changes per day and the lists' sizes. */
  overviewTrend: OverviewTrendReader;
  /** The scheduled check that WooCommerce has not disabled the bridge's webhooks. */
  webhookWatch: WebhookWatch;
  /** Incidents, the alert outbox and the Notifications page (docs/alerts.md). */
  alerts: Alerts;
  importQueue: ImportQueue;
  /** What the owner does to set a store up: connect it, create its webhooks, import its people. */
  setup: { connectStore: ConnectStore; setUpWebhooks: SetUpWebhooks; importStore: ImportStore };
  close(): Promise<void>;
}

export function createServices(config: Config, encryptionKey: string, log: FastifyBaseLogger): Services {
  // Each worker slot may hold one connection for a contact lock and use another to write.
  const database = createDatabase(config.databaseUrl, { poolSize: config.worker.concurrency * 2 + 6 });
  const { db, pool, deliveryPool } = database;
  const redis = createRedis({ url: config.redisUrl, clusterNodes: config.redisClusterNodes }, 'producer');
  const secrets = new SecretBox(encryptionKey, config.previousEncryptionKeys);
  const syncQueue = createSyncQueue(redis, config.redisPrefix);
  logRedisErrors(syncQueue, log, 'producer');

  const repositories = {
    stores: new StoreRepository(db, secrets),
    events: new EventRepository(db, deliveryPool),
    rejections: new RejectionRepository(db, { keptPerStore: config.refusals.keptPerStore, keptWithoutStore: config.refusals.keptWithoutStore }),
    contacts: new ContactRepository(db),
    subscriptions: new SubscriptionRepository(db),
    attempts: new SyncAttemptRepository(db),
    zohoConnection: new ZohoConnectionRepository(db, secrets),
    adminAccount: new AdminAccountRepository(db),
    backfillRuns: new BackfillRunRepository(db),
    bulkAdditions: new BulkAdditionRepository(db),
    webhookChecks: new WebhookCheckRepository(db),
    apiTokens: new ApiTokenRepository(db),
    listSizes: new ListSizeRepository(db),
    settingsApplies: new SettingsApplyRepository(db),
  };
  const http = createZohoHttp(config.zoho.timeoutMs);
  const accounts = new ZohoAccountsClient(http);
  const campaigns = new ZohoCampaignsClient(http);
  const credentials = config.zoho.clientId && config.zoho.clientSecret ? { clientId: config.zoho.clientId, clientSecret: config.zoho.clientSecret } : undefined;
  const tokens = new TokenSource(repositories.zohoConnection, accounts, redis, { credentials, redisPrefix: config.redisPrefix });
  const quota = new ZohoQuota(redis, config.redisPrefix, quotasWith(config.zoho.quotaLimits));
  const gateway = new CampaignsGateway(campaigns, tokens, quota, repositories.zohoConnection);
  const catalog = new ZohoCatalog(gateway, redis, config.redisPrefix);
  const connector = new ZohoConnector({
    connections: repositories.zohoConnection,
    accounts,
    tokens,
    gateway,
    credentials,
    hosts: config.zoho,
    resumeWaitingJobs: () => syncQueue.removeRateLimitKey().then(() => undefined),
    forgetAccountData: () => catalog.forget(),
    log,
  });
  const installation = new InstallationIdentity(new InstallationRepository(db), redis, config.redisPrefix);
  const enqueuer = new EventEnqueuer(syncQueue, config.worker.attempts, redis, installation);
  const settingsDefaults = { customersList: config.zoho.listKey, roles: config.customerRoles };
  const sync = new SyncService({
    contactLocks: new ContactLocks(db),
    ...repositories,
    attempts: repositories.attempts,
    absorber: new EventAbsorber(repositories.contacts, repositories.subscriptions),
    gateway,
    defaults: settingsDefaults,
  });
  const storeSettings = new StoreSettingsService({ stores: repositories.stores, catalog, defaults: settingsDefaults });
  const zohoUnsubscribes = new ZohoUnsubscribeReconciler({
    stores: repositories.stores,
    contacts: repositories.contacts,
    gateway,
    redis,
    redisPrefix: config.redisPrefix,
    defaults: settingsDefaults,
    log,
  });

  const alerts = createAlerts({
    config,
    incidents: new AlertIncidentRepository(db),
    settings: new AlertSettingsRepository(db, secrets),
    redis,
    log,
    sources: { ...repositories, quota },
  });
  const wooHttp = createWooHttp(15_000);
  const webhookWatch = new WebhookWatch({
    stores: repositories.stores,
    checks: repositories.webhookChecks,
    publicUrl: config.publicUrl,
    http: createWooHttp(10_000),
    log,
  });
  const bulkPhaseDependencies = {
    gateway,
    contacts: repositories.contacts,
    attempts: repositories.attempts,
    additions: repositories.bulkAdditions,
    runs: repositories.backfillRuns,
    events: repositories.events,
    defaults: settingsDefaults,
  };
  const importQueue = createImportQueue(redis, config.redisPrefix);
  logRedisErrors(importQueue, log, 'producer');
  const settingsApplyQueue = createSettingsApplyQueue(redis, config.redisPrefix);
  logRedisErrors(settingsApplyQueue, log, 'producer');
  const setup = {
    connectStore: new ConnectStore({ stores: repositories.stores, http: wooHttp }),
    setUpWebhooks: new SetUpWebhooks({ stores: repositories.stores, watch: webhookWatch, http: wooHttp, publicUrl: config.publicUrl }),
    importStore: new ImportStore({
      runs: repositories.backfillRuns,
      events: repositories.events,
      stores: repositories.stores,
      contacts: repositories.contacts,
      defaults: settingsDefaults,
      http: wooHttp,
      importQueue,
      syncQueue,
      backfill: {
        runs: repositories.backfillRuns,
        events: repositories.events,
        queue: syncQueue,
        enqueuer,
        redis,
        redisPrefix: config.redisPrefix,
        attempts: config.worker.attempts,
        bulk: bulkPhaseDependencies,
      },
    }),
  };

  const listSizes = new ListSizeRecorder({
    stores: repositories.stores,
    sizes: repositories.listSizes,
    mailingLists: () => catalog.mailingLists(),
    timeZone: () => repositories.adminAccount.get().then((account) => account?.timeZone ?? undefined),
    defaults: settingsDefaults,
  });

  return {
    config,
    log,
    db,
    pool,
    deliveryPool,
    redis,
    secrets,
    syncQueue,
    installation,
    enqueuer,
    repositories,
    syncLog: new SyncLogReader(repositories, () => listNamer(catalog)),
    bridgeHealth: new BridgeHealthReader({ ...repositories, checks: repositories.webhookChecks, queue: syncQueue, quota }),
    storeAdmin: new StoreAdmin({ stores: repositories.stores, checks: repositories.webhookChecks, config }),
    apiTokens: new ApiTokens(repositories.apiTokens),
    readiness: () => readiness({ pingPostgres: () => db.$queryRaw`SELECT 1`, pingRedis: () => redis.ping(), connections: repositories.zohoConnection, quota }),
    renderMetrics: async () => {
      await collectSharedGauges({
        syncQueue,
        events: repositories.events,
        incidents: { kinds: INCIDENT_KINDS, countOpenByKind: () => alerts.incidents.countOpenByKind() },
      });
      return registry.metrics();
    },
    settingsDefaults,
    wakeSyncJobs: () => syncQueue.removeRateLimitKey(),
    eventActions: new EventActions({ ...repositories, enqueuer }),
    syncContactNow: new SyncContactNow({ ...repositories, enqueuer }),
    applySettings: new ApplySettings({
      ...repositories,
      runs: repositories.settingsApplies,
      enqueuer,
      syncQueue,
      applyQueue: settingsApplyQueue,
      redis,
      redisPrefix: config.redisPrefix,
      attempts: config.worker.attempts,
      defaults: settingsDefaults,
    }),
    settingsApplyQueue,
    owner: new OwnerAccount(
      new Transactions(db),
      repositories.adminAccount,
      new OwnerSetupCodeRepository(db),
      new OwnerSessions(new OwnerSessionRepository(db), { idleMs: config.owner.sessionIdleMs, maxMs: config.owner.sessionMaxMs }),
    ),
    zoho: { accounts, campaigns, tokens, quota, gateway, connector, catalog },
    sync,
    storeSettings,
    zohoUnsubscribes,
    forgetPerson: (email, options) => forgetPerson({ ...repositories, gateway }, email, options),
    listSizes,
    overviewTrend: new OverviewTrendReader({
      events: repositories.events,
      sizes: repositories.listSizes,
      managedListKeys: () => listSizes.managedListKeys(),
    }),
    alerts,
    webhookWatch,
    importQueue,
    setup,
    async close() {
      await syncQueue.close().catch(() => undefined);
      await importQueue.close().catch(() => undefined);
      await settingsApplyQueue.close().catch(() => undefined);
      redis.disconnect();
      await database.close();
    },
  };
}
