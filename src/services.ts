// Builds every long-lived dependency once per process from the Config, and closes them in
// reverse order. Routes, processors and CLI commands receive what they need from here.
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Queue } from 'bullmq';
import type { Config } from './config.ts';
import { SecretBox } from './crypto/secret-box.ts';
import { createPrismaClient, type Db } from './db/client.ts';
import { ContactRepository } from './db/contacts.ts';
import { EventRepository } from './db/events.ts';
import { RejectionRepository } from './db/rejections.ts';
import { StoreRepository } from './db/stores.ts';
import { SubscriptionRepository } from './db/subscriptions.ts';
import { SyncAttemptRepository } from './db/sync-attempts.ts';
import { ZohoConnectionRepository } from './db/zoho-connection.ts';
import { EventEnqueuer } from './jobs/enqueue-events.ts';
import { createSyncQueue, type SyncJobData } from './jobs/sync-queue.ts';
import { createRedis } from './redis/connection.ts';
import { EventAbsorber } from './sync/absorb-events.ts';
import { SyncService } from './sync/sync-event.ts';
import { ZohoAccountsClient } from './zoho/accounts-client.ts';
import { ZohoCampaignsClient } from './zoho/campaigns-client.ts';
import { CampaignsGateway } from './zoho/campaigns-gateway.ts';
import { createZohoHttp } from './zoho/http.ts';
import { ZohoQuota } from './zoho/quota.ts';
import { TokenSource } from './zoho/token-source.ts';

export interface Services {
  config: Config;
  log: FastifyBaseLogger;
  db: Db;
  /** Fails fast when Redis is down (web requests); workers open their own blocking connections. */
  redis: Redis;
  secrets: SecretBox;
  syncQueue: Queue<SyncJobData>;
  enqueuer: EventEnqueuer;
  repositories: {
    stores: StoreRepository;
    events: EventRepository;
    rejections: RejectionRepository;
    contacts: ContactRepository;
    subscriptions: SubscriptionRepository;
    attempts: SyncAttemptRepository;
    zohoConnection: ZohoConnectionRepository;
  };
  zoho: {
    accounts: ZohoAccountsClient;
    campaigns: ZohoCampaignsClient;
    tokens: TokenSource;
    quota: ZohoQuota;
    gateway: CampaignsGateway;
  };
  sync: SyncService;
  close(): Promise<void>;
}

export function createServices(config: Config, encryptionKey: string, log: FastifyBaseLogger): Services {
  // Each worker slot may hold one connection for a contact lock and use another to write.
  const db = createPrismaClient(config.databaseUrl, { poolSize: config.worker.concurrency * 2 + 6 });
  const redis = createRedis(config.redisUrl, 'producer');
  const secrets = new SecretBox(encryptionKey);
  const syncQueue = createSyncQueue(redis, config.redisPrefix);

  const repositories = {
    stores: new StoreRepository(db, secrets),
    events: new EventRepository(db),
    rejections: new RejectionRepository(db),
    contacts: new ContactRepository(db),
    subscriptions: new SubscriptionRepository(db),
    attempts: new SyncAttemptRepository(db),
    zohoConnection: new ZohoConnectionRepository(db, secrets),
  };
  const http = createZohoHttp(config.zoho.timeoutMs);
  const accounts = new ZohoAccountsClient(http);
  const campaigns = new ZohoCampaignsClient(http);
  const credentials =
    config.zoho.clientId && config.zoho.clientSecret
      ? { clientId: config.zoho.clientId, clientSecret: config.zoho.clientSecret }
      : undefined;
  const tokens = new TokenSource(repositories.zohoConnection, accounts, redis, { credentials, redisPrefix: config.redisPrefix });
  const quota = new ZohoQuota(redis, config.redisPrefix);
  const gateway = new CampaignsGateway(campaigns, tokens, quota, repositories.zohoConnection);
  const enqueuer = new EventEnqueuer(syncQueue, repositories.events, config.worker.attempts);
  const sync = new SyncService({
    db,
    ...repositories,
    attempts: repositories.attempts,
    absorber: new EventAbsorber(repositories.contacts, repositories.subscriptions),
    gateway,
    defaults: { customersList: config.zoho.listKey, roles: config.customerRoles },
  });

  return {
    config,
    log,
    db,
    redis,
    secrets,
    syncQueue,
    enqueuer,
    repositories,
    zoho: { accounts, campaigns, tokens, quota, gateway },
    sync,
    async close() {
      await syncQueue.close().catch(() => undefined);
      redis.disconnect();
      await db.$disconnect();
    },
  };
}
