// Health endpoints for orchestrators and the dashboard: /healthz says the process is alive;
// /readyz checks Postgres, Redis and the Zoho connection and says what is wrong in words.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import { readiness } from '../use-cases/readiness.ts';

export async function healthRoutes(app: FastifyInstance, options: { services: Services }): Promise<void> {
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    const report = await readiness(options.services);
    return reply.code(report.ready ? 200 : 503).send(report);
  });
}
