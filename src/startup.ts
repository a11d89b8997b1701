// What every process does before serving: settle the encryption key, make sure the database
// exists and is migrated, and reflect configuration (first store, Zoho refresh token) in it.
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, resolve } from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Config, Role } from './config.ts';
import { generateEncryptionKey } from './crypto/secret-box.ts';
import { LockTopic, withAdvisoryLock } from './db/advisory-lock.ts';
import { ensureDatabaseExists } from './db/migrations.ts';
import { RedisPrefixClashError } from './queue/installation.ts';
import { applyMigrationsInThread } from './db/migrations-thread.ts';
import { migrationsUpToDate } from './db/migrations-status.ts';
import type { ZohoConnection } from './db/rows.ts';
import { newSetupCode } from './access/setup-code.ts';
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

/** `role` says whether this process serves the dashboard: only those offer a setup code. */
export async function applyConfiguration(services: Services, role: Role = 'all'): Promise<void> {
  warnAboutExposure(services.config, services.log);
  // First, before anything else is written or printed: is the Redis prefix this installation's?
  await services.installation.load();
  await claimRedisPrefix(services);
  // A server and a worker started together on a new database would both create the first store.
  const client = await services.pool.connect();
  try {
    await withAdvisoryLock(client, LockTopic.configuration, () => applyConfigurationAlone(services, role));
  } finally {
    client.release();
  }
}

/**
 * Refuses to start on a REDIS_PREFIX another installation uses (src/queue/installation.ts). With
 * Redis down the check waits: jobs carry the installation id, and workers leave foreign ones alone.
 */
async function claimRedisPrefix(services: Services): Promise<void> {
  try {
    await services.installation.claimRedisPrefix();
  } catch (error) {
    if (error instanceof RedisPrefixClashError) {
      services.log.fatal({ redisPrefix: services.config.redisPrefix }, error.message);
      throw error;
    }
    services.log.warn({ err: error }, 'Could not check that REDIS_PREFIX belongs to this installation (Redis down?); workers check each job instead');
  }
}

/** What a production start should not leave unsaid (docs/security.md). */
function warnAboutExposure(config: Config, log: FastifyBaseLogger): void {
  if (config.env !== 'production') return;
  if (config.publicUrl.startsWith('http:')) {
    log.warn(
      { publicUrl: config.publicUrl },
      "PUBLIC_URL is http://: the dashboard's sign-in cookie cannot be marked Secure and passwords cross the network readable. Put HTTPS in front and set PUBLIC_URL to its https:// address.",
    );
  }
  if (!config.metrics.token) {
    log.warn('METRICS_TOKEN is not set: /metrics answers anyone who reaches the bridge. Keep it off the public proxy (deploy/ does) or set METRICS_TOKEN.');
  }
}

async function applyConfigurationAlone(services: Services, role: Role): Promise<void> {
  const { config, log, repositories } = services;
  const store = await repositories.stores.ensureConfiguredStore(config.defaultStore);
  if (!store.webhookSecret) {
    log.warn('WC_WEBHOOK_SECRET is not set: the first store refuses deliveries until it has a webhook secret.');
  }
  await bootstrapZohoFromConfig(services);
  await applyOwnerPassword(services, role !== 'worker');
}

/**
 * ADMIN_PASSWORD replaces the dashboard password and signs every browser out. Without it and
 * without a password, a process serving the dashboard offers a fresh one-time setup code: in its
 * log once, and in SETUP_CODE_FILE, readable by the bridge's user only.
 */
async function applyOwnerPassword(services: Services, servesDashboard: boolean): Promise<void> {
  const { config, log, owner } = services;
  const codeFile = config.owner.setupCodeFile;
  if (config.adminPassword) {
    const applied = await owner.applyConfiguredPassword(config.adminPassword);
    if (applied.outcome === 'set') {
      log.info({ endedSessions: applied.endedSessions }, 'Dashboard password set from ADMIN_PASSWORD; every browser is signed out');
      await warnAboutApiTokens(services);
    }
    if (servesDashboard) rmSync(codeFile, { force: true });
    return;
  }
  if (await owner.hasPassword()) {
    if (servesDashboard) rmSync(codeFile, { force: true });
    return;
  }
  if (!servesDashboard) return;
  const code = newSetupCode();
  await owner.offerSetupCode(`${hostname()}:${codeFile}`, code);
  let written = true;
  try {
    mkdirSync(dirname(codeFile), { recursive: true, mode: 0o700 });
    writeFileSync(codeFile, `${code}\n`, { mode: 0o600 });
    chmodSync(codeFile, 0o600); // writeFileSync's mode applies only to a new file
  } catch (error) {
    written = false;
    log.warn({ err: error, file: codeFile }, 'Could not write the setup code file (SETUP_CODE_FILE); the code is only in this log line');
  }
  log.warn(
    { file: written ? codeFile : undefined },
    `No dashboard password yet. Open ${config.publicUrl}/admin/setup and enter the setup code ${code}${written ? ` (also in ${codeFile})` : ''} to choose one, or set ADMIN_PASSWORD. A new code is made at every start until a password exists.`,
  );
}

/** Tokens made before the password changed may be somebody else's: the owner should look at them. */
async function warnAboutApiTokens(services: Services): Promise<void> {
  const count = await services.repositories.apiTokens.count();
  if (count > 0) {
    services.log.warn(
      { apiTokens: count },
      `${count} API token(s) made before this password still open the JSON API: review them on ${services.config.publicUrl}/admin/api-tokens and revoke any you do not know.`,
    );
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
