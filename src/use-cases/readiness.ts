// Whether the bridge can take deliveries, and what is wrong in words: Postgres, Redis and the Zoho
// connection, each checked with a short timeout. /readyz and `status` both answer from it.
import type { ZohoConnectionRepository } from '../db/zoho-connection.ts';
import type { ZohoQuota } from '../zoho/quota.ts';
import type { ZohoEndpoint } from '../zoho-names.ts';

const CHECK_TIMEOUT_MS = 1_500;

export interface ReadinessReport {
  ready: boolean;
  checks: {
    postgres: { ok: boolean; message: string };
    redis: { ok: boolean; message: string };
    zoho: {
      ok: boolean;
      state: string;
      message: string;
      /** Endpoints the bridge has paused after a suspected Zoho lock-out, and until when. */
      paused?: Array<{ endpoint: ZohoEndpoint; until: string }>;
    };
  };
}

export interface ReadinessDependencies {
  /** Asks Postgres something trivial. */
  pingPostgres: () => Promise<unknown>;
  pingRedis: () => Promise<unknown>;
  connections: Pick<ZohoConnectionRepository, 'get'>;
  quota: Pick<ZohoQuota, 'lockedFor'>;
}

export async function readiness(services: ReadinessDependencies): Promise<ReadinessReport> {
  const [postgres, redis] = await Promise.all([
    check(
      async () => {
        await services.pingPostgres();
      },
      'Postgres answers.',
      'Postgres is unreachable: deliveries cannot be stored (WooCommerce gets 503).',
    ),
    check(
      async () => {
        await services.pingRedis();
      },
      'Redis answers.',
      'Redis is unreachable: deliveries are stored and will be queued when it is back.',
    ),
  ]);
  const zoho = postgres.ok ? await zohoState(services, redis.ok) : { ok: false, state: 'unknown', message: 'Unknown while Postgres is down.' };
  // Ready means "can take deliveries". Without Redis or Zoho the bridge still stores every one
  // and answers 200; taking it out of rotation would turn those 200s into failures that
  // WooCommerce counts towards disabling the webhook (docs/woocommerce-webhooks.md, "Success, failure and disabling").
  return { ready: postgres.ok, checks: { postgres, redis, zoho } };
}

/** The endpoints whose pause matters to syncing (the reads are occasional). */
const WATCHED_ENDPOINTS: ZohoEndpoint[] = ['listsubscribe', 'listunsubscribe'];

async function zohoState(services: ReadinessDependencies, redisOk: boolean): Promise<ReadinessReport['checks']['zoho']> {
  const connection = await services.connections.get().catch(() => null);
  if (!connection) {
    return { ok: false, state: 'not_connected', message: 'Zoho Campaigns is not connected yet; deliveries are stored and will sync once it is.' };
  }
  if (connection.state !== 'connected') {
    return { ok: false, state: connection.state, message: connection.stateReason ?? 'The Zoho connection needs attention.' };
  }
  const paused = redisOk ? await pausedEndpoints(services) : [];
  if (paused.length > 0) {
    const which = paused.map((pause) => `${pause.endpoint} until ${pause.until}`).join(', ');
    return {
      ok: false,
      state: 'paused',
      message: `Connected to Zoho (${connection.dataCentre}), but Zoho reported a limit exceeded: paused ${which}. That work waits and resumes by itself.`,
      paused,
    };
  }
  return { ok: true, state: 'connected', message: `Connected to Zoho (${connection.dataCentre}).` };
}

async function pausedEndpoints(services: ReadinessDependencies): Promise<Array<{ endpoint: ZohoEndpoint; until: string }>> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<number[]>((resolve) => {
    timer = setTimeout(() => resolve(WATCHED_ENDPOINTS.map(() => 0)), CHECK_TIMEOUT_MS);
  });
  const lockedMs = await Promise.race([
    Promise.all(WATCHED_ENDPOINTS.map((endpoint) => services.quota.lockedFor(endpoint))).catch(() => WATCHED_ENDPOINTS.map(() => 0)),
    timeout,
  ]).finally(() => clearTimeout(timer));
  const now = Date.now();
  return WATCHED_ENDPOINTS.flatMap((endpoint, index) =>
    (lockedMs[index] ?? 0) > 0 ? [{ endpoint, until: new Date(now + lockedMs[index]!).toISOString() }] : [],
  );
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
