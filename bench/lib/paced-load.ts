// An open-loop load generator: requests leave at evenly spaced times whatever the server does,
// and each latency is measured from the time the request was due, so a stalled server shows up
// in the percentiles instead of quietly slowing the sender down (coordinated omission).
//
// autocannon's fixed-rate mode is different: each connection sends its per-second quota back to
// back at the start of every second and then idles, i.e. bursts at many times the nominal rate.
// Both are reported; this one is what a steady stream of WooCommerce deliveries looks like.
import type { Delivery } from './deliveries.ts';
import { KeepAliveClient } from './keep-alive-client.ts';
import { quantileMs, round } from './system.ts';

export interface PacedResult {
  rate: number;
  sent: number;
  ok: number;
  failed: number;
  durationSeconds: number;
  throughput: number;
  latencyMs: { p50: number; p90: number; p99: number; p99_9: number; max: number; mean: number };
  /** Event ids from the 200 answers, to check they are all committed. */
  eventIds: string[];
}

/**
 * `nextDelivery` is called once per request and must never repeat a body. `newConnections`: each
 * request on a connection of its own, as WooCommerce sends them to a bridge without a proxy.
 */
export async function runPaced(
  url: string,
  nextDelivery: () => Delivery,
  rate: number,
  durationSeconds: number,
  options: { newConnections?: boolean } = {},
): Promise<PacedResult> {
  const target = new URL(url);
  const client = new KeepAliveClient(target.hostname, Number(target.port), { reuse: !options.newConnections });
  const latencies: number[] = [];
  const eventIds: string[] = [];
  let failed = 0;
  let ok = 0;
  let inFlight = 0;
  const total = Math.round(rate * durationSeconds);
  const intervalMs = 1000 / rate;
  const start = performance.now();
  let due = 0; // requests whose time has come

  await new Promise<void>((resolve) => {
    const send = (dueAt: number) => {
      const delivery = nextDelivery();
      inFlight++;
      client.post(target.pathname, delivery.headers, delivery.body).then(
        (answer) => {
          latencies.push(performance.now() - dueAt);
          if (answer.status === 200) {
            ok++;
            const id = /"event":"(\d+)"/.exec(answer.body.toString('utf8'))?.[1];
            if (id) eventIds.push(id);
          } else {
            failed++;
          }
          done();
        },
        () => {
          failed++;
          done();
        },
      );
    };
    const done = () => {
      inFlight--;
      if (due >= total && inFlight === 0) resolve();
    };
    // A 1 ms tick sends everything that has fallen due; each request keeps its own due time.
    const tick = setInterval(() => {
      const now = performance.now() - start;
      while (due < total && due * intervalMs <= now) {
        send(start + due * intervalMs);
        due++;
      }
      if (due >= total) clearInterval(tick);
    }, 1);
  });
  const durationSecondsMeasured = (performance.now() - start) / 1000;
  client.close();
  latencies.sort((a, b) => a - b);
  const at = (q: number) => quantileMs(latencies, q);
  return {
    rate,
    sent: total,
    ok,
    failed,
    durationSeconds: round(durationSecondsMeasured, 2),
    throughput: round(ok / durationSecondsMeasured, 0),
    latencyMs: {
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      p99_9: at(0.999),
      max: round(latencies[latencies.length - 1] ?? NaN, 2),
      mean: round(latencies.reduce((sum, value) => sum + value, 0) / Math.max(1, latencies.length), 2),
    },
    eventIds,
  };
}
