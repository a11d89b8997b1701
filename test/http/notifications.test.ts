// The Notifications page as a signed-in owner uses it: the environment's settings shown without
// their secrets, saving new ones (secrets encrypted at rest, kept when left blank), refusals next
// to their field, and "Send a test alert" reporting success or the server's error in words.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHookReceiver, type TestHookReceiver } from '../support/alert-receiver.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { textOf, type Browser } from '../support/browser.ts';
import { signedInBrowser } from '../support/owner.ts';
import { SMTP_PASSWORD, SMTP_USER, startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';

describe('Notifications page', () => {
  let bridge: TestBridge;
  let browser: Browser;
  let smtp: TestSmtpServer;
  let receiver: TestHookReceiver;
  before(async () => {
    [smtp, receiver] = await Promise.all([startSmtpServer(), startHookReceiver()]);
    bridge = await startBridge({
      workers: false,
      env: {
        SMTP_URL: smtp.url,
        ALERT_EMAIL_FROM: 'bridge@example.com',
        ALERT_EMAIL_TO: 'owner@example.com',
        ALERT_WEBHOOK_URL: receiver.url,
        ALERT_WEBHOOK_SECRET: 'env-secret-0123456789',
      },
    });
    browser = await signedInBrowser(bridge);
  });
  after(async () => {
    await bridge.close();
    await Promise.all([smtp.close(), receiver.close()]);
  });

  it('shows the settings the environment seeded, never a password, webhook path or secret', async () => {
    const page = await browser.get('/admin/notifications');
    assert.equal(page.status, 200);
    const text = textOf(page.body);
    assert.match(
      text,
      new RegExp(
        `Email through smtp://${SMTP_USER}@127\\.0\\.0\\.1:\\d+\\?tls\\.rejectUnauthorized=false \\(password stored, encrypted\\), to owner@example\\.com`,
      ),
    );
    assert.match(text, /Webhook http:\/\/127\.0\.0\.1:\d+\/…, signed/);
    assert.match(text, /These come from the bridge's start-up settings/);
    for (const secret of [SMTP_PASSWORD, 'secret-path', 'env-secret-0123456789']) assert.ok(!page.body.includes(secret), `${secret} is not on the page`);
  });

  it('lists open and recent incidents on the overview, and counts open ones per kind in /metrics', async () => {
    const { incidents } = bridge.services.alerts;
    const at = new Date();
    await incidents.open({ kind: 'zoho_reconnect', subject: 'zoho', details: { waiting: 2 }, at }, { kind: 'opened', title: 't', text: 't', link: 'l' });
    await incidents.open(
      { kind: 'zoho_paused', subject: 'listsubscribe', details: { endpoint: 'listsubscribe' }, at },
      { kind: 'opened', title: 't', text: 't', link: 'l' },
    );
    const [paused] = await incidents.listOpen().then((rows) => rows.filter((row) => row.kind === 'zoho_paused'));
    await incidents.resolve(paused!.id, { kind: 'resolved', title: 't', text: 't', link: 'l' }, at);
    const overview = await browser.get('/admin');
    const text = textOf(overview.body);
    assert.match(text, /Alerts Open Zoho Campaigns needs reconnecting since .* Resolved Zoho paused the bridge's listsubscribe calls since .*, over /);
    assert.match(overview.body, /<a href="\/admin#zoho">Zoho Campaigns needs reconnecting<\/a>/);
    const metrics = await fetch(`${bridge.url}/metrics`).then((response) => response.text());
    assert.match(metrics, /^wzb_alert_incidents_open\{kind="zoho_reconnect"\} 1$/m);
    assert.match(metrics, /^wzb_alert_incidents_open\{kind="zoho_paused"\} 0$/m);
    await bridge.services.db.alertMessage.deleteMany();
    await bridge.services.db.alertIncident.deleteMany();
  });

  it('sends a test alert and says it went through', async () => {
    const page = await browser.get('/admin/notifications');
    const [mailsBefore, hooksBefore] = [smtp.mails.length, receiver.hooks.length];
    const result = await browser.submit(page, '/admin/notifications/test');
    assert.equal(result.status, 200);
    assert.match(textOf(result.body), /Email: sent\. The mail server accepted the test email\. Webhook: sent\. The webhook address accepted the test alert\./);
    assert.equal(smtp.mails.length, mailsBefore + 1);
    assert.equal(smtp.mails.at(-1)!.subject, 'Test alert from woo-zoho-bridge');
    assert.equal(receiver.hooks.length, hooksBefore + 1);
  });

  it('saves new settings encrypted at rest, keeps stored secrets left blank, and shows each failure in words', async () => {
    const page = await browser.get('/admin/notifications');
    const serverUrl = smtp.url.replace(`:${SMTP_PASSWORD}@`, '@');
    const refused = await browser.submit(page, '/admin/notifications', {
      smtp_url: serverUrl,
      email_from: 'not an address',
      email_to: 'owner@example.com',
      webhook_url: 'ftp://x',
    });
    assert.equal(refused.status, 400);
    assert.match(
      textOf(refused.body),
      /Nothing was saved Enter the address alerts come from, like alerts@example\.com\. Enter the webhook address, starting with https:\/\/\./,
    );
    assert.match(refused.body, /<a href="#emailFrom">/, 'the error summary links to the field');

    const saved = await browser.submit(refused, '/admin/notifications', {
      smtp_url: serverUrl,
      smtp_password: 'wrong-password',
      email_from: 'bridge@example.com',
      email_to: 'a@example.com, b@example.com',
      webhook_url: '',
      webhook_secret: '',
    });
    assert.match(textOf(saved.body), /Saved\. Alerts go to these addresses from now on\./);
    const row = await bridge.services.db.alertSettings.findUniqueOrThrow({ where: { id: 1 } });
    assert.deepEqual(row.emailTo, ['a@example.com', 'b@example.com']);
    for (const sealed of [row.smtpUrlEnc, row.webhookUrlEnc, row.webhookSecretEnc]) {
      assert.ok(sealed && !sealed.includes('127.0.0.1') && !sealed.includes('password') && !sealed.includes('secret'), 'sealed by SecretBox');
    }
    const stored = await bridge.services.alerts.notifications.view();
    assert.equal(stored.webhookSecretSet, true, 'the blank secret field kept the stored secret');
    assert.ok(stored.webhookHost, 'the blank webhook field kept the stored address');

    const failed = await browser.submit(saved, '/admin/notifications/test');
    assert.match(
      textOf(failed.body),
      /Email: not sent\. The mail server refused the user name or password\. The mail server said: "535 Invalid username or password"/,
    );
    receiver.failWith(410, 'gone');
    try {
      const webhookFailed = await browser.submit(saved, '/admin/notifications/test');
      assert.match(textOf(webhookFailed.body), /Webhook: not sent\. The webhook address answered HTTP 410: "gone"\./);
    } finally {
      receiver.failWith(undefined);
    }

    const removed = await browser.submit(saved, '/admin/notifications', { smtp_url: '', email_from: '', email_to: '', remove_webhook: 'yes' });
    assert.match(textOf(removed.body), /Email not set up Webhook not set up/);
    const nothing = await browser.submit(removed, '/admin/notifications/test');
    assert.match(textOf(nothing.body), /Nothing is set up yet, so no test was sent\./);
  });
});
