// GET /metrics in Prometheus' text format. Open by default, like /healthz: bind it to an internal
// interface or keep it off the public reverse proxy (docs/operations.md), or set METRICS_TOKEN to
// require "Authorization: Bearer <token>".
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { INCIDENT_KINDS } from '../alerts/incident.ts';
import { collectSharedGauges, registry } from '../metrics.ts';
import type { Services } from '../services.ts';

export async function metricsRoutes(app: FastifyInstance, options: { services: Services }): Promise<void> {
  const { services } = options;
  app.get('/metrics', async (request, reply) => {
    if (!authorised(request.headers.authorization, services.config.metrics.token)) {
      return reply.code(401).send({ ok: false, error: 'unauthorized', message: 'GET /metrics needs "Authorization: Bearer <METRICS_TOKEN>".' });
    }
    return reply.type(registry.contentType).send(await renderMetrics(services));
  });
}

export async function renderMetrics(services: Services): Promise<string> {
  await collectSharedGauges({ syncQueue: services.syncQueue, events: services.repositories.events, incidents: { kinds: INCIDENT_KINDS, countOpenByKind: () => services.alerts.incidents.countOpenByKind() } });
  return registry.metrics();
}

export function authorised(header: string | undefined, token: string | undefined): boolean {
  if (!token) return true;
  const given = Buffer.from(header ?? '');
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
