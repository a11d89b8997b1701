// Builds the Fastify application from plugins and routes. It never listens: src/server.ts does,
// and tests call app.inject() or listen on a random port.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { isStorageOutage } from './db/outage.ts';
import { EnqueueBatcher } from './queue/enqueue-batcher.ts';
import { loggerOptions } from './logger.ts';
import { ownerPages } from './http/admin/index.ts';
import { jsonApi } from './http/api/index.ts';
import { healthRoutes } from './http/health.ts';
import { metricsRoutes } from './http/metrics.ts';
import { webhookRoutes } from './http/webhooks.ts';
import { jsonApiOptions, ownerPagesOptions } from './http-wiring.ts';
import type { Services } from './services.ts';
import { DeliveryReceiver } from './use-cases/accept-delivery.ts';
import { DeliveryRefusals } from './use-cases/refuse-delivery.ts';
import { StoreDirectory } from './woocommerce/store-directory.ts';

export function buildApp(services: Services, options: { logger?: boolean; loggerInstance?: FastifyBaseLogger } = {}): FastifyInstance {
  const app = Fastify({
    // A given logger instance (tests capture logs with one) wins over the built-in configuration.
    ...(options.loggerInstance
      ? { loggerInstance: options.loggerInstance }
      : { logger: options.logger === false ? false : loggerOptions(services.config.logLevel) }),
    // Only peers in TRUST_PROXY (by default this host and private networks) may say who the
    // client is; anyone else could pick the address sign-in attempts are counted against.
    trustProxy: typeof services.config.trustProxy === 'boolean' ? services.config.trustProxy : [...services.config.trustProxy],
    // WooCommerce waits 60 s; answering well within that matters more than finishing slow work.
    connectionTimeout: 30_000,
    requestTimeout: 30_000,
    // An idle connection stays open longer than a reverse proxy keeps its idle ones (Caddy 2 min,
    // deploy/nginx.conf 60 s). Were the bridge to close first, a proxy could send a delivery down
    // a connection the bridge had just closed, and WooCommerce would count the 502 as a failure.
    keepAliveTimeout: 130_000,
    // At shutdown, a request that reached an open connection is served, not answered 503:
    // WooCommerce never resends a delivery, and the bridge can still store it while it closes.
    return503OnClosing: false,
    // No "incoming request"/"request completed" lines for deliveries: each one is recorded in
    // Postgres (webhook_events, rejected_deliveries) and counted in the metrics, and the two lines
    // cost ~8 % of the receiver's CPU at volume. Refusals and 5xx still log.
    logController: new LogController({ disableRequestLogging: (request) => request.url.startsWith('/webhooks/') }),
  });

  // Deliveries arriving together share one INSERT and one commit, and are queued in batches
  // after the answer: per delivery, both cost more than everything else the receiver does.
  const enqueueBatcher = new EnqueueBatcher(services.enqueuer, (eventIds, error) =>
    app.log.warn(
      { events: eventIds.length, firstEventId: eventIds[0]?.toString(), err: error },
      'Could not queue stored events; the sweeper will queue them when Redis answers',
    ),
  );
  app.addHook('onClose', () => enqueueBatcher.flush());
  const stores = new StoreDirectory(services.repositories.stores);
  const refusals = new DeliveryRefusals(services.repositories.rejections, stores, app.log, services.config.refusals.perAddressPerMinute);
  const receiver = new DeliveryReceiver(stores, services.repositories.events, refusals, enqueueBatcher);

  // One error handler for everything outside the webhook routes: 5xx details stay in the log.
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const statusCode = error.statusCode && error.statusCode >= 400 ? error.statusCode : 500;
    if (statusCode >= 500) {
      const storage = isStorageOutage(error);
      if (storage) {
        services.alerts.refusals.record();
        // Loud on purpose: WooCommerce never resends a delivery it got a 503 for (docs/woocommerce-webhooks.md, "Success, failure and disabling").
        request.log.error(
          { err: error, url: request.url },
          'Postgres is unreachable: answered 503 and stored nothing. WooCommerce counts a failed delivery and will not send it again',
        );
      } else {
        request.log.error({ err: error }, 'Request failed');
      }
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

  app.register(healthRoutes, { readiness: services.readiness });
  app.register(metricsRoutes, { token: services.config.metrics.token, render: services.renderMetrics });
  app.register(webhookRoutes, {
    receiver,
    refusals,
    bodyLimitBytes: services.config.webhookBodyLimitBytes,
    storeTimeoutMs: services.config.webhookStoreTimeoutMs,
    recordPing: (storeId) => services.repositories.stores.recordPing(storeId),
  });
  app.register(ownerPages, ownerPagesOptions(services));
  app.register(jsonApi, jsonApiOptions(services));
  return app;
}
