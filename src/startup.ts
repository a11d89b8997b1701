// What every process does before serving: settle the encryption key, make sure the database
// exists and is migrated, and reflect configuration (first store, Zoho refresh token) in it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config } from './config.ts';
import { generateEncryptionKey } from './crypto/secret-box.ts';
import { LockTopic, withAdvisoryLock } from './db/advisory-lock.ts';
import { ensureDatabaseExists } from './db/migrations.ts';
import { applyMigrationsInThread } from './db/migrations-thread.ts';
import { migrationsUpToDate } from './db/migrations-status.ts';
import type { ZohoConnection } from './db/rows.ts';
import type { Services } from './services.ts';
import { hostsFor } from './zoho/data-centres.ts';

const DEV_KEY_FILE = resolve('.local/encryption-key');

/**
 * ENCRYPTION_KEY, or in development a key generated once and kept in .local/ so that
 * `npm start` works with no settings. Production refuses to start without one (see config.ts).
 */
export function resolveEncryptionKey(config: Config, log: FastifyBaseLogger): string {
  if (config.encryptionKey) return config.encryptionKey;
  if (!existsSync(DEV_KEY_FILE)) {
    mkdirSync(dirname(DEV_KEY_FILE), { recursive: true });
    writeFileSync(DEV_KEY_FILE, `${generateEncryptionKey()}\n`, { mode: 0o600 });
    log.warn(`ENCRYPTION_KEY is not set: generated a development key in ${DEV_KEY_FILE}. Set ENCRYPTION_KEY in production.`);
  }
  return readFileSync(DEV_KEY_FILE, 'utf8').trim();
}

export async function prepareDatabase(config: Config, log: FastifyBaseLogger): Promise<void> {
  if (await ensureDatabaseExists(config.databaseUrl)) log.info('Created the database');
  // The usual start: nothing to apply, so the schema engine is never loaded (saves its memory).
  if (await migrationsUpToDate(config.databaseUrl)) return;
  // Otherwise it is loaded in a thread, and its memory goes when the thread ends.
  const applied = await applyMigrationsInThread(config.databaseUrl);
  if (applied.length > 0) log.info({ migrations: applied }, 'Applied database migrations');
}

export async function applyConfiguration(services: Services): Promise<void> {
  // A server and a worker started together on a new database would both create the first store.
  const client = await services.pool.connect();
  try {
    await withAdvisoryLock(client, LockTopic.configuration, () => applyConfigurationAlone(services));
  } finally {
    client.release();
  }
}

async function applyConfigurationAlone(services: Services): Promise<void> {
  const { config, log, repositories } = services;
  const store = await repositories.stores.ensureConfiguredStore(config.defaultStore);
  if (!store.webhookSecret) {
    log.warn('WC_WEBHOOK_SECRET is not set: the first store refuses deliveries until it has a webhook secret.');
  }
  await bootstrapZohoFromConfig(services);
  await applyOwnerPassword(services);
}

/** ADMIN_PASSWORD replaces the dashboard password; without it the owner chooses one in the browser. */
async function applyOwnerPassword(services: Services): Promise<void> {
  const { config, log, owner } = services;
  if (config.adminPassword) {
    if ((await owner.applyConfiguredPassword(config.adminPassword)) === 'set') log.info('Dashboard password set from ADMIN_PASSWORD');
  } else if (!(await owner.hasPassword())) {
    log.warn(`No dashboard password yet: open ${config.publicUrl}/admin to choose one (or set ADMIN_PASSWORD).`);
  }
}

/**
 * ZOHO_REFRESH_TOKEN seeds the connection. It is applied only when it differs from the stored one,
 * so a connection made later in the browser is not overwritten at every restart.
 */
async function bootstrapZohoFromConfig(services: Services): Promise<void> {
  const { config, log, repositories } = services;
  const { refreshToken, dataCentre } = config.zoho;
  if (!refreshToken) {
    const existing = await repositories.zohoConnection.get();
    if (!existing) log.warn('Zoho Campaigns is not connected yet: deliveries are stored and will sync once it is.');
    return;
  }
  const existing = await repositories.zohoConnection.get();
  if (existing && existing.origin !== 'config') return;
  if (existing && storedTokenOf(services, existing) === refreshToken) return;
  const hosts = hostsFor(dataCentre, config.zoho);
  await repositories.zohoConnection.save({
    dataCentre,
    accountsServer: hosts.accountsServer,
    campaignsUrl: hosts.campaignsUrl,
    refreshToken,
    origin: 'config',
  });
  services.zoho.tokens.forget();
  log.info({ dataCentre }, 'Zoho connection set from ZOHO_REFRESH_TOKEN');
}

/** The stored refresh token, or undefined when it cannot be read (ENCRYPTION_KEY changed). */
function storedTokenOf(services: Services, connection: ZohoConnection): string | undefined {
  try {
    return services.repositories.zohoConnection.decryptRefreshToken(connection);
  } catch {
    // Re-seeding from ZOHO_REFRESH_TOKEN is exactly the way out of an unreadable stored token.
    return undefined;
  }
}
