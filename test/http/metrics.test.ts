// GET /metrics after real traffic: deliveries by topic and outcome, sync jobs and their durations,
// Zoho calls by endpoint and code, token refreshes, quota waits and queue depth; and the token.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { customerBody, sendDelivery } from '../support/woocommerce.ts';

/** The value of one series in a Prometheus text exposition (0 when absent). */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('http: /metrics', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({
      env: { METRICS_TOKEN: 'scrape-token-123' },
      // Zoho locks listsubscribe out after 2 calls a minute, so a quota wait happens.
      simulator: { limits: { listsubscribe: { windows: [{ limit: 2, windowMs: 60_000 }], lockMs: 60_000 } } },
    });
  });
  after(() => bridge.close());

  const scrape = async () => {
    const response = await fetch(`${bridge.url}/metrics`, { headers: { authorization: 'Bearer scrape-token-123' } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    return response.text();
  };

  it('needs the bearer token when METRICS_TOKEN is set', async () => {
    assert.equal((await fetch(`${bridge.url}/metrics`)).status, 401);
    assert.equal((await fetch(`${bridge.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status, 401);
  });

  it('exposes the named series after some traffic', async () => {
    const before = await scrape();
    const stored = 'wzb_webhook_deliveries_total{topic="customer.created",outcome="stored"}';
    const duplicate = 'wzb_webhook_deliveries_total{topic="customer.created",outcome="duplicate"}';
    const badSignature = 'wzb_webhook_deliveries_total{topic="customer.created",outcome="bad_signature"}';
    const synced = 'wzb_sync_jobs_total{outcome="synced"}';

    const ids: string[] = [];
    for (const id of [501, 502, 503]) {
      const body = customerBody({ id, email: `metrics-${id}@example.com` });
      const response = await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body });
      ids.push(response.json().event as string);
      if (id === 501) await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body });
    }
    await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body: customerBody({ id: 504 }), secret: 'wrong-secret' });
    await sendDelivery(bridge.webhookUrl, { topic: 'x-made-up.topic', body: customerBody({ id: 505 }) });
    // Two are synced; the third meets Zoho's lock-out and waits.
    await waitFor('two synced and one waiting', async () => {
      const statuses = await bridge.services.db.webhookEvent.findMany({ where: { id: { in: ids.map(BigInt) } }, select: { status: true } });
      return statuses.filter((event) => event.status === 'synced').length === 2 && statuses.some((event) => event.status === 'waiting');
    });

    const text = await scrape();
    assert.equal(sample(text, stored) - sample(before, stored), 3);
    assert.equal(sample(text, duplicate) - sample(before, duplicate), 1);
    assert.equal(sample(text, badSignature) - sample(before, badSignature), 1);
    assert.ok(sample(text, 'wzb_webhook_deliveries_total{topic="other",outcome="ignored"}') >= 1, 'unknown topics are folded into "other"');
    assert.ok(sample(text, synced) - sample(before, synced) >= 2);
    assert.ok(sample(text, 'wzb_sync_jobs_total{outcome="waiting"}') >= 1);
    assert.ok(sample(text, 'wzb_sync_job_duration_seconds_count{outcome="synced"}') >= 2);
    assert.ok(sample(text, 'wzb_zoho_calls_total{endpoint="listsubscribe",code="0",outcome="done"}') >= 2);
    assert.ok(sample(text, 'wzb_zoho_calls_total{endpoint="listsubscribe",code="2008",outcome="rate_limited"}') >= 1);
    assert.ok(sample(text, 'wzb_zoho_call_duration_seconds_count{endpoint="listsubscribe"}') >= 3);
    assert.ok(sample(text, 'wzb_zoho_token_refreshes_total{result="ok"}') >= 1);
    assert.ok(sample(text, 'wzb_zoho_quota_waits_total{endpoint="listsubscribe",reason="locked_out"}') >= 1);
    assert.ok(sample(text, 'wzb_zoho_quota_wait_seconds_total{endpoint="listsubscribe",reason="locked_out"}') >= 1800);
    assert.match(text, /^wzb_queue_jobs\{queue="sync",state="waiting"\} \d+$/m);
    assert.match(text, /^wzb_queue_jobs\{queue="sync",state="prioritized"\} \d+$/m);
    assert.ok(sample(text, 'wzb_events{status="waiting"}') >= 1);
    assert.match(text, /^wzb_process_cpu_seconds_total /m, 'process metrics too');
  });
});
