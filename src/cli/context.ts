// What every CLI command starts from: the same .env, configuration, database preparation and
// services as `npm start`. Commands print their own answers in words; log lines go to stderr, and
// only errors unless LOG_LEVEL asks for debug or trace.
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { readProcessConfig, type Config } from '../config.ts';
import { loggerOptions } from '../logger.ts';
import { createServices, type Services } from '../services.ts';
import { prepareDatabase, resolveEncryptionKey } from '../startup.ts';

export function cliLogger(config: Config): FastifyBaseLogger {
  const level = ['debug', 'trace', 'silent'].includes(config.logLevel) ? config.logLevel : 'error';
  return pino(loggerOptions(level), pino.destination(2)) as unknown as FastifyBaseLogger;
}

/** Runs `work` with the bridge's services and closes them afterwards, whatever happens. */
export async function withServices<T>(work: (services: Services) => Promise<T>): Promise<T> {
  const config = readProcessConfig();
  const log = cliLogger(config);
  await prepareDatabase(config, log);
  const services = createServices(config, resolveEncryptionKey(config, log), log);
  try {
    await services.installation.load();
    return await work(services);
  } finally {
    await services.close();
  }
}
