// Starts the whole bridge for a test: a fresh database, a unique Redis prefix, the Zoho simulator
// and the real app listening on a random port, with workers in the same process (as `npm start`).
import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import type { FastifyBaseLogger, FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type Config } from '../../src/config.ts';
import { loggerOptions } from '../../src/logger.ts';
import { createServices, type Services } from '../../src/services.ts';
import { applyConfiguration } from '../../src/startup.ts';
import { startWorkers, type RunningWorkers } from '../../src/worker.ts';
import { startZohoSimulator, type ZohoSimulator, type ZohoSimulatorOptions } from '../../tools/zoho-simulator/index.ts';
import { createTestDatabase } from '../../tools/support/database.ts';
import { freePort, isAddressInUse } from '../../tools/support/ports.ts';
import { TEST_SECRET } from './woocommerce.ts';

export interface BridgeOptions {
  /** Seed the Zoho connection from a simulator refresh token (default true). */
  zohoConnected?: boolean;
  /** ZOHO_LIST_KEY; null leaves it unset (default the simulator's customers list). */
  listKey?: string | null;
  simulator?: ZohoSimulatorOptions;
  /** Start sync workers in this process (default true). */
  workers?: boolean;
  env?: Record<string, string>;
  /** ZOHO_ACCOUNTS_URL from the simulator's address (default `<simulator>/dc/{dc}/accounts`), e.g. one fixed URL as a proxy would give. */
  zohoAccountsUrl?: (sim: ZohoSimulator) => string;
  /** Routes the bridge's DATABASE_URL through something the test controls (test/support/tcp-proxy.ts). */
  rewriteDatabaseUrl?: (url: string) => string;
  /** Keep every log line (at trace level, through the production logger settings) in `logs`. */
  captureLogs?: boolean;
}

export interface TestBridge {
  config: Config;
  services: Services;
  app: FastifyInstance;
  sim: ZohoSimulator;
  url: string;
  webhookUrl: string;
  /** Extra environment a child process needs to join this bridge (same database, Redis prefix, Zoho). */
  env: Record<string, string>;
  workers: RunningWorkers | undefined;
  /** Log lines as written (JSON), when started with captureLogs. */
  logs: string[];
  /** The one-time setup code this bridge wrote to its SETUP_CODE_FILE (while no password exists). */
  setupCode(): string;
  startWorkers(): Promise<RunningWorkers>;
  close(): Promise<void>;
}

export async function startBridge(options: BridgeOptions = {}): Promise<TestBridge> {
  // The port is chosen before listening (see below); if another process takes it in between,
  // everything is built again around a new one.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startBridgeOnce(options);
    } catch (error) {
      if (!isAddressInUse(error) || attempt === 3) throw error;
    }
  }
}

async function startBridgeOnce(options: BridgeOptions): Promise<TestBridge> {
  const database = await createTestDatabase();
  const sim = await startZohoSimulator(options.simulator);
  // The browser flow needs the bridge's real address in PUBLIC_URL (the OAuth redirect URI), so the
  // port is chosen before the configuration is read.
  const port = await freePort();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    DATABASE_URL: options.rewriteDatabaseUrl ? options.rewriteDatabaseUrl(database.url) : database.url,
    REDIS_PREFIX: `wzb-test-${randomBytes(6).toString('hex')}`,
    HOST: '127.0.0.1',
    PORT: '0',
    ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    WC_WEBHOOK_SECRET: TEST_SECRET,
    WC_STORE_URL: 'https://shop.example.com',
    ZOHO_DC: 'com',
    ZOHO_CLIENT_ID: '1000.SIMCLIENT',
    ZOHO_CLIENT_SECRET: 'sim-secret',
    ZOHO_ACCOUNTS_URL: options.zohoAccountsUrl?.(sim) ?? `${sim.baseUrl}/dc/{dc}/accounts`,
    ZOHO_CAMPAIGNS_URL: `${sim.baseUrl}/dc/{dc}/campaigns`,
    ZOHO_TIMEOUT_MS: '2000',
    SETUP_CODE_FILE: join(tmpdir(), `wzb-test-setup-code-${randomBytes(6).toString('hex')}`),
    ...(options.listKey === null ? {} : { ZOHO_LIST_KEY: options.listKey ?? 'sim-customers' }),
    ...(options.zohoConnected === false ? {} : { ZOHO_REFRESH_TOKEN: sim.createRefreshToken() }),
    ...options.env,
  };
  // PORT and PUBLIC_URL are this process's own: a child process joining through `env` listens elsewhere.
  const config = loadConfig({ ...env, PORT: String(port), PUBLIC_URL: env.PUBLIC_URL ?? `http://127.0.0.1:${port}` });
  const logs: string[] = [];
  const log = (options.captureLogs
    ? pino(
        loggerOptions('trace'),
        new Writable({
          write(chunk, _encoding, done) {
            logs.push(String(chunk));
            done();
          },
        }),
      )
    : pino({ level: config.logLevel })) as unknown as FastifyBaseLogger;
  const services = createServices(config, config.encryptionKey!, log);
  try {
    await applyConfiguration(services);
  } catch (error) {
    // A start that is refused (another installation's REDIS_PREFIX) leaves nothing behind.
    await services.close();
    await sim.close();
    await database.drop();
    throw error;
  }
  const app = buildApp(services, options.captureLogs ? { loggerInstance: log } : { logger: false });
  let url: string;
  try {
    url = await app.listen({ host: '127.0.0.1', port });
  } catch (error) {
    await app.close();
    await services.close();
    await sim.close();
    await database.drop();
    throw error;
  }

  const bridge: TestBridge = {
    config,
    services,
    app,
    sim,
    url,
    webhookUrl: `${url}/webhooks/woocommerce`,
    env,
    workers: undefined,
    logs,
    setupCode: () => readFileSync(config.owner.setupCodeFile, 'utf8').trim(),
    async startWorkers() {
      bridge.workers = await startWorkers(services);
      return bridge.workers;
    },
    async close() {
      await app.close();
      await bridge.workers?.close(5_000);
      await deleteRedisKeys(services, config.redisPrefix);
      await services.close();
      await sim.close();
      await database.drop();
      rmSync(config.owner.setupCodeFile, { force: true });
    },
  };
  if (options.workers !== false) await bridge.startWorkers();
  return bridge;
}

async function deleteRedisKeys(services: Services, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await services.redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length > 0) await services.redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Polls until `probe` returns a truthy value; fails with `what` after the timeout. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
