// What a channel sends and how it fails: the message, and an error in words the owner can act on.

export interface OutgoingAlert {
  title: string;
  text: string;
  link: string;
  /** The incident kind, or "test". */
  kind: string;
  /** opened | reminder | digest | resolved | notice | test */
  event: string;
  incidentId?: string | undefined;
  subject?: string | undefined;
  openedAt?: Date | undefined;
  resolvedAt?: Date | undefined;
  details?: Record<string, unknown> | undefined;
}

export type ChannelName = 'email' | 'webhook';

export interface AlertChannel {
  readonly name: ChannelName;
  /** Resolves once the receiver accepted the message; throws a ChannelError otherwise. */
  send(alert: OutgoingAlert): Promise<void>;
}

/** A send that failed, with what went wrong in plain words (shown on the Notifications page). */
export class ChannelError extends Error {
  constructor(
    readonly channel: ChannelName,
    message: string,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}
