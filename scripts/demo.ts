// `npm run demo`: the whole flow without a Zoho account or a store. Starts the Zoho simulator and
// the bridge (server and workers, on port 8080 or the next free one, with its own database
// woo_zoho_bridge_demo and Redis prefix, both reset at every start), replays a set of realistic
// WooCommerce deliveries, prints what happened and where to look, and runs until Ctrl-C.
// Needs only the local Postgres and Redis (DATABASE_URL / REDIS_URL from .env are honoured).
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import pg from 'pg';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { loadConfig } from '../src/config.ts';
import { withMaintenanceConnection } from '../src/db/maintenance-connection.ts';
import { DEFAULT_STORE_ID } from '../src/db/stores.ts';
import { loggerOptions } from '../src/logger.ts';
import { startServer } from '../src/server.ts';
import { createServices } from '../src/services.ts';
import { applyConfiguration, prepareDatabase } from '../src/startup.ts';
import { startWorkers } from '../src/worker.ts';
import { DEFAULT_CLIENT, startZohoSimulator } from '../tools/zoho-simulator/index.ts';
import { DEMO_LISTS } from './demo/deliveries.ts';
import { replayDemo } from './demo/replay.ts';
import { databaseSummary, describeResults } from './demo/summary.ts';

const DEMO_DATABASE = 'woo_zoho_bridge_demo';
const DEMO_PREFIX = 'wzb-demo';
const WEBHOOK_SECRET = 'demo-webhook-secret-0123456789';
const ADMIN_PASSWORD = 'demo-password-123';

if (existsSync('.env')) process.loadEnvFile('.env');
const baseDatabaseUrl = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/woo_zoho_bridge';
const databaseUrl = Object.assign(new URL(baseDatabaseUrl), { pathname: `/${DEMO_DATABASE}` }).toString();

const sim = await startZohoSimulator({ port: (await isFree(4010)) ? 4010 : 0 });
const port = await firstFreePort(8080, 8100);
const env = {
  NODE_ENV: 'development',
  LOG_LEVEL: process.env.DEMO_LOG_LEVEL ?? 'error',
  DATABASE_URL: databaseUrl,
  REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
  REDIS_PREFIX: DEMO_PREFIX,
  HOST: '127.0.0.1',
  PORT: String(port),
  PUBLIC_URL: `http://127.0.0.1:${port}`,
  ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  ADMIN_PASSWORD,
  WC_STORE_URL: 'https://demo-shop.example.com',
  WC_STORE_NAME: 'Demo shop',
  WC_WEBHOOK_SECRET: WEBHOOK_SECRET,
  ZOHO_DC: 'com',
  ZOHO_CLIENT_ID: DEFAULT_CLIENT.clientId,
  ZOHO_CLIENT_SECRET: DEFAULT_CLIENT.clientSecret,
  ZOHO_REFRESH_TOKEN: sim.createRefreshToken({ dc: 'com' }),
  ZOHO_ACCOUNTS_URL: `${sim.baseUrl}/dc/{dc}/accounts`,
  ZOHO_CAMPAIGNS_URL: `${sim.baseUrl}/dc/{dc}/campaigns`,
  ZOHO_LIST_KEY: DEMO_LISTS.customers,
};
const config = loadConfig(env);
const log = pino(loggerOptions(config.logLevel)) as unknown as FastifyBaseLogger;

console.log('Preparing a fresh demo database and Redis prefix…');
await withMaintenanceConnection(databaseUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(DEMO_DATABASE)} WITH (FORCE)`));
await prepareDatabase(config, log);
const services = createServices(config, config.encryptionKey!, log);
await clearRedisPrefix();
await applyConfiguration(services);
await services.repositories.stores.updateSettings(DEFAULT_STORE_ID, { lists: DEMO_LISTS });
const server = await startServer(services);
const workers = await startWorkers(services);

const webhookUrl = `${config.publicUrl}/webhooks/woocommerce`;
console.log(`\nReplaying WooCommerce deliveries to ${webhookUrl}:\n`);
const results = await replayDemo({
  webhookUrl,
  secret: WEBHOOK_SECRET,
  events: services.repositories.events,
  onSent: (result, index) =>
    console.log(`  sent ${String(index + 1).padStart(2)}: ${result.step.label} → HTTP ${result.httpStatus}${result.answer.duplicate ? ' (duplicate)' : ''}`),
});
console.log('\nWhat the bridge did with each one:\n');
for (const line of describeResults(results)) console.log(line);
console.log('');
for (const line of await databaseSummary(services, results)) console.log(line);

console.log(`
Look around:
  Zoho (simulated):  ${sim.baseUrl}            the lists and who is on them
  Dashboard:         ${config.publicUrl}/admin    password: ${ADMIN_PASSWORD}
  Health:            ${config.publicUrl}/readyz
  Metrics:           ${config.publicUrl}/metrics
Send more deliveries yourself:
  npm run send-test-delivery -- --url ${config.publicUrl} --secret ${WEBHOOK_SECRET} --email you@example.com --first-name You
The demo keeps running; Ctrl-C stops it (the demo database stays until the next npm run demo).`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping the demo…');
    void (async () => {
      await server.close();
      await workers.close(5_000);
      await services.close();
      await sim.close();
      process.exit(0);
    })();
  });
}

async function clearRedisPrefix(): Promise<void> {
  // The web process's Redis connection fails fast instead of queueing commands: wait until it is up.
  if (services.redis.status !== 'ready') await once(services.redis, 'ready');
  let cursor = '0';
  do {
    const [next, keys] = await services.redis.scan(cursor, 'MATCH', `${DEMO_PREFIX}:*`, 'COUNT', 1000);
    if (keys.length > 0) await services.redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

function isFree(candidate: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(candidate, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

async function firstFreePort(from: number, to: number): Promise<number> {
  for (let candidate = from; candidate <= to; candidate++) if (await isFree(candidate)) return candidate;
  throw new Error(`No free port between ${from} and ${to}; stop something or set up the bridge by hand (README).`);
}
