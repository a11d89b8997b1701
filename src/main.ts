// Entry point: `tsx src/main.ts [all|server|worker]`. Reads configuration, prepares the
// database, then runs the HTTP server, the workers, or both (the default), and shuts down cleanly.
import { existsSync } from 'node:fs';
import pino from 'pino';
import type { FastifyBaseLogger } from 'fastify';
import { ConfigError, loadConfig, type Role } from './config.ts';
import { loggerOptions } from './logger.ts';
import { startServer } from './server.ts';
import { createServices } from './services.ts';
import { applyConfiguration, prepareDatabase, resolveEncryptionKey } from './startup.ts';
import { startWorkers } from './worker.ts';

const SHUTDOWN_DEADLINE_MS = 25_000;

async function main(): Promise<void> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const role = parseRole(process.argv[2]);
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }
  const log = pino(loggerOptions(config.logLevel)) as unknown as FastifyBaseLogger;
  await prepareDatabase(config, log);
  const services = createServices(config, resolveEncryptionKey(config, log), log);
  await applyConfiguration(services);

  const server = role === 'worker' ? undefined : await startServer(services);
  const workers = role === 'server' ? undefined : await startWorkers(services);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'Shutting down: no new requests or jobs; finishing what is in flight');
    await server?.close();
    await workers?.close(SHUTDOWN_DEADLINE_MS);
    await services.close();
    log.info('Stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

function parseRole(argument: string | undefined): Role {
  if (argument === undefined || argument === 'all') return 'all';
  if (argument === 'server' || argument === 'worker') return argument;
  console.error(`Unknown role "${argument}": use all, server or worker.`);
  process.exit(64);
}

main().catch((error: unknown) => {
  console.error('woo-zoho-bridge could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
