// The owner's actions on the Notifications page: save where alerts go, and send a test alert.
// A field left blank for a secret (SMTP password, webhook address, signing secret) keeps the one
// already stored, since the page never shows them.
import type { AlertChannel } from './channels/channel.ts';
import { channelsFor, viewOf, type AlertSettings, type AlertSettingsSource, type AlertSettingsView } from './settings.ts';
import { testAlertText } from './wording.ts';

export interface NotificationsForm {
  smtpUrl: string;
  smtpPassword: string;
  emailFrom: string;
  emailTo: string;
  webhookUrl: string;
  webhookSecret: string;
  removeWebhook: boolean;
}

export interface FormProblem {
  field: keyof NotificationsForm;
  message: string;
}

export type SaveResult = { ok: true } | { ok: false; problems: FormProblem[] };

export interface TestResult {
  channel: string;
  ok: boolean;
  message: string;
}

const EMAIL = /^[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+$|^[^<>,]*<[^\s@<>,]+@[^\s@<>,]+\.[^\s@<>,]+>$/;

export function settingsFromForm(form: NotificationsForm, stored: AlertSettings): SaveResult & { settings?: AlertSettings } {
  const problems: FormProblem[] = [];
  let smtpUrl: string | undefined;
  if (form.smtpUrl.trim()) {
    const text = form.smtpUrl.trim();
    if (!/^smtps?:\/\/[^/]/.test(text) || !URL.canParse(text)) {
      problems.push({ field: 'smtpUrl', message: 'Enter the mail server as smtp://user@smtp.example.com:587 (or smtps:// for port 465).' });
    } else {
      const url = new URL(text);
      const storedUrl = stored.smtpUrl && URL.canParse(stored.smtpUrl) ? new URL(stored.smtpUrl) : undefined;
      if (form.smtpPassword) url.password = encodeURIComponent(form.smtpPassword);
      else if (!url.password && storedUrl?.password && storedUrl.host === url.host && storedUrl.username === url.username) url.password = storedUrl.password;
      smtpUrl = url.toString();
    }
  }
  const emailTo = form.emailTo
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const emailFrom = form.emailFrom.trim();
  if (form.smtpUrl.trim()) {
    if (!EMAIL.test(emailFrom)) problems.push({ field: 'emailFrom', message: 'Enter the address alerts come from, like alerts@example.com.' });
    if (emailTo.length === 0) problems.push({ field: 'emailTo', message: 'Enter at least one address to send alerts to.' });
    const wrong = emailTo.filter((entry) => !EMAIL.test(entry));
    if (wrong.length > 0) problems.push({ field: 'emailTo', message: `These do not look like email addresses: ${wrong.join(', ')}.` });
  }
  let webhookUrl = form.removeWebhook ? undefined : stored.webhookUrl;
  if (!form.removeWebhook && form.webhookUrl.trim()) {
    const text = form.webhookUrl.trim();
    if (!/^https?:\/\//.test(text) || !URL.canParse(text))
      problems.push({ field: 'webhookUrl', message: 'Enter the webhook address, starting with https://.' });
    else webhookUrl = text;
  }
  const webhookSecret = form.removeWebhook ? undefined : form.webhookSecret || stored.webhookSecret;
  if (form.webhookSecret && form.webhookSecret.length < 16)
    problems.push({ field: 'webhookSecret', message: 'Use a signing secret of at least 16 characters.' });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, settings: { smtpUrl, emailFrom: smtpUrl ? emailFrom : undefined, emailTo: smtpUrl ? emailTo : [], webhookUrl, webhookSecret } };
}

export class NotificationSettings {
  constructor(
    private readonly source: AlertSettingsSource,
    private readonly publicUrl: string,
    private readonly channelsOf: (settings: AlertSettings) => AlertChannel[] = channelsFor,
  ) {}

  async view(): Promise<AlertSettingsView> {
    const { settings, fromEnvironment } = await this.source.current();
    return viewOf(settings, fromEnvironment);
  }

  async save(form: NotificationsForm): Promise<SaveResult> {
    const { settings: stored } = await this.source.current();
    const result = settingsFromForm(form, stored);
    if (!result.ok || !result.settings) return result.ok ? { ok: false, problems: [] } : result;
    await this.source.save(result.settings);
    return { ok: true };
  }

  /** Sends a test alert on every channel set up; says per channel what happened, in words. */
  async sendTest(): Promise<TestResult[]> {
    const { settings } = await this.source.current();
    const channels = this.channelsOf(settings);
    const alert = { ...testAlertText(this.publicUrl), kind: 'test', event: 'test' };
    return Promise.all(
      channels.map(async (channel) => {
        try {
          await channel.send(alert);
          return {
            channel: channel.name,
            ok: true,
            message: channel.name === 'email' ? 'The mail server accepted the test email.' : 'The webhook address accepted the test alert.',
          };
        } catch (error) {
          return { channel: channel.name, ok: false, message: (error as Error).message };
        }
      }),
    );
  }
}
