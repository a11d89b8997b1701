// Health endpoints for orchestrators and the dashboard: /healthz says the process is alive;
// /readyz checks Postgres, Redis and the Zoho connection and says what is wrong in words.
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';

const CHECK_TIMEOUT_MS = 1_500;

export interface ReadinessReport {
  ready: boolean;
  checks: {
    postgres: { ok: boolean; message: string };
    redis: { ok: boolean; message: string };
    zoho: { ok: boolean; state: string; message: string };
  };
}

export async function healthRoutes(app: FastifyInstance, options: { services: Services }): Promise<void> {
  app.get('/healthz', async () => ({ ok: true }));
  app.get('/readyz', async (_request, reply) => {
    const report = await readiness(options.services);
    return reply.code(report.ready ? 200 : 503).send(report);
  });
}

export async function readiness(services: Services): Promise<ReadinessReport> {
  const [postgres, redis] = await Promise.all([
    check(async () => {
      await services.db.$queryRaw`SELECT 1`;
    }, 'Postgres answers.', 'Postgres is unreachable: deliveries cannot be stored (WooCommerce gets 503).'),
    check(async () => {
      await services.redis.ping();
    }, 'Redis answers.', 'Redis is unreachable: deliveries are stored and will be queued when it is back.'),
  ]);
  const zoho = postgres.ok ? await zohoState(services) : { ok: false, state: 'unknown', message: 'Unknown while Postgres is down.' };
  // Zoho being disconnected does not make the bridge unready: it still stores every delivery.
  return { ready: postgres.ok && redis.ok, checks: { postgres, redis, zoho } };
}

async function zohoState(services: Services) {
  const connection = await services.repositories.zohoConnection.get().catch(() => null);
  if (!connection) {
    return { ok: false, state: 'not_connected', message: 'Zoho Campaigns is not connected yet; deliveries are stored and will sync once it is.' };
  }
  if (connection.state !== 'connected') {
    return { ok: false, state: connection.state, message: connection.stateReason ?? 'The Zoho connection needs attention.' };
  }
  return { ok: true, state: 'connected', message: `Connected to Zoho (${connection.dataCentre}).` };
}

async function check(probe: () => Promise<void>, okMessage: string, failMessage: string) {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timeout')), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([probe(), timeout]);
    return { ok: true, message: okMessage };
  } catch {
    return { ok: false, message: failMessage };
  } finally {
    clearTimeout(timer);
  }
}
