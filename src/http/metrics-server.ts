// A worker running alone has no web server, yet its counters (sync jobs, Zoho calls, token
// refreshes) live in its own process. With METRICS_PORT set it serves GET /metrics and GET /healthz
// on that port: Prometheus scrapes every worker, and orchestrators can health-check it.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { registry } from '../metrics.ts';
import type { FastifyBaseLogger } from 'fastify';
import { authorised, type MetricsOptions } from './metrics.ts';

export interface RunningMetricsServer {
  port: number;
  close(): Promise<void>;
}

export async function startMetricsServer(options: MetricsOptions & { host: string; log: FastifyBaseLogger }, port: number): Promise<RunningMetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/healthz') {
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    } else if (request.method === 'GET' && path === '/metrics') {
      if (!authorised(request.headers.authorization, options.token)) {
        response.writeHead(401, { 'content-type': 'application/json' }).end('{"ok":false,"error":"unauthorized"}');
        return;
      }
      options.render().then(
        (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(text),
        (error: unknown) => {
          options.log.error({ err: error }, 'Could not render metrics');
          response.writeHead(500).end();
        },
      );
    } else {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"ok":false,"error":"not_found"}');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host, () => resolve());
  });
  options.log.info({ port }, 'Worker metrics on /metrics, health on /healthz');
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
