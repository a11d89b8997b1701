// The receiver, end to end over HTTP with WooCommerce's exact bytes (docs/woocommerce-webhooks.md, "Signature"), on a
// real Postgres and Redis. Workers are off here: these tests are about what is stored and queued.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { customerBody, deliveryRequest, fixtureBytes, postRaw, sendDelivery, sendPing } from '../support/woocommerce.ts';
import { syncJobOf } from '../support/sync-jobs.ts';

describe('POST /webhooks/woocommerce', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false });
  });
  after(() => bridge.close());

  const events = () => bridge.services.db.webhookEvent.findMany({ orderBy: { id: 'asc' } });
  const rejections = () => bridge.services.db.rejectedDelivery.findMany({ orderBy: { id: 'asc' } });

  it("answers WooCommerce's unsigned form-encoded ping with exactly 200", async () => {
    const response = await sendPing(bridge.webhookUrl, 7);
    assert.equal(response.status, 200);
    assert.equal((await events()).length, 0);
  });

  it('keeps an idle connection open longer than the reverse proxies in deploy/ keep theirs', () => {
    // Caddy keeps idle upstream connections 2 min, deploy/nginx.conf 60 s; closing first would
    // let a proxy send a delivery down a connection the bridge has just closed (a 502).
    const caddyIdleMs = 120_000;
    const nginxIdleMs = 60_000;
    assert.ok(bridge.app.server.keepAliveTimeout > Math.max(caddyIdleMs, nginxIdleMs), `keepAliveTimeout ${bridge.app.server.keepAliveTimeout} ms`);
  });

  it('stores the PHP-encoded customer.created fixture byte for byte and queues it', async () => {
    const body = fixtureBytes('customer-created-42.json');
    const response = await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body });
    assert.equal(response.status, 200);
    const reply = response.json<{ ok: boolean; event: string; duplicate: boolean }>();
    assert.equal(reply.ok, true);
    assert.equal(reply.duplicate, false);

    const event = await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: BigInt(reply.event) } });
    assert.deepEqual(Buffer.from(event.body), body);
    assert.equal(event.bodySha256, '86d0b2ace7ea25b9f44cf79b4cf3574d64bf34713227dbb67840ee1e379030d9');
    assert.equal(event.topic, 'customer.created');
    assert.equal(event.contactKey, '42');
    assert.equal(event.modifiedAt?.toISOString(), '2025-03-14T09:21:08.000Z');
    assert.equal((event.headers as Record<string, string>)['x-wc-webhook-signature'], undefined);
    // Queued in a batch job (the deliveries stored together); a lone delivery's batch holds just it.
    const job = await waitForJob(bridge, reply.event);
    assert.equal(job.name, 'sync-events');
    assert.deepEqual(job.data, { eventIds: [reply.event] });
  });

  it('queues deliveries that arrive together in one batch job, each event in exactly one', async () => {
    const replies = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body: customerBody({ id: 900 + n, email: `together${n}@example.com` }) }),
      ),
    );
    const ids = replies.map((reply) => reply.json().event as string);
    const jobs = await Promise.all(ids.map((id) => waitForJob(bridge, id)));
    const byId = new Map(jobs.map((job) => [job.id, job.data as { eventIds: string[] }]));
    assert.ok(byId.size < ids.length, `${byId.size} jobs for ${ids.length} deliveries`);
    const carried = [...byId.values()].flatMap((data) => data.eventIds);
    assert.deepEqual([...carried].sort(), [...ids].sort());
  });

  it('refuses a missing signature with 401, says why, and records it', async () => {
    const before = (await rejections()).length;
    const response = await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body: customerBody(), signature: null });
    assert.equal(response.status, 401);
    assert.equal(response.json().error, 'missing_signature');
    assert.match(String(response.json().message), /X-WC-Webhook-Signature header is missing/);
    const recorded = (await rejections()).slice(before);
    assert.equal(recorded.length, 1);
    assert.equal(recorded[0]?.reason, 'missing_signature');
  });

  it('refuses a wrong signature with 401 and keeps the body to replay after fixing the secret', async () => {
    const body = customerBody({ id: 77 });
    const response = await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body, secret: 'not-the-secret' });
    assert.equal(response.status, 401);
    assert.equal(response.json().error, 'bad_signature');
    const last = (await rejections()).at(-1);
    assert.equal(last?.reason, 'bad_signature');
    assert.equal(Buffer.from(last!.body!).toString('utf8'), body);
    assert.equal(await bridge.services.db.webhookEvent.count({ where: { resourceId: '77' } }), 0);
  });

  it('records where a refused delivery came from: the client a proxy on this host names', async () => {
    const { headers, body } = deliveryRequest({ topic: 'customer.updated', body: customerBody({ id: 78 }), secret: 'not-the-secret' });
    const response = await postRaw(bridge.webhookUrl, [...headers, ['X-Forwarded-For', '203.0.113.7']], body);
    assert.equal(response.status, 401);
    assert.equal((await rejections()).at(-1)?.remoteAddress, '203.0.113.7');
  });

  it('stores an identical redelivery once and counts it', async () => {
    const body = customerBody({ id: 501, date_modified_gmt: '2025-04-01T10:00:00' });
    const first = await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body });
    const second = await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body });
    assert.equal(first.status, 200);
    assert.equal(second.status, 200);
    assert.equal(second.json().duplicate, true);
    assert.equal(second.json().event, first.json().event);
    const stored = await bridge.services.db.webhookEvent.findMany({ where: { resourceId: '501' } });
    assert.equal(stored.length, 1);
    assert.equal(stored[0]?.redeliveries, 1);
  });

  it('never merges two different deliveries that share an X-WC-Webhook-Delivery-ID', async () => {
    const deliveryId = 'aaaabbbbccccddddeeeeffff00001111';
    const first = await sendDelivery(bridge.webhookUrl, {
      topic: 'customer.updated',
      body: customerBody({ id: 601, first_name: 'Ana' }),
      deliveryId,
    });
    const second = await sendDelivery(bridge.webhookUrl, {
      topic: 'customer.updated',
      body: customerBody({ id: 601, first_name: 'Anabel' }),
      deliveryId,
    });
    assert.notEqual(first.json().event, second.json().event);
    assert.equal(await bridge.services.db.webhookEvent.count({ where: { deliveryId } }), 2);
  });

  it('answers malformed JSON with 400 and records it', async () => {
    const response = await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body: '{"id":42,"email":' });
    assert.equal(response.status, 400);
    assert.equal(response.json().error, 'malformed_json');
    assert.equal((await rejections()).at(-1)?.reason, 'malformed_json');
  });

  it('stores a signed payload of the wrong shape and answers 200: the worker checks the shape', async () => {
    const response = await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body: '{"email":"x@example.com"}' });
    assert.equal(response.status, 200);
    const event = await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: BigInt(response.json().event as string) } });
    assert.equal(event.topic, 'customer.updated');
  });

  it('answers a body over the limit with 413 and records it', async () => {
    const body = customerBody({ meta_data: [{ id: 1, key: 'blob', value: 'x'.repeat(bridge.config.webhookBodyLimitBytes) }] });
    const response = await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body });
    assert.equal(response.status, 413);
    assert.equal(response.json().error, 'too_large');
    assert.equal((await rejections()).at(-1)?.reason, 'too_large');
  });

  it('answers an unsupported content type with 415 and records it', async () => {
    const response = await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body: customerBody(), contentType: 'text/xml' });
    assert.equal(response.status, 415);
    assert.equal(response.json().error, 'unsupported_media_type');
    assert.equal((await rejections()).at(-1)?.reason, 'unsupported_media_type');
  });

  it('acknowledges topics it does not act on with 200 and records them as skipped', async () => {
    const response = await sendDelivery(bridge.webhookUrl, { topic: 'order.created', body: '{"id":900,"status":"processing"}' });
    assert.equal(response.status, 200);
    const event = await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: BigInt(response.json().event as string) } });
    assert.equal(event.status, 'skipped');
    assert.match(event.statusReason ?? '', /does not act on "order.created"/);
  });

  it('acknowledges a WooCommerce REST error body and records it as skipped', async () => {
    const body = '{"code":"woocommerce_rest_invalid_id","message":"Invalid ID.","data":{"status":404}}';
    const response = await sendDelivery(bridge.webhookUrl, { topic: 'customer.updated', body });
    assert.equal(response.status, 200);
    const event = await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: BigInt(response.json().event as string) } });
    assert.equal(event.status, 'skipped');
    assert.match(event.statusReason ?? '', /woocommerce_rest_invalid_id/);
  });

  it('answers 404 for a store that does not exist', async () => {
    const response = await sendDelivery(`${bridge.webhookUrl}/no-such-store`, { topic: 'customer.updated', body: customerBody() });
    assert.equal(response.status, 404);
    assert.equal(response.json().error, 'unknown_store');
  });

  it('refuses a form post that is not a ping', async () => {
    const response = await postRaw(bridge.webhookUrl, [['Content-Type', 'application/x-www-form-urlencoded']], Buffer.from('hello=world'));
    assert.equal(response.status, 415);
  });
});

async function waitForJob(bridge: TestBridge, eventId: string) {
  for (let tries = 0; tries < 100; tries++) {
    const job = await syncJobOf(bridge.services, eventId);
    if (job) return job;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`No job for event ${eventId}`);
}
