// Health endpoints for orchestrators and the dashboard: /healthz says the process is alive;
// /readyz checks Postgres, Redis and the Zoho connection and says what is wrong in words.
import type { FastifyInstance } from 'fastify';
import type { ReadinessReport } from '../use-cases/readiness.ts';

export async function healthRoutes(app: FastifyInstance, options: { readiness: () => Promise<ReadinessReport> }): Promise<void> {
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    const report = await options.readiness();
    return reply.code(report.ready ? 200 : 503).send(report);
  });
}
