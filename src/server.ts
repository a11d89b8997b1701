// The HTTP role: builds the app and listens. Closing stops accepting connections and lets
// in-flight requests finish (Fastify's close waits for them).
import { buildApp } from './app.ts';
import type { Services } from './services.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(services: Services): Promise<RunningServer> {
  // The process's logger: request lines read like every other line (pretty at a terminal).
  const app = buildApp(services, { loggerInstance: services.log });
  const url = await app.listen({ host: services.config.host, port: services.config.port });
  app.log.info(`WooCommerce webhook URL: ${services.config.publicUrl}/webhooks/woocommerce`);
  return { url, close: () => app.close() };
}
