// Shared steps of the fault drills (test/reliability/): send numbered customers, and count what
// reached Postgres and the Zoho simulator, so a drill fails if a single event is lost.
import assert from 'node:assert/strict';
import type { EventStatus } from '../../src/db/generated/client.ts';
import type { RecordedCall } from '../../tools/zoho-simulator/index.ts';
import type { TestBridge } from './bridge.ts';
import { waitFor } from './bridge.ts';
import { customerBody, sendDelivery, type RawResponse } from './woocommerce.ts';

export const CUSTOMERS_LIST = 'sim-customers';
export const FINISHED: EventStatus[] = ['synced', 'coalesced', 'skipped', 'failed'];

export interface Customer {
  id: number;
  email: string;
  firstName: string;
  /** date_modified_gmt: a later value is a newer state. */
  modified: string;
}

/** Each drill name gets its own range of WooCommerce customer ids (up to 1,000 customers). */
const idBases = new Map<string, number>();

/** Customer `n` of a drill; `version` makes a newer state of the same customer. */
export function customer(drill: string, n: number, version = 1): Customer {
  if (!idBases.has(drill)) idBases.set(drill, 10_000 + idBases.size * 1_000);
  return {
    id: idBases.get(drill)! + n,
    email: `${drill}-${n}@example.com`,
    firstName: `${drill}-${n}-v${version}`,
    modified: new Date(Date.UTC(2026, 0, 1, 10, 0, version)).toISOString().slice(0, 19),
  };
}

export function sendCustomer(url: string, person: Customer, topic = 'customer.updated'): Promise<RawResponse> {
  return sendDelivery(url, {
    topic,
    body: customerBody({
      id: person.id,
      email: person.email,
      first_name: person.firstName,
      date_modified_gmt: person.modified,
      billing: { email: person.email, first_name: person.firstName },
    }),
  });
}

/** Sends every customer and returns the event ids of the 200 answers (asserting every answer is 200). */
export async function sendAll(url: string, people: Customer[], concurrency = 8): Promise<string[]> {
  return (await sendAllTimed(url, people, concurrency)).ids;
}

/** sendAll, also measuring how long the answers took. */
export async function sendAllTimed(url: string, people: Customer[], concurrency = 8): Promise<{ ids: string[]; medianMs: number; slowestMs: number }> {
  const ids: string[] = [];
  const latencies: number[] = [];
  const queue = [...people];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let person = queue.shift(); person; person = queue.shift()) {
        const started = performance.now();
        const response = await sendCustomer(url, person);
        latencies.push(performance.now() - started);
        assert.equal(response.status, 200, `delivery for ${person.email}: ${response.body}`);
        ids.push(response.json().event as string);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { ids, medianMs: latencies[Math.floor(latencies.length / 2)] ?? 0, slowestMs: latencies.at(-1) ?? 0 };
}

/** Waits until every one of these customers is on the Zoho list with exactly this state. */
export async function waitUntilInZoho(bridge: TestBridge, people: Customer[], timeoutMs = 20_000): Promise<void> {
  await waitFor(`${people.length} customers in the Zoho simulator`, async () => missingFromZoho(bridge, people).length === 0, timeoutMs).catch(
    (error: unknown) => {
      const missing = missingFromZoho(bridge, people);
      throw new Error(`${(error as Error).message}; missing or stale: ${missing.slice(0, 10).join(', ')} (${missing.length})`);
    },
  );
}

export function missingFromZoho(bridge: TestBridge, people: Customer[]): string[] {
  const contacts = bridge.sim.contacts(CUSTOMERS_LIST);
  return people
    .filter((person) => {
      const contact = contacts.get(person.email);
      return contact?.status !== 'active' || contact.fields['First Name'] !== person.firstName;
    })
    .map((person) => person.email);
}

/** Waits until none of the bridge's events is still pending; returns the count per status. */
export async function waitUntilSettled(bridge: TestBridge, timeoutMs = 20_000): Promise<Record<string, number>> {
  await waitFor(
    'every event to settle',
    async () => (await bridge.services.db.webhookEvent.count({ where: { status: { notIn: FINISHED } } })) === 0,
    timeoutMs,
  );
  return statusCounts(bridge);
}

export async function statusCounts(bridge: TestBridge): Promise<Record<string, number>> {
  const rows = await bridge.services.db.webhookEvent.groupBy({ by: ['status'], _count: { _all: true } });
  return Object.fromEntries(rows.map((row) => [row.status, row._count._all]));
}

/** After an outage the bridge's Redis connection needs a moment; cleaning up needs it. */
export async function waitForRedis(bridge: TestBridge): Promise<void> {
  await waitFor('the bridge to reach Redis again', async () => (await bridge.services.redis.ping().catch(() => '')) === 'PONG');
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
/** The most calls Zoho saw within any `windowMs`, counted the simulator's way (by arrival). */
export function busiestWindow(calls: readonly RecordedCall[], windowMs: number): number {
  const times = calls.map((call) => call.at).sort((a, b) => a - b);
  let most = 0;
  for (let end = 0, start = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}
