// Repository for alert_incidents and their outbox, alert_messages. Every change to an incident and
// the message it calls for are written in one transaction, guarded so that two workers (or a
// restarted one) deciding the same thing write it once: a unique index allows one open incident
// per kind and subject, and reminders and resolutions only apply to the state they were decided on.
import type { AlertIncident, AlertMessage } from './generated/client.ts';
import { Prisma } from './generated/client.ts';
import type { Db, DbTransaction } from './client.ts';

export interface NewAlertMessage {
  kind: string;
  title: string;
  text: string;
  link: string;
}

export type IncidentRow = AlertIncident;
export type AlertMessageRow = AlertMessage & { incident: AlertIncident };

/** The facts of an incident (numbers, names, times), stored as JSON. */
export type IncidentFacts = Record<string, unknown>;
type Details = IncidentFacts;
const json = (details: Details) => details as Prisma.InputJsonValue;

/** Recent closed incidents shown on the overview. */
const RECENT_DAYS = 7;

export class AlertIncidentRepository {
  constructor(private readonly db: Db) {}

  listOpen(): Promise<AlertIncident[]> {
    return this.db.alertIncident.findMany({ where: { resolvedAt: null }, orderBy: { openedAt: 'asc' } });
  }

  /** Open incidents and those closed in the last week, newest first, for the overview. */
  listOpenAndRecent(now: Date, take = 20): Promise<AlertIncident[]> {
    const since = new Date(now.getTime() - RECENT_DAYS * 24 * 60 * 60_000);
    return this.db.alertIncident.findMany({
      where: { OR: [{ resolvedAt: null }, { resolvedAt: { gte: since } }] },
      orderBy: [{ openedAt: 'desc' }],
      take,
    });
  }

  async countOpenByKind(): Promise<Record<string, number>> {
    const groups = await this.db.alertIncident.groupBy({ by: ['kind'], where: { resolvedAt: null }, _count: { _all: true } });
    return Object.fromEntries(groups.map((group) => [group.kind, group._count._all]));
  }

  /** Whether an incident of this kind and subject was ever recorded (notices are told once ever). */
  async exists(kind: string, subject: string): Promise<boolean> {
    return (await this.db.alertIncident.count({ where: { kind, subject } })) > 0;
  }

  /**
   * Opens an incident with its first message; false when one is already open for the kind and
   * subject (another worker got there first). `resolved` closes it at once (a notice).
   */
  async open(incident: { kind: string; subject: string; details: Details; at: Date; resolved?: boolean }, message: NewAlertMessage): Promise<boolean> {
    try {
      await this.db.$transaction(async (tx) => {
        if (incident.resolved) {
          // Notices have no open row to collide on: serialise them and look again inside.
          await tx.$queryRaw`SELECT pg_advisory_xact_lock(hashtext(${`alert-notice:${incident.kind}:${incident.subject}`}))::text`;
          if ((await tx.alertIncident.count({ where: { kind: incident.kind, subject: incident.subject } })) > 0) throw new AlreadyRecorded();
        }
        const created = await tx.alertIncident.create({
          data: {
            kind: incident.kind,
            subject: incident.subject,
            details: json(incident.details),
            openedAt: incident.at,
            lastNotifiedAt: incident.at,
            resolvedAt: incident.resolved ? incident.at : null,
          },
        });
        await addMessage(tx, created.id, message, incident.at);
      });
      return true;
    } catch (error) {
      if (error instanceof AlreadyRecorded) return false;
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return false;
      throw error;
    }
  }

  /** A reminder or digest, unless another worker already told the owner since `lastNotifiedAt`. */
  async notifyAgain(incident: { id: bigint; lastNotifiedAt: Date }, details: Details, message: NewAlertMessage, at: Date): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.alertIncident.updateMany({
        where: { id: incident.id, resolvedAt: null, lastNotifiedAt: incident.lastNotifiedAt },
        data: { lastNotifiedAt: at, details: json(details) },
      });
      if (count === 1) await addMessage(tx, incident.id, message, at);
      return count === 1;
    });
  }

  /** Closes an open incident with its "resolved" message; false when it was already closed. */
  async resolve(id: bigint, message: NewAlertMessage, at: Date): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.alertIncident.updateMany({ where: { id, resolvedAt: null }, data: { resolvedAt: at } });
      if (count === 1) await addMessage(tx, id, message, at);
      return count === 1;
    });
  }

  /** Records an incident that began and ended while Postgres was out of reach (told meanwhile over Redis). */
  async recordPast(
    incident: { kind: string; subject: string; details: Details; openedAt: Date; lastNotifiedAt: Date },
    message: NewAlertMessage,
    at: Date,
  ): Promise<void> {
    await this.db.$transaction(async (tx) => {
      const created = await tx.alertIncident.create({ data: { ...incident, details: json(incident.details), resolvedAt: at } });
      await addMessage(tx, created.id, message, at);
    });
  }

  /**
   * Claims up to `limit` messages due to be sent, by pushing their next try `claimMs` ahead: a
   * worker that dies mid-send leaves them to be picked up again after that.
   */
  async claimDue(now: Date, claimMs: number, limit = 20): Promise<AlertMessageRow[]> {
    const due = await this.db.alertMessage.findMany({
      where: { doneAt: null, nextTryAt: { lte: now } },
      orderBy: { id: 'asc' },
      take: limit,
      include: { incident: true },
    });
    const claimed: AlertMessageRow[] = [];
    for (const message of due) {
      const { count } = await this.db.alertMessage.updateMany({
        where: { id: message.id, doneAt: null, nextTryAt: message.nextTryAt },
        data: { nextTryAt: new Date(now.getTime() + claimMs) },
      });
      if (count === 1) claimed.push(message);
    }
    return claimed;
  }

  async markDelivered(id: bigint, deliveredTo: string[], at: Date): Promise<void> {
    await this.db.alertMessage.update({ where: { id }, data: { deliveredTo, doneAt: at, tries: { increment: 1 }, lastError: null } });
  }

  /** A try that left some channel undelivered: try again at `nextTryAt`, or give up (`nextTryAt` undefined). */
  async markFailed(id: bigint, update: { deliveredTo: string[]; error: string; nextTryAt: Date | undefined; at: Date }): Promise<void> {
    await this.db.alertMessage.update({
      where: { id },
      data: {
        deliveredTo: update.deliveredTo,
        lastError: update.error,
        tries: { increment: 1 },
        ...(update.nextTryAt ? { nextTryAt: update.nextTryAt } : { doneAt: update.at }),
      },
    });
  }
}

class AlreadyRecorded extends Error {}

async function addMessage(tx: DbTransaction, incidentId: bigint, message: NewAlertMessage, at: Date): Promise<void> {
  await tx.alertMessage.create({ data: { incidentId, ...message, createdAt: at, nextTryAt: at } });
}
