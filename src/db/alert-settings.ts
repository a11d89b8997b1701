// Repository for alert_settings: where alerts go, as saved on the Notifications page. The SMTP
// URL (it carries the password), the webhook URL and its signing secret are sealed by SecretBox.
import type { SecretBox } from '../crypto/secret-box.ts';
import type { Db } from './client.ts';

const ID = 1;

export interface StoredAlertSettings {
  smtpUrl: string | undefined;
  emailFrom: string | undefined;
  emailTo: string[];
  webhookUrl: string | undefined;
  webhookSecret: string | undefined;
}

export class AlertSettingsRepository {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
  ) {}

  /** The saved settings, or undefined when the page never saved any (the environment applies). */
  async get(): Promise<StoredAlertSettings | undefined> {
    const row = await this.db.alertSettings.findUnique({ where: { id: ID } });
    if (!row) return undefined;
    const open = (sealed: string | null) => (sealed ? this.secrets.decrypt(sealed) : undefined);
    return {
      smtpUrl: open(row.smtpUrlEnc),
      emailFrom: row.emailFrom ?? undefined,
      emailTo: row.emailTo,
      webhookUrl: open(row.webhookUrlEnc),
      webhookSecret: open(row.webhookSecretEnc),
    };
  }

  async save(settings: StoredAlertSettings): Promise<void> {
    const seal = (plain: string | undefined) => (plain ? this.secrets.encrypt(plain) : null);
    const data = {
      smtpUrlEnc: seal(settings.smtpUrl),
      emailFrom: settings.emailFrom ?? null,
      emailTo: settings.emailTo,
      webhookUrlEnc: seal(settings.webhookUrl),
      webhookSecretEnc: seal(settings.webhookSecret),
    };
    await this.db.alertSettings.upsert({ where: { id: ID }, create: { id: ID, ...data }, update: data });
  }
}
