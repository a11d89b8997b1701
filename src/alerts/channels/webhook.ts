// The webhook channel: one JSON POST per alert. The body is accepted as is by Slack incoming
// webhooks (they read "text") and Discord webhooks (they read "content"); the same alert is also
// given field by field under "alert" for other receivers. docs/alerts.md shows how to verify the
// signature header.
import { createHmac } from 'node:crypto';
import got, { HTTPError, RequestError } from 'got';
import { ChannelError, type AlertChannel, type OutgoingAlert } from './channel.ts';

export interface WebhookSettings {
  url: string;
  /** Signs each body (HMAC-SHA256) when set. */
  secret: string | undefined;
}

export const SIGNATURE_HEADER = 'x-wzb-signature';
export const TIMESTAMP_HEADER = 'x-wzb-timestamp';
const TIMEOUT_MS = 10_000;
/** Discord refuses content longer than 2,000 characters. */
const DISCORD_MAX = 2_000;

export function webhookBody(alert: OutgoingAlert): string {
  const chat = `*${alert.title}*\n${alert.text}\n${alert.link}`;
  const discord = `**${alert.title}**\n${alert.text}\n${alert.link}`;
  return JSON.stringify({
    text: chat,
    content: discord.length > DISCORD_MAX ? `${discord.slice(0, DISCORD_MAX - 1)}…` : discord,
    alert: {
      kind: alert.kind,
      event: alert.event,
      incidentId: alert.incidentId ?? null,
      subject: alert.subject ?? null,
      title: alert.title,
      text: alert.text,
      link: alert.link,
      openedAt: alert.openedAt?.toISOString() ?? null,
      resolvedAt: alert.resolvedAt?.toISOString() ?? null,
      details: alert.details ?? {},
    },
  });
}

/** "sha256=<hex>" of HMAC-SHA256(secret, "<timestamp>.<body>"). */
export function signWebhookBody(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookChannel implements AlertChannel {
  readonly name = 'webhook' as const;

  constructor(
    private readonly settings: WebhookSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async send(alert: OutgoingAlert): Promise<void> {
    const body = webhookBody(alert);
    const timestamp = String(Math.floor(this.now().getTime() / 1000));
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'woo-zoho-bridge-alerts' };
    if (this.settings.secret) {
      headers[TIMESTAMP_HEADER] = timestamp;
      headers[SIGNATURE_HEADER] = signWebhookBody(this.settings.secret, timestamp, body);
    }
    try {
      // No retries here: the alert outbox owns retrying (src/alerts/send-messages.ts).
      await got.post(this.settings.url, { body, headers, timeout: { request: TIMEOUT_MS }, retry: { limit: 0 }, followRedirect: false });
    } catch (error) {
      throw new ChannelError('webhook', webhookProblem(error));
    }
  }
}

export function webhookProblem(error: unknown): string {
  if (error instanceof HTTPError) {
    const answer = String(error.response.body ?? '')
      .slice(0, 200)
      .trim();
    return `The webhook address answered HTTP ${error.response.statusCode}${answer ? `: "${answer}"` : ''}.`;
  }
  if (error instanceof RequestError) {
    if (error.code === 'ENOTFOUND') return 'The webhook address could not be found. Check its host name.';
    if (error.code === 'ECONNREFUSED') return 'The webhook address refused the connection. Check its host and port.';
    if (error.code === 'ETIMEDOUT' || error.name === 'TimeoutError') return 'The webhook address did not answer in time.';
    return `Could not reach the webhook address: ${error.message}`;
  }
  return `Sending to the webhook failed: ${error instanceof Error ? error.message : String(error)}`;
}
