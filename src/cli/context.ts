// What every CLI command starts from: the same .env, configuration, database preparation and
// services as `npm start`, and which use cases each command is handed. Commands print their own answers in words; log lines go to stderr, and
// only errors unless LOG_LEVEL asks for debug or trace.
import type { FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { readProcessConfig, type Config } from '../config.ts';
import { loggerOptions } from '../logger.ts';
import { createServices, type Services } from '../services.ts';
import type { CommandEnvironment } from './commands/environment.ts';
import type { OperatorEnvironments } from './commands/index.ts';
import type { ZohoCommandNeeds } from './commands/zoho.ts';
import type { CliOutput } from './output.ts';
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

/** Opens the process's services for one command (withServices) or lends a running bridge's (tests). */
export type OpenServices = <T>(work: (services: Services) => Promise<T>) => Promise<T>;

/** Each command's environment: the use cases it needs, taken from the services `open` gives. */
export function commandEnvironments(
  open: OpenServices,
  output: CliOutput,
  tuning?: CommandEnvironment<unknown>['tuning'],
): { zoho: CommandEnvironment<ZohoCommandNeeds>; operator: OperatorEnvironments } {
  const env = <Needs>(needs: (services: Services) => Needs): CommandEnvironment<Needs> => ({
    run: (work) => open((services) => work(needs(services))),
    output,
    ...(tuning ? { tuning } : {}),
  });
  const storeAccess = ({ repositories, config }: Services) => ({ stores: repositories.stores, defaultStore: config.defaultStore });
  return {
    zoho: env(({ zoho, repositories, settingsDefaults, config }) => ({
      connector: zoho.connector,
      stores: repositories.stores,
      settingsDefaults,
      publicUrl: config.publicUrl,
    })),
    operator: {
      stores: env(({ repositories, config }) => ({
        stores: repositories.stores,
        webhookChecks: repositories.webhookChecks,
        backfillRuns: repositories.backfillRuns,
        defaultStore: config.defaultStore,
        publicUrl: config.publicUrl,
      })),
      webhooks: env((services) => ({ ...storeAccess(services), webhookWatch: services.webhookWatch, publicUrl: services.config.publicUrl })),
      backfill: env((services) => {
        const { repositories, config } = services;
        return {
          ...storeAccess(services),
          previewing: { contacts: repositories.contacts, defaults: services.settingsDefaults },
          running: {
            runs: repositories.backfillRuns,
            events: repositories.events,
            queue: services.syncQueue,
            enqueuer: services.enqueuer,
            redis: services.redis,
            redisPrefix: config.redisPrefix,
            attempts: config.worker.attempts,
            bulk: {
              gateway: services.zoho.gateway,
              contacts: repositories.contacts,
              attempts: repositories.attempts,
              additions: repositories.bulkAdditions,
              runs: repositories.backfillRuns,
              events: repositories.events,
              defaults: services.settingsDefaults,
            },
          },
          redis: services.redis,
          redisPrefix: config.redisPrefix,
          events: repositories.events,
          zohoConnection: repositories.zohoConnection,
        };
      }),
      status: env(({ readiness, redis, repositories, syncQueue, zoho, config }) => ({
        readiness,
        redis,
        events: repositories.events,
        syncQueue,
        quota: zoho.quota,
        stores: repositories.stores,
        webhookChecks: repositories.webhookChecks,
        backfillRuns: repositories.backfillRuns,
        publicUrl: config.publicUrl,
      })),
      rotateKey: env(({ repositories }) => repositories),
      forget: env(({ forgetPerson }) => ({ forgetPerson })),
    },
  };
}
