// Drives signed deliveries at an HTTP target with autocannon. Every request gets a distinct body
// from setupRequest (the bridge stores identical bytes only once), over keep-alive connections.
import autocannon from 'autocannon';
import type { Delivery } from './deliveries.ts';
import { round } from './system.ts';

export interface LoadRun {
  /** Requests per second to aim for; undefined = as fast as the target answers (saturation). */
  rate: number | undefined;
  connections: number;
  /** Run this long, or until `amount` requests were answered. */
  durationSeconds?: number;
  amount?: number;
}

export interface LoadResult {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  durationSeconds: number;
  /** 2xx answers per second over the run. */
  throughput: number;
  latencyMs: { p50: number; p90: number; p99: number; p99_9: number; max: number; mean: number };
  statusCodes: Record<string, number>;
  /** Event ids from the 200 answers, to check they are all committed. */
  eventIds: string[];
}

/** `nextDelivery` is called once per request and must never repeat a body. */
export async function runLoad(url: string, nextDelivery: () => Delivery, run: LoadRun): Promise<LoadResult> {
  const eventIds: string[] = [];
  const target = new URL(url);
  const instance = autocannon({
    url: target.origin,
    connections: run.connections,
    ...(run.amount ? { amount: run.amount } : { duration: run.durationSeconds ?? 10 }),
    ...(run.rate ? { overallRate: run.rate } : {}),
    // Autocannon's correction adds synthetic samples at 1 ms steps for rate-limited runs, which
    // dilutes the percentiles; we report what each request actually took.
    ...(run.rate ? { ignoreCoordinatedOmission: true } : {}),
    timeout: 30,
    requests: [
      {
        method: 'POST',
        path: target.pathname,
        setupRequest: (request) => {
          const delivery = nextDelivery();
          return { ...request, body: delivery.body as unknown as string, headers: delivery.headers };
        },
        onResponse: (status, body) => {
          if (status !== 200) return;
          const id = /"event":"(\d+)"/.exec(body)?.[1];
          if (id) eventIds.push(id);
        },
      },
    ],
  });
  const raw = await instance;
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(raw.statusCodeStats ?? {})) statusCodes[code] = stats?.count ?? 0;
  const ok = raw['2xx'];
  return {
    sent: raw.requests.sent,
    ok,
    non2xx: raw.non2xx,
    errors: raw.errors,
    timeouts: raw.timeouts,
    durationSeconds: round(raw.duration, 2),
    throughput: round(ok / raw.duration, 0),
    latencyMs: {
      p50: raw.latency.p50,
      p90: raw.latency.p90,
      p99: raw.latency.p99,
      p99_9: raw.latency.p99_9,
      max: raw.latency.max,
      mean: round(raw.latency.mean, 2),
    },
    statusCodes,
    eventIds,
  };
}
