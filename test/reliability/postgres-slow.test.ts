// Postgres answers, but slowly: a commit that takes seconds (a checkpoint on a busy disk, a lock)
// is not an outage. The delivery waits for it and gets its 200, because a 503 would count
// towards the 7 consecutive failures after which WooCommerce disables the webhook.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { customer, sendCustomer, waitUntilInZoho } from '../support/drills.ts';

const STALL_MS = 3_000;

describe('drill: Postgres slow to commit', () => {
  let bridge: TestBridge;
  let blocker: pg.Client;
  before(async () => {
    bridge = await startBridge(); // the default WEBHOOK_STORE_TIMEOUT_MS
    blocker = new pg.Client({ connectionString: bridge.config.databaseUrl });
    await blocker.connect();
  });
  after(async () => {
    await blocker.end();
    await bridge.close();
  });

  it(`answers 200 to a delivery whose INSERT waited ${STALL_MS / 1000} s, and syncs it`, async () => {
    // Holds every INSERT into webhook_events until COMMIT, as a stalled commit would.
    await blocker.query('BEGIN');
    await blocker.query('LOCK TABLE webhook_events IN EXCLUSIVE MODE');
    const person = customer('pg-slow', 1);
    const started = performance.now();
    const answer = sendCustomer(bridge.webhookUrl, person);
    await new Promise((resolve) => setTimeout(resolve, STALL_MS));
    await blocker.query('COMMIT');
    const response = await answer;
    const tookMs = performance.now() - started;
    assert.equal(response.status, 200, response.body);
    assert.ok(tookMs >= STALL_MS, `answered after ${tookMs.toFixed(0)} ms, before the lock was released`);
    assert.ok(bridge.config.webhookStoreTimeoutMs > STALL_MS);
    await waitUntilInZoho(bridge, [person]);
  });
});
