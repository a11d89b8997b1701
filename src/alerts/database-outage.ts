// Telling the owner that Postgres is out of reach, which is where incidents live. While it is
// down the worker keeps the incident in Redis and sends directly, with the alert settings it read
// last; once Postgres answers again the incident is written there, closed, and its "resolved"
// message goes out through the outbox like any other (docs/alerts.md, "When the database is down").
import type { RedisClient } from '../redis/connection.ts';
import type { AlertIncidentRepository } from '../db/alert-incidents.ts';
import type { AlertChannel } from './channels/channel.ts';
import { REMINDER_EVERY_MS } from './incident.ts';
import { alertText } from './wording.ts';

export interface OutageLog {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface DatabaseOutageOptions {
  redis: RedisClient;
  prefix: string;
  channels: () => AlertChannel[];
  publicUrl: string;
  log: OutageLog;
}

export const OUTAGE_KIND = 'receiver_storage';
export const OUTAGE_SUBJECT = 'database';

export class DatabaseOutageAlerts {
  readonly #key: string;

  constructor(private readonly options: DatabaseOutageOptions) {
    this.#key = `${options.prefix}:alerts:database-down`;
  }

  /** Called each round Postgres cannot be reached: tells the owner once, then once a day. */
  async whileDown(now: Date): Promise<void> {
    const { redis } = this.options;
    await redis.hsetnx(this.#key, 'since', String(now.getTime()));
    const since = Number(await redis.hget(this.#key, 'since'));
    const day = Math.floor((now.getTime() - since) / REMINDER_EVERY_MS);
    // One claim per day of the outage, across every worker: SET NX decides who sends it.
    const claim = `${this.#key}:told:${since}:${day}`;
    if ((await redis.set(claim, '1', 'PX', 2 * REMINDER_EVERY_MS, 'NX')) !== 'OK') return;
    const details = { since: new Date(since).toISOString(), refused: 0 };
    const text = alertText(OUTAGE_KIND, day === 0 ? 'opened' : 'reminder', details, this.options.publicUrl);
    const failures: string[] = [];
    for (const channel of this.options.channels()) {
      try {
        await channel.send({
          ...text,
          kind: OUTAGE_KIND,
          event: day === 0 ? 'opened' : 'reminder',
          subject: OUTAGE_SUBJECT,
          openedAt: new Date(since),
          details,
        });
      } catch (error) {
        failures.push(`${channel.name}: ${(error as Error).message}`);
      }
    }
    if (failures.length > 0) {
      // Give the claim back so the next round tries again.
      await redis.del(claim);
      this.options.log.error({ failures }, 'Could not tell the owner that the database is out of reach; trying again next round');
      return;
    }
    await redis.hset(this.#key, 'notified', String(now.getTime()));
    this.options.log.info({ since: new Date(since) }, 'Told the owner that the database is out of reach');
  }

  /** Called each round Postgres answers: records a finished outage there, with its "resolved" message. */
  async afterRecovery(incidents: AlertIncidentRepository, now: Date): Promise<void> {
    const { redis } = this.options;
    const fields = await redis.hgetall(this.#key);
    if (!fields.since) return;
    const openedAt = new Date(Number(fields.since));
    const details = { since: openedAt.toISOString(), refused: 0 };
    const resolved = alertText(OUTAGE_KIND, 'resolved', details, this.options.publicUrl);
    await incidents.recordPast(
      { kind: OUTAGE_KIND, subject: OUTAGE_SUBJECT, details, openedAt, lastNotifiedAt: new Date(Number(fields.notified ?? fields.since)) },
      { kind: 'resolved', ...resolved },
      now,
    );
    await redis.del(this.#key);
  }
}
