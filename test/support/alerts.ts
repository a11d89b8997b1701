// Alerting against a test bridge with a clock the test moves: the real use cases, a real SMTP
// server and a real webhook receiver. A "round" is what the worker's job does each minute.
import type { Alerts } from '../../src/alerts/index.ts';
import { createAlerts } from '../../src/alerts/index.ts';
import { AlertIncidentRepository } from '../../src/db/alert-incidents.ts';
import { AlertSettingsRepository } from '../../src/db/alert-settings.ts';
import type { Db } from '../../src/db/client.ts';
import { startHookReceiver, type TestHookReceiver } from './alert-receiver.ts';
import { startBridge, type TestBridge } from './bridge.ts';
import { startSmtpServer, type TestSmtpServer } from './smtp.ts';

export const WEBHOOK_SECRET = 'hook-signing-secret-0123456789';

export interface AlertHarness {
  bridge: TestBridge;
  smtp: TestSmtpServer;
  receiver: TestHookReceiver;
  alerts: Alerts;
  /** The time the alert use cases see. */
  clock: { now: Date; advance(ms: number): void };
  round(): Promise<void>;
  /** Titles of the messages sent since the last call; fails unless email and webhook agree. */
  sent(): string[];
  /** The alert use cases as a freshly started worker builds them (same database and Redis). */
  restart(): void;
  /** Alert use cases as a worker builds them, on another database client (e.g. one that cannot connect). */
  alertsOn(db: Db): Alerts;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startAlertHarness(): Promise<AlertHarness> {
  const [smtp, receiver] = await Promise.all([startSmtpServer(), startHookReceiver()]);
  const bridge = await startBridge({
    workers: false,
    env: {
      SMTP_URL: smtp.url,
      ALERT_EMAIL_FROM: 'Bridge <bridge@example.com>',
      ALERT_EMAIL_TO: 'owner@example.com, helper@example.com',
      ALERT_WEBHOOK_URL: receiver.url,
      ALERT_WEBHOOK_SECRET: WEBHOOK_SECRET,
    },
  });
  const clock = {
    now: new Date(),
    advance(ms: number) {
      clock.now = new Date(clock.now.getTime() + ms);
    },
  };
  const build = (db: Db = bridge.services.db) => {
    const { services } = bridge;
    return createAlerts({
      config: services.config,
      incidents: new AlertIncidentRepository(db),
      settings: new AlertSettingsRepository(db, services.secrets),
      redis: services.redis,
      log: bridge.app.log,
      sources: { ...services.repositories, quota: services.zoho.quota },
      now: () => clock.now,
    });
  };
  let seen = { mails: 0, hooks: 0 };
  const harness: AlertHarness = {
    bridge,
    smtp,
    receiver,
    alerts: build(),
    clock,
    async round() {
      await harness.alerts.evaluate.run();
      await harness.alerts.send.run();
    },
    sent() {
      const mails = smtp.mails.slice(seen.mails).map((mail) => mail.subject);
      const hooks = receiver.hooks.slice(seen.hooks).map((hook) => String(hook.body.alert.title));
      seen = { mails: smtp.mails.length, hooks: receiver.hooks.length };
      if (JSON.stringify(mails) !== JSON.stringify(hooks)) throw new Error(`email and webhook differ: ${JSON.stringify({ mails, hooks })}`);
      return mails;
    },
    restart() {
      harness.alerts = build();
    },
    alertsOn: build,
    async reset() {
      await bridge.services.db.alertMessage.deleteMany();
      await bridge.services.db.alertIncident.deleteMany();
      clock.now = new Date();
      seen = { mails: smtp.mails.length, hooks: receiver.hooks.length };
    },
    async close() {
      await bridge.close();
      await Promise.all([smtp.close(), receiver.close()]);
    },
  };
  return harness;
}
