// Builds the Fastify application from plugins and routes. It never listens: src/server.ts does,
// and tests call app.inject() or listen on a random port.
import Fastify, { type FastifyInstance } from 'fastify';
import { loggerOptions } from './logger.ts';
import { healthRoutes } from './http/health.ts';
import { webhookRoutes } from './http/webhooks.ts';
import type { Services } from './services.ts';
import { DeliveryReceiver } from './woocommerce/accept-delivery.ts';
import { StoreDirectory } from './woocommerce/store-directory.ts';

export function buildApp(services: Services, options: { logger?: boolean } = {}): FastifyInstance {
  const app = Fastify({
    logger: options.logger === false ? false : loggerOptions(services.config.logLevel),
    trustProxy: true,
    // WooCommerce waits 60 s; answering well within that matters more than finishing slow work.
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
  });

  const receiver = new DeliveryReceiver(
    new StoreDirectory(services.repositories.stores),
    services.repositories.events,
    services.repositories.rejections,
    services.enqueuer,
    app.log,
  );

  // One error handler for everything outside the webhook routes: 5xx details stay in the log.
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (statusCode >= 500) {
      request.log.error({ err: error }, 'Request failed');
      const storage = isStorageOutage(error);
      return reply.code(storage ? 503 : 500).send({
        ok: false,
        error: storage ? 'storage_unavailable' : 'internal_error',
        message: storage
          ? 'The bridge cannot reach its database right now; nothing was stored. Try again shortly.'
          : 'Something went wrong inside the bridge; the details are in its log.',
      });
    }
    return reply.code(statusCode).send({ ok: false, error: error.name, message: error.message });
  });

  app.register(healthRoutes, { services });
  app.register(webhookRoutes, {
    receiver,
    rejections: services.repositories.rejections,
    bodyLimitBytes: services.config.webhookBodyLimitBytes,
  });
  return app;
}

/** Errors that mean Postgres could not be reached (as opposed to a bug in our code). */
function isStorageOutage(error: Error & { code?: string }): boolean {
  const text = `${error.code ?? ''} ${error.message}`;
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Connection terminated|connect|P1001|P1017|P2024|DatabaseNotReachable|timeout exceeded when trying to connect/i.test(text);
}
