// Drill 5: Zoho misbehaves in every way it can: no answer (the per-request timeout), an answer lost
// after Zoho did the work, a reset connection, 5xx, an HTML page, broken JSON, and error codes
// inside HTTP 200. Each is classified; transient ones are retried with exponential backoff and
// jitter and then succeed; after the last attempt the event is failed, visibly, and kept.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { customer, FINISHED, sendAll, waitUntilInZoho } from '../support/drills.ts';
import { syncJobOf } from '../support/sync-jobs.ts';

/** Short, to keep the drill quick; long enough that a loaded machine does not turn a reset into a timeout. */
const ZOHO_TIMEOUT_MS = 2_500;

describe('drill: Zoho misbehaving', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ env: { SYNC_ATTEMPTS: '3', ZOHO_TIMEOUT_MS: String(ZOHO_TIMEOUT_MS) } });
  });
  after(() => bridge.close());

  const settled = (id: string) =>
    waitFor(
      `event ${id} to settle`,
      async () => {
        const event = await bridge.services.db.webhookEvent.findUniqueOrThrow({ where: { id: BigInt(id) } });
        return FINISHED.includes(event.status) ? event : undefined;
      },
      20_000,
    );
  const log = (eventIds: string[]) => bridge.services.db.syncAttempt.findMany({ where: { eventId: { in: eventIds.map(BigInt) } }, orderBy: { id: 'asc' } });

  it('classifies every transient failure, retries it with backoff, and then succeeds', async () => {
    const faults = [
      { kind: 'timeout' }, // never answers: the per-request timeout ends it
      { kind: 'timeout', delayMs: ZOHO_TIMEOUT_MS + 500 }, // does the work, but the answer comes too late
      { kind: 'reset' },
      { kind: 'http500' },
      { kind: 'http503' },
      { kind: 'html' },
      { kind: 'malformed-json' },
      { kind: 'code', code: '2101' }, // "Please retry after sometime." inside HTTP 200
    ] as const;
    for (const fault of faults) bridge.sim.injectFault({ endpoint: 'listsubscribe', ...fault });
    const people = faults.map((_, n) => customer('zoho-fault', n));
    const ids = await sendAll(bridge.webhookUrl, people, 1);

    for (const id of ids) assert.equal((await settled(id)).status, 'synced');
    await waitUntilInZoho(bridge, people);

    const rows = await log(ids);
    const retries = rows.filter((row) => row.outcome === 'retry');
    assert.equal(retries.length, faults.length, 'one classified transient failure per fault');
    assert.equal(rows.filter((row) => row.outcome === 'done').length, people.length);
    const messages = retries.map((row) => `${row.httpStatus ?? '-'} ${row.zohoCode ?? '-'} ${row.zohoMessage}`).sort();
    const expected = [
      /^- - Zoho did not answer in time \(timeout\)\.$/,
      /^- - Zoho did not answer in time \(timeout\)\.$/,
      /^- - Zoho closed the connection \(reset\)\.$/,
      /^500 - Zoho answered HTTP 500 with an HTML page\.$/,
      /^503 - Zoho answered HTTP 503 with an HTML page\.$/,
      /^200 - Zoho answered HTTP 200 with an HTML page\.$/,
      /^200 - Zoho answered HTTP 200 with a body that is not JSON\.$/,
      /^200 2101 Please retry after sometime\.$/,
    ];
    for (const pattern of expected) {
      const index = messages.findIndex((message) => pattern.test(message));
      assert.ok(index >= 0, `a retry row matching ${pattern} among ${JSON.stringify(messages)}`);
      messages.splice(index, 1);
    }
    // The timeout is the bridge's own, per request: the calls that got no answer took about that long.
    for (const row of retries.filter((row) => /timeout/.test(row.zohoMessage ?? ''))) {
      assert.ok(row.durationMs >= ZOHO_TIMEOUT_MS - 50 && row.durationMs < ZOHO_TIMEOUT_MS + 2_000, `timed out after ${row.durationMs} ms`);
    }
    // Every event: attempt 1 failed, attempt 2 done, with a backoff of 1–2 s between (2 s, jitter 0.5).
    for (const id of ids) {
      const own = rows.filter((row) => row.eventId === BigInt(id));
      assert.deepEqual(
        own.map((row) => [row.attempt, row.outcome]),
        [
          [1, 'retry'],
          [2, 'done'],
        ],
      );
      const gap = own[1]!.createdAt.getTime() - own[0]!.createdAt.getTime();
      // The upper bound leaves room for a loaded machine; the lower one is the backoff's floor.
      assert.ok(gap >= 950 && gap < 8_000, `event ${id}: retried after ${gap} ms`);
    }
  });

  it("fails at once, with Zoho's words, an error code Zoho will repeat", async () => {
    bridge.sim.injectFault({ endpoint: 'listsubscribe', kind: 'code', code: '2501', message: 'Listkey invalid.' });
    const [id] = await sendAll(bridge.webhookUrl, [customer('zoho-permanent', 0)]);
    const event = await settled(id!);
    assert.equal(event.status, 'failed');
    assert.match(event.statusReason ?? '', /code 2501: Listkey invalid\./);
    assert.deepEqual(
      (await log([id!])).map((row) => row.outcome),
      ['permanent'],
    );
    assert.equal(await syncJobOf(bridge.services, id!), undefined, 'no job is left to try it again');
  });

  it('after the last attempt marks the event failed, visible and kept, with growing backoff between attempts', async () => {
    bridge.sim.injectFault({ endpoint: 'listsubscribe', kind: 'http503', times: 3 });
    const person = customer('zoho-exhausted', 0);
    const [id] = await sendAll(bridge.webhookUrl, [person]);
    const event = await settled(id!);
    assert.equal(event.status, 'failed');
    assert.match(event.statusReason ?? '', /^Gave up after 3 attempts\. Last error: .*HTTP 503/);
    assert.equal(event.attempts, 3);

    const rows = await log([id!]);
    assert.deepEqual(
      rows.map((row) => [row.attempt, row.outcome]),
      [
        [1, 'retry'],
        [2, 'retry'],
        [3, 'retry'],
      ],
    );
    const [first, second] = [1, 2].map((n) => rows[n]!.createdAt.getTime() - rows[n - 1]!.createdAt.getTime());
    // Floors of 1 s then 2 s: the second wait is at least what the first could be at most.
    assert.ok(first! >= 950 && first! < 6_000, `first backoff ${first} ms (1–2 s)`);
    assert.ok(second! >= 1_950 && second! < 10_000, `second backoff ${second} ms (2–4 s)`);

    // After its first attempt (in the batch it arrived in) the event got a job of its own, which is
    // kept as failed in the queue with the backoff it used: the 2 s of the first retry, doubled.
    const job = await bridge.services.syncQueue.getJob(`event-${id}`);
    assert.equal(await job?.getState(), 'failed');
    assert.deepEqual(job?.data, { eventId: id, attemptsBefore: 1 });
    assert.deepEqual(job?.opts.backoff, { type: 'exponential', delay: 4_000, jitter: 0.5 });
    assert.ok(Buffer.from(event.body).length > 0);
    assert.equal(bridge.sim.contacts('sim-customers').has(person.email), false, 'Zoho never got it');
  });
});
