// The use case that empties the alert outbox: each message goes to every channel set up now; a
// channel that fails is tried again later with exponential backoff (the others are not sent
// twice), and after MAX_TRIES the message is given up, loudly in the log.
import type { AlertIncidentRepository, AlertMessageRow } from '../db/alert-incidents.ts';
import type { AlertChannel, OutgoingAlert } from './channels/channel.ts';

export const MAX_TRIES = 10;
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 6 * 60 * 60_000;
/** How long a claimed message is left to the process sending it before another may try. */
const CLAIM_MS = 2 * 60_000;

export interface SendLog {
  info(object: object, message: string): void;
  warn(object: object, message: string): void;
  error(object: object, message: string): void;
}

export interface SendAlertMessagesOptions {
  incidents: AlertIncidentRepository;
  /** The channels set up now (they may change on the Notifications page at any time). */
  channels: () => Promise<AlertChannel[]>;
  now: () => Date;
  log: SendLog;
}

export function retryDelayMs(tries: number): number {
  return Math.min(LONGEST_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, tries - 1));
}

export function outgoingOf(message: AlertMessageRow): OutgoingAlert {
  return {
    title: message.title,
    text: message.text,
    link: message.link,
    kind: message.incident.kind,
    event: message.kind,
    incidentId: String(message.incident.id),
    subject: message.incident.subject,
    openedAt: message.incident.openedAt,
    resolvedAt: message.incident.resolvedAt ?? undefined,
    details: message.incident.details as Record<string, unknown>,
  };
}

export class SendAlertMessages {
  constructor(private readonly options: SendAlertMessagesOptions) {}

  /** Sends what is due; returns how many messages every channel took. */
  async run(): Promise<number> {
    const { incidents, log } = this.options;
    const due = await incidents.claimDue(this.options.now(), CLAIM_MS);
    if (due.length === 0) return 0;
    const channels = await this.options.channels();
    let delivered = 0;
    for (const message of due) {
      const deliveredTo = [...message.deliveredTo];
      const failures: string[] = [];
      for (const channel of channels.filter((entry) => !deliveredTo.includes(entry.name))) {
        try {
          await channel.send(outgoingOf(message));
          deliveredTo.push(channel.name);
        } catch (error) {
          failures.push(`${channel.name}: ${(error as Error).message}`);
        }
      }
      const at = this.options.now();
      if (failures.length === 0) {
        await incidents.markDelivered(message.id, deliveredTo, at);
        delivered += 1;
        if (channels.length === 0)
          log.warn(
            { message: String(message.id), kind: message.incident.kind },
            'An alert was due but no channel is set up (Notifications page); it is not sent later',
          );
        continue;
      }
      const tries = message.tries + 1;
      const nextTryAt = tries >= MAX_TRIES ? undefined : new Date(at.getTime() + retryDelayMs(tries));
      await incidents.markFailed(message.id, { deliveredTo, error: failures.join(' '), nextTryAt, at });
      if (nextTryAt) log.warn({ message: String(message.id), tries, nextTryAt, failures }, 'Could not send an alert; trying again later');
      else log.error({ message: String(message.id), tries, failures }, 'Gave up sending an alert after every retry');
    }
    return delivered;
  }
}
