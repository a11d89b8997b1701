// The two channels against real servers: email over SMTP with STARTTLS and a password, the webhook
// with a body Slack and Discord accept and a signature a receiver can check; failures in words.
import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { ChannelError } from '../../src/alerts/channels/channel.ts';
import { EmailChannel } from '../../src/alerts/channels/email.ts';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, WebhookChannel } from '../../src/alerts/channels/webhook.ts';
import { startHookReceiver, type TestHookReceiver } from '../support/alert-receiver.ts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';

const ALERT = {
  title: 'Zoho Campaigns needs reconnecting',
  text: 'Zoho no longer accepts the bridge’s access.\n\nWhat to do: reconnect.',
  link: 'https://bridge.example.com/admin#zoho',
  kind: 'zoho_reconnect',
  event: 'opened',
  incidentId: '7',
  subject: 'zoho',
  openedAt: new Date('2026-12-01T10:00:00Z'),
  details: { waiting: 3 },
};

describe('alert channels', () => {
  let smtp: TestSmtpServer;
  let receiver: TestHookReceiver;
  before(async () => {
    [smtp, receiver] = await Promise.all([startSmtpServer(), startHookReceiver()]);
  });
  after(() => Promise.all([smtp.close(), receiver.close()]));

  it('sends an email over STARTTLS, signed in, to every recipient', async () => {
    await new EmailChannel({ smtpUrl: smtp.url, from: 'bridge@example.com', to: ['a@example.com', 'b@example.com'] }).send(ALERT);
    const mail = smtp.mails.at(-1)!;
    assert.equal(mail.secure, true, 'upgraded with STARTTLS, offered by the server');
    assert.deepEqual(mail.to, ['a@example.com', 'b@example.com']);
    assert.equal(mail.subject, ALERT.title);
    assert.match(mail.text, /What to do: reconnect\.\r?\n\r?\nOpen: https:\/\/bridge\.example\.com\/admin#zoho/);
  });

  it('says in words when the mail server refuses the password or cannot be reached', async () => {
    const wrong = new EmailChannel({ smtpUrl: smtp.wrongPasswordUrl, from: 'bridge@example.com', to: ['a@example.com'] });
    await assert.rejects(wrong.send(ALERT), (error: ChannelError) => {
      assert.equal(error.channel, 'email');
      assert.match(error.message, /^The mail server refused the user name or password\. The mail server said: "535 Invalid username or password"/);
      assert.doesNotMatch(error.message, /wrong-password/);
      return true;
    });
    const nowhere = new EmailChannel({ smtpUrl: 'smtp://127.0.0.1:1', from: 'bridge@example.com', to: ['a@example.com'] });
    await assert.rejects(nowhere.send(ALERT), /Could not connect to the mail server \(.*ECONNREFUSED.*\)\. Check the SMTP address and port\./);
  });

  it('posts one body that Slack (text) and Discord (content) accept, with the alert field by field, signed', async () => {
    const secret = 'hook-secret-0123456789abcdef';
    await new WebhookChannel({ url: receiver.url, secret }, () => new Date('2026-12-08T10:00:00Z')).send(ALERT);
    const hook = receiver.hooks.at(-1)!;
    assert.equal(hook.headers['content-type'], 'application/json');
    assert.equal(hook.body.text, `*${ALERT.title}*\n${ALERT.text}\n${ALERT.link}`);
    assert.equal(hook.body.content, `**${ALERT.title}**\n${ALERT.text}\n${ALERT.link}`);
    assert.deepEqual(hook.body.alert, {
      kind: 'zoho_reconnect',
      event: 'opened',
      incidentId: '7',
      subject: 'zoho',
      title: ALERT.title,
      text: ALERT.text,
      link: ALERT.link,
      openedAt: '2026-12-01T10:00:00.000Z',
      resolvedAt: null,
      details: { waiting: 3 },
    });
    // What a receiver does (docs/alerts.md): HMAC-SHA256 over "<timestamp>.<raw body>".
    const timestamp = String(hook.headers[TIMESTAMP_HEADER]);
    assert.equal(timestamp, String(Date.parse('2026-12-08T10:00:00Z') / 1000));
    const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${hook.raw}`).digest('hex')}`);
    const given = Buffer.from(String(hook.headers[SIGNATURE_HEADER]));
    assert.ok(given.length === expected.length && timingSafeEqual(given, expected), 'the signature verifies');
  });

  it('keeps a Discord message under its 2,000 characters', async () => {
    await new WebhookChannel({ url: receiver.url, secret: undefined }).send({ ...ALERT, text: 'x'.repeat(5_000) });
    const hook = receiver.hooks.at(-1)!;
    assert.equal(hook.body.content.length, 2_000);
    assert.equal(hook.headers[SIGNATURE_HEADER], undefined, 'unsigned without a secret');
  });

  it('says in words what the webhook address answered, or that it cannot be reached', async () => {
    receiver.failWith(404, 'no_service');
    try {
      await assert.rejects(new WebhookChannel({ url: receiver.url, secret: undefined }).send(ALERT), {
        message: 'The webhook address answered HTTP 404: "no_service".',
      });
    } finally {
      receiver.failWith(undefined);
    }
    await assert.rejects(new WebhookChannel({ url: 'http://127.0.0.1:1/hook', secret: undefined }).send(ALERT), {
      message: 'The webhook address refused the connection. Check its host and port.',
    });
  });
});
