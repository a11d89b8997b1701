// The pure rules: what to do with incidents given what holds now, and when a store counts as quiet.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OpenIncident } from '../../src/alerts/incident.ts';
import { planIncidents } from '../../src/alerts/plan.ts';
import { judgeQuiet } from '../../src/alerts/quiet-store.ts';

const HOUR = 60 * 60_000;
const NOW = new Date('2026-12-08T12:00:00Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

function incident(kind: OpenIncident['kind'], subject: string, toldAgoMs: number): OpenIncident {
  return { id: 1n, kind, subject, openedAt: ago(toldAgoMs), lastNotifiedAt: ago(toldAgoMs), details: {} };
}

describe('planIncidents', () => {
  it('opens what is new, reminds after a day, resolves what no longer holds, and leaves unknown kinds alone', () => {
    const actions = planIncidents({
      observations: [
        { kind: 'zoho_reconnect', subject: 'zoho', details: {} },
        { kind: 'store_quiet', subject: 'a', details: {} },
        { kind: 'woocommerce_webhooks', subject: 'a', details: {} },
      ],
      open: [
        incident('store_quiet', 'a', 25 * HOUR),
        incident('woocommerce_webhooks', 'a', 23 * HOUR),
        incident('zoho_paused', 'listsubscribe', HOUR),
        incident('backfill', '1:stopped', HOUR),
      ],
      unknownKinds: new Set(['backfill']),
      now: NOW,
    });
    assert.deepEqual(
      actions.map((action) => [action.type, 'observation' in action ? action.observation.kind : action.incident.kind]),
      [
        ['open', 'zoho_reconnect'],
        ['remind', 'store_quiet'],
        ['resolve', 'zoho_paused'],
      ],
    );
  });

  it('sends a digest at most hourly, and only when something new happened', () => {
    const failing = (latestAgoMs: number) => [{ kind: 'changes_failed' as const, subject: 'all', details: {}, latestAt: ago(latestAgoMs) }];
    const plan = (toldAgoMs: number, latestAgoMs: number) =>
      planIncidents({ observations: failing(latestAgoMs), open: [incident('changes_failed', 'all', toldAgoMs)], unknownKinds: new Set(), now: NOW }).map(
        (action) => action.type,
      );
    assert.deepEqual(plan(30 * 60_000, 60_000), [], 'new failures, but told half an hour ago');
    assert.deepEqual(plan(HOUR, 60_000), ['digest']);
    assert.deepEqual(plan(2 * HOUR, 3 * HOUR), [], 'nothing new since the last message');
  });

  it('tells a notice (a finished backfill) without opening anything', () => {
    const actions = planIncidents({
      observations: [{ kind: 'backfill', subject: '4:done', details: {}, notice: true }],
      open: [],
      unknownKinds: new Set(),
      now: NOW,
    });
    assert.deepEqual(
      actions.map((action) => action.type),
      ['notice'],
    );
  });
});

describe('judgeQuiet', () => {
  const hourly = (fromAgoMs: number, toAgoMs: number, stepMs: number) => {
    const hours: Date[] = [];
    for (let at = fromAgoMs; at >= toAgoMs; at -= stepMs) hours.push(ago(at));
    return hours;
  };

  it('calls a store quiet after 24 h of silence when it sent every day of the week before', () => {
    const activeHours = hourly(8 * 24 * HOUR, 25 * HOUR, 2 * HOUR);
    const verdict = judgeQuiet({ lastDeliveryAt: ago(25 * HOUR), activeHours }, NOW);
    assert.equal(verdict.quiet, true);
    assert.equal(judgeQuiet({ lastDeliveryAt: ago(23 * HOUR), activeHours }, NOW).quiet, false, 'never under a day');
  });

  it('waits twice the store’s usual longest silence', () => {
    // Busy by day only: a 14-hour gap every night; quiet only after 28 hours.
    const activeHours = Array.from({ length: 7 }, (_, day) => Array.from({ length: 11 }, (_, hour) => ago(26 * HOUR + day * 24 * HOUR + hour * HOUR))).flat();
    assert.equal(judgeQuiet({ lastDeliveryAt: ago(26 * HOUR), activeHours }, NOW).quiet, false);
    assert.equal(judgeQuiet({ lastDeliveryAt: ago(29 * HOUR), activeHours: activeHours.map((hour) => new Date(hour.getTime() - 3 * HOUR)) }, NOW).quiet, true);
  });

  it('never calls a store quiet that sends on fewer than 5 days a week, or never sent anything', () => {
    const fourDays = [1, 2, 3, 4].map((day) => ago(30 * HOUR + day * 24 * HOUR));
    assert.equal(judgeQuiet({ lastDeliveryAt: ago(30 * HOUR), activeHours: [ago(30 * HOUR), ...fourDays.slice(0, 3)] }, NOW).quiet, false);
    assert.equal(judgeQuiet({ lastDeliveryAt: undefined, activeHours: [] }, NOW).quiet, false);
  });
});
