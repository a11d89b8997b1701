// The Notifications page in a real browser, as an owner sets up alerts: the form by its labels,
// the error summary linking to a wrong field, and "Send a test alert" saying what happened.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { startHookReceiver, type TestHookReceiver } from '../support/alert-receiver.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { launchChromium, screenshots, signInInBrowser, type OwnerTab } from '../support/chromium.ts';
import { SMTP_PASSWORD, startSmtpServer, type TestSmtpServer } from '../support/smtp.ts';

describe('an owner sets up alerts on the Notifications page', () => {
  let bridge: TestBridge;
  let browser: Browser;
  let tab: OwnerTab;
  let smtp: TestSmtpServer;
  let receiver: TestHookReceiver;

  before(async () => {
    [smtp, receiver] = await Promise.all([startSmtpServer(), startHookReceiver()]);
    browser = await launchChromium();
    bridge = await startBridge({ workers: false });
    tab = await signInInBrowser(browser, bridge);
  });
  after(async () => {
    await browser?.close();
    await bridge?.close();
    await Promise.all([smtp?.close(), receiver?.close()]);
  });

  it('fills in email and a webhook, is told what is wrong, saves, and sends a test alert', async () => {
    const { page } = tab;
    await page.getByRole('link', { name: 'Notifications' }).click();
    await page.getByRole('textbox', { name: /^Mail server As your/ }).fill(smtp.url.replace(`:${SMTP_PASSWORD}@`, '@'));
    await page.getByLabel(/^Mail server password/).fill(SMTP_PASSWORD);
    await page.getByRole('textbox', { name: /^From / }).fill('bridge@example.com');
    await page.getByRole('textbox', { name: /^To / }).fill('owner@example');
    await page.getByRole('textbox', { name: /^Webhook address/ }).fill(receiver.url);
    await page.getByRole('button', { name: 'Save' }).click();
    const summary = page.locator('#problems');
    await summary.waitFor();
    assert.match(await summary.innerText(), /These do not look like email addresses: owner@example\./);
    await screenshots(page, 'notifications-1-problem');

    await page.getByLabel(/^Mail server password/).fill(SMTP_PASSWORD);
    await page.getByRole('textbox', { name: /^To / }).fill('owner@example.com');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByText('Saved. Alerts go to these addresses from now on.').waitFor();
    await page.getByRole('button', { name: 'Send a test alert' }).click();
    const results = page.locator('#test-results');
    await results.waitFor();
    assert.match(
      await results.innerText(),
      /Email: sent\. The mail server accepted the test email\.\s+Webhook: sent\. The webhook address accepted the test alert\./,
    );
    assert.equal(smtp.mails.at(-1)?.subject, 'Test alert from woo-zoho-bridge');
    assert.equal(receiver.hooks.length, 1);
    await screenshots(page, 'notifications-2-tested');
    assert.deepEqual(tab.dialogs, []);
  });
});
