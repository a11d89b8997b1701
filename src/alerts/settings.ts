// Where alerts go: the settings saved on the Notifications page, or else the environment's
// (SMTP_URL, ALERT_*). The last ones read are kept in memory, so alerts about Postgres being out
// of reach can still be sent (src/alerts/database-outage.ts).
import type { Config } from '../config.ts';
import type { AlertSettingsRepository, StoredAlertSettings } from '../db/alert-settings.ts';
import type { AlertChannel } from './channels/channel.ts';
import { EmailChannel } from './channels/email.ts';
import { WebhookChannel } from './channels/webhook.ts';

export type AlertSettings = StoredAlertSettings;

/** What the Notifications page shows: never a password, a webhook URL or a secret in full. */
export interface AlertSettingsView {
  smtpServer: string | undefined;
  smtpHasPassword: boolean;
  emailFrom: string;
  emailTo: string;
  webhookHost: string | undefined;
  webhookSecretSet: boolean;
  fromEnvironment: boolean;
}

export function settingsFromConfig(alerts: Config['alerts']): AlertSettings {
  return {
    smtpUrl: alerts.smtpUrl,
    emailFrom: alerts.emailFrom,
    emailTo: [...alerts.emailTo],
    webhookUrl: alerts.webhookUrl,
    webhookSecret: alerts.webhookSecret,
  };
}

export function channelsFor(settings: AlertSettings): AlertChannel[] {
  const channels: AlertChannel[] = [];
  if (settings.smtpUrl && settings.emailFrom && settings.emailTo.length > 0) {
    channels.push(new EmailChannel({ smtpUrl: settings.smtpUrl, from: settings.emailFrom, to: settings.emailTo }));
  }
  if (settings.webhookUrl) channels.push(new WebhookChannel({ url: settings.webhookUrl, secret: settings.webhookSecret }));
  return channels;
}

export function viewOf(settings: AlertSettings, fromEnvironment: boolean): AlertSettingsView {
  const smtp = settings.smtpUrl && URL.canParse(settings.smtpUrl) ? new URL(settings.smtpUrl) : undefined;
  const webhook = settings.webhookUrl && URL.canParse(settings.webhookUrl) ? new URL(settings.webhookUrl) : undefined;
  return {
    smtpServer: smtp ? `${smtp.protocol}//${smtp.username ? `${smtp.username}@` : ''}${smtp.host}${smtp.search}` : undefined,
    smtpHasPassword: Boolean(smtp?.password),
    emailFrom: settings.emailFrom ?? '',
    emailTo: settings.emailTo.join(', '),
    webhookHost: webhook ? `${webhook.protocol}//${webhook.host}/…` : undefined,
    webhookSecretSet: Boolean(settings.webhookSecret),
    fromEnvironment,
  };
}

export class AlertSettingsSource {
  #lastKnown: AlertSettings;

  constructor(
    private readonly repository: AlertSettingsRepository,
    private readonly environment: AlertSettings,
  ) {
    this.#lastKnown = environment;
  }

  /** The settings in force, and whether they come from the environment (nothing saved yet). */
  async current(): Promise<{ settings: AlertSettings; fromEnvironment: boolean }> {
    const saved = await this.repository.get();
    this.#lastKnown = saved ?? this.environment;
    return { settings: this.#lastKnown, fromEnvironment: saved === undefined };
  }

  /** The settings last read, without asking Postgres (for when it is out of reach). */
  lastKnown(): AlertSettings {
    return this.#lastKnown;
  }

  async save(settings: AlertSettings): Promise<void> {
    await this.repository.save(settings);
    this.#lastKnown = settings;
  }
}
