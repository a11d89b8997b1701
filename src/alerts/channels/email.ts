// The email channel: one message per alert over SMTP with nodemailer, which upgrades a plain
// connection with STARTTLS whenever the server offers it (smtp://…:587) and speaks TLS from the
// start for smtps:// (port 465).
import nodemailer from 'nodemailer';
import { ChannelError, type AlertChannel, type OutgoingAlert } from './channel.ts';

export interface EmailSettings {
  smtpUrl: string;
  from: string;
  to: readonly string[];
}

/** Every step of talking to the mail server is bounded, so a stuck server cannot hold a worker. */
const TIMEOUT_MS = 15_000;

export class EmailChannel implements AlertChannel {
  readonly name = 'email' as const;

  constructor(private readonly settings: EmailSettings) {}

  async send(alert: OutgoingAlert): Promise<void> {
    const transport = nodemailer.createTransport({
      url: this.settings.smtpUrl,
      connectionTimeout: TIMEOUT_MS,
      greetingTimeout: TIMEOUT_MS,
      socketTimeout: TIMEOUT_MS,
    });
    try {
      await transport.sendMail({
        from: this.settings.from,
        to: [...this.settings.to],
        subject: alert.title,
        text: `${alert.text}\n\nOpen: ${alert.link}\n\n-- \nSent by woo-zoho-bridge. Where these messages go is set on its Notifications page.`,
      });
    } catch (error) {
      throw new ChannelError('email', emailProblem(error));
    } finally {
      transport.close();
    }
  }
}

/** nodemailer's error codes, said the way a shop owner can act on them. */
export function emailProblem(error: unknown): string {
  const { code, response, message } = error as { code?: string; response?: string; message?: string };
  const server = response ? ` The mail server said: "${response.slice(0, 200)}".` : '';
  switch (code) {
    case 'EAUTH':
      return `The mail server refused the user name or password.${server}`;
    case 'ENOAUTH':
      return 'The mail server wants a user name and password; add them to the SMTP address.';
    case 'EENVELOPE':
      return `The mail server refused the sender or a recipient address.${server}`;
    case 'EMESSAGE':
      return `The mail server refused the message.${server}`;
    case 'EDNS':
      return 'The mail server name could not be found. Check the SMTP address.';
    case 'ETIMEDOUT':
      return 'The mail server did not answer in time.';
    case 'ECONNECTION':
    case 'ESOCKET':
      return `Could not connect to the mail server (${message ?? 'connection failed'}). Check the SMTP address and port.`;
    case 'ETLS':
      return `A secure connection to the mail server could not be made (${message ?? 'TLS failed'}).`;
    default:
      return `Sending the email failed: ${message ?? String(error)}${server}`;
  }
}
