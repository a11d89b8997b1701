// While Postgres is out of reach no incident can be written there: the worker tells the owner
// directly (once across workers, then daily, through Redis), and once Postgres answers again the
// outage is recorded as an incident and its "resolved" message goes out through the outbox.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createPrismaClient } from '../../src/db/client.ts';
import { startAlertHarness, type AlertHarness } from '../support/alerts.ts';

const HOUR = 60 * 60_000;

describe('alerts while the database is down', () => {
  let h: AlertHarness;
  const unreachable = createPrismaClient('postgresql://postgres@127.0.0.1:1/nowhere', { connectionTimeoutMs: 1_000 });
  before(async () => {
    h = await startAlertHarness();
  });
  after(async () => {
    await unreachable.$disconnect();
    await h.close();
  });

  it('tells the owner directly, once and then daily, and records the incident when Postgres is back', async () => {
    const outageStart = h.clock.now;
    const [workerA, workerB] = [h.alertsOn(unreachable), h.alertsOn(unreachable)];
    const results = await Promise.all([workerA.evaluate.run(), workerB.evaluate.run()]);
    assert.deepEqual(
      results.map((result) => result.databaseDown),
      [true, true],
    );
    assert.deepEqual(h.sent(), ['The bridge cannot store deliveries'], 'told once, by one of two workers');
    assert.match(h.smtp.mails.at(-1)!.text, /could not reach its database since/);

    for (let hour = 0; hour < 23; hour++) {
      h.clock.advance(HOUR);
      await workerA.evaluate.run();
    }
    assert.deepEqual(h.sent(), []);
    h.clock.advance(2 * HOUR);
    await workerB.evaluate.run();
    await workerA.evaluate.run();
    assert.deepEqual(h.sent(), ['Still open: The bridge cannot store deliveries'], 'reminded once a day');

    await h.round();
    assert.deepEqual(h.sent(), ['Resolved: The bridge can store deliveries again']);
    const incident = await h.bridge.services.db.alertIncident.findFirstOrThrow({ where: { kind: 'receiver_storage' } });
    assert.equal(incident.subject, 'database');
    assert.equal(incident.openedAt.getTime(), outageStart.getTime(), 'recorded from when it began');
    assert.equal(incident.resolvedAt?.getTime(), h.clock.now.getTime());
    await h.round();
    assert.deepEqual(h.sent(), [], 'recorded once');
  });
});
