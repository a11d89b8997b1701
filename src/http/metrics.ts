// GET /metrics in Prometheus' text format. Open by default, like /healthz: bind it to an internal
// interface or keep it off the public reverse proxy (docs/operations.md), or set METRICS_TOKEN to
// require "Authorization: Bearer <token>".
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { registry } from '../metrics.ts';

export interface MetricsOptions {
  /** METRICS_TOKEN, when set. */
  token: string | undefined;
  /** Every metric in Prometheus' text format, the shared gauges read afresh. */
  render: () => Promise<string>;
}

export async function metricsRoutes(app: FastifyInstance, options: MetricsOptions): Promise<void> {
  app.get('/metrics', async (request, reply) => {
    if (!authorised(request.headers.authorization, options.token)) {
      return reply.code(401).send({ ok: false, error: 'unauthorized', message: 'GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>".' });
    }
    return reply.type(registry.contentType).send(await options.render());
  });
}

export function authorised(header: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
