// Drill 7: thousands of bad requests at the webhook URLs, from a seeded generator (test/support/
// fuzz.ts): malformed, truncated, wrongly typed, oversized, mis-signed, odd headers and paths.
// No 5xx, no crash, every refusal a JSON body with `error` and `message`, memory flat, and the
// bridge still healthy and syncing afterwards. FUZZ_SEED and FUZZ_REQUESTS replay or enlarge a run.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { customer, sendAll, waitUntilInZoho } from '../support/drills.ts';
import { fuzzRequests, sendFuzzRequest, type FuzzAnswer, type FuzzRequest } from '../support/fuzz.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_101);
const REQUESTS = Number(process.env.FUZZ_REQUESTS ?? 2_000);
const WARM_UP = 400;
const CONCURRENCY = 16;
const BODY_LIMIT = 64 * 1024;
const MAX_RSS_GROWTH_MB = 50;

// Memory is measured after a full collection, so what counts is what the bridge keeps, not garbage
// it has not collected yet.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;
const settledRss = () => {
  collectGarbage();
  return process.memoryUsage().rss;
};

describe('drill: bad input', () => {
  let bridge: TestBridge;
  before(async () => {
    // Workers start after the barrage: the drill is about the receiver, and they would compete for the CPU.
    bridge = await startBridge({ workers: false, env: { WEBHOOK_BODY_LIMIT_BYTES: String(BODY_LIMIT) } });
  });
  after(() => bridge.close());

  it(`answers ${REQUESTS} malformed, truncated, wrongly typed, oversized and mis-signed requests without a 5xx`, async (t) => {
    const requests = fuzzRequests(SEED, REQUESTS, BODY_LIMIT);
    const problems: string[] = [];
    const byStatus = new Map<string, number>();
    const started = performance.now();
    const send = async (batch: FuzzRequest[]) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          for (let index = next++; index < batch.length; index = next++) {
            const request = batch[index]!;
            check(request, await sendFuzzRequest(bridge.url, request));
          }
        }),
      );
    };

    const check = (request: FuzzRequest, answer: FuzzAnswer) => {
      const key = `${request.kind} ${answer.status ?? 'no answer'}`;
      byStatus.set(key, (byStatus.get(key) ?? 0) + 1);
      const where = `${request.kind} ${request.method} ${request.path.slice(0, 60)}`;
      if (answer.status === undefined) {
        // Only a request cut off in transit may go unanswered.
        if (request.kind !== 'cut-off') problems.push(`${where}: no answer`);
        return;
      }
      if (answer.status >= 500) problems.push(`${where}: HTTP ${answer.status} ${answer.body.slice(0, 300)}`);
      // HEAD has no body; a redirect (GET / goes to the dashboard) is not a refusal.
      if (request.method === 'HEAD' || answer.status === 204 || (answer.status >= 300 && answer.status < 400)) return;
      let body: { ok?: unknown; error?: unknown; message?: unknown };
      try {
        body = JSON.parse(answer.body) as typeof body;
      } catch {
        problems.push(`${where}: HTTP ${answer.status} with a body that is not JSON: ${answer.body.slice(0, 200)}`);
        return;
      }
      if (answer.status >= 400 && (typeof body.error !== 'string' || typeof body.message !== 'string' || body.message === '')) {
        problems.push(`${where}: HTTP ${answer.status} without error and message: ${answer.body.slice(0, 200)}`);
      }
    };

    await send(requests.slice(0, WARM_UP));
    const rssAfterWarmUp = settledRss();
    let peakRss = rssAfterWarmUp;
    // The rest in slices, sampling memory after each: growth that keeps climbing is a leak.
    const samples: number[] = [];
    for (let start = WARM_UP; start < requests.length; start += 400) {
      await send(requests.slice(start, start + 400));
      samples.push(settledRss());
      peakRss = Math.max(peakRss, samples.at(-1)!);
    }
    const seconds = (performance.now() - started) / 1000;
    const growthMb = (peakRss - rssAfterWarmUp) / 1024 / 1024;
    t.diagnostic(
      `seed ${SEED}: ${REQUESTS} requests in ${seconds.toFixed(1)} s; RSS ${(rssAfterWarmUp / 1048576).toFixed(0)} MB after warm-up, peak ${(peakRss / 1048576).toFixed(0)} MB (+${growthMb.toFixed(1)} MB); samples ${samples.map((rss) => (rss / 1048576).toFixed(0)).join(' ')} MB`,
    );
    t.diagnostic(
      [...byStatus]
        .sort()
        .map(([key, count]) => `${key}: ${count}`)
        .join(', '),
    );

    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems (FUZZ_SEED=${SEED})`);
    assert.ok(growthMb < MAX_RSS_GROWTH_MB, `RSS grew ${growthMb.toFixed(1)} MB after warm-up`);

    // Still healthy, and still doing its job.
    assert.equal((await fetch(`${bridge.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${bridge.url}/readyz`)).status, 200);
    // The barrage's own accepted deliveries (hundreds) are set aside, so this checks the bridge, not a backlog.
    await bridge.services.syncQueue.drain();
    await bridge.services.db.webhookEvent.updateMany({
      where: { status: { in: ['received', 'queued'] } },
      data: { status: 'skipped', statusReason: 'Set aside by the fuzz drill.' },
    });
    await bridge.startWorkers();
    const after = [customer('after-fuzz', 0)];
    await sendAll(bridge.webhookUrl, after);
    await waitUntilInZoho(bridge, after, 30_000);
  });
});
