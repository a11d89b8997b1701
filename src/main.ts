// Entry point: `node build/main.js [all|server|worker]` (`npm start` builds it from this file), or
// `tsx src/main.ts` in development and tests. Reads configuration, prepares the database, then
// runs the HTTP server, the workers, or both (the default), and shuts down cleanly.
import type { FastifyBaseLogger } from 'fastify';
import { readProcessConfig, type Role } from './config.ts';
import { createLogger } from './logger.ts';
import { applyLeanRuntime } from './lean-runtime.ts';
import { startMetricsServer } from './http/metrics-server.ts';
import { createServices } from './services.ts';
import { applyConfiguration, prepareDatabase, resolveEncryptionKey } from './startup.ts';

/** After the shutdown deadline, how long closing connections may take before a forced exit. */
const FORCED_EXIT_AFTER_DEADLINE_MS = 5_000;

async function main(): Promise<void> {
  applyLeanRuntime(); // before anything compiles WebAssembly (Prisma, the schema engine)
  const role = parseRole(process.argv[2]);
  const config = readProcessConfig();
  const log = (await createLogger(config)) as unknown as FastifyBaseLogger;
  await prepareDatabase(config, log);
  const services = createServices(config, resolveEncryptionKey(config, log), log);
  await applyConfiguration(services, role);

  // Each role loads only its own code: a worker never compiles the dashboard, the API and the
  // libraries behind them (Fastify and its plugins, templates, OpenAPI), which is memory it
  // would carry for its whole life.
  const server = role === 'worker' ? undefined : await (await import('./server.ts')).startServer(services);
  const workers = role === 'server' ? undefined : await (await import('./worker.ts')).startWorkers(services);
  const metricsPort = config.metrics.workerPort;
  const metricsServer =
    role === 'worker' && metricsPort
      ? await startMetricsServer({ token: config.metrics.token, render: services.renderMetrics, host: config.host, log: services.log }, metricsPort)
      : undefined;

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const deadlineMs = config.worker.shutdownDeadlineMs;
    log.info({ signal, deadlineMs }, 'Shutting down: no new requests or jobs; finishing what is in flight');
    // Whatever hangs (a Postgres or Redis that stopped answering), the process still ends.
    setTimeout(() => {
      log.error({ deadlineMs }, 'Shutdown did not finish in time; exiting anyway (unfinished jobs go to another worker)');
      process.exit(1);
    }, deadlineMs + FORCED_EXIT_AFTER_DEADLINE_MS).unref();
    try {
      // Both at once: workers stop taking jobs right away, not after the last request.
      await Promise.all([server?.close(), workers?.close(deadlineMs)]);
      await metricsServer?.close();
      await services.close();
    } catch (error) {
      log.error({ err: error }, 'Shutdown failed; exiting anyway');
      process.exit(1);
    }
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
