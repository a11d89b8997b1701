// The HTTP role: builds the app and listens. Closing stops accepting connections and lets
// in-flight requests finish (Fastify's close waits for them).
import { buildApp } from './app.ts';
import type { Services } from './services.ts';

export interface RunningServer {
  url: string;
  close(): Promise<void>;
}

export async function startServer(services: Services): Promise<RunningServer> {
  const app = buildApp(services);
  const url = await app.listen({ host: services.config.host, port: services.config.port });
  app.log.info(`WooCommerce webhook URL: ${services.config.publicUrl}/webhooks/woocommerce`);
  return { url, close: () => app.close() };
}
