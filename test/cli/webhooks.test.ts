// `webhooks register | check` and the webhook watch against a WooCommerce REST stand-in that
// pings and delivers like WooCommerce: registration is idempotent, the secret WooCommerce signs
// with is the bridge's, a webhook WooCommerce disabled is reported and re-enabled.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { MAINTENANCE_QUEUE, WEBHOOK_WATCH_JOB } from '../../src/queue/maintenance-queue.ts';
import { latestCheck } from '../../src/woocommerce/webhook-watch.ts';
import { startBridge, waitFor, type TestBridge } from '../support/bridge.ts';
import { addSimulatedStore, runCli } from '../support/cli.ts';
import type { WooCommerceSimulator } from '../../tools/woocommerce-simulator/index.ts';

const ALL_TOPICS = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'subscription.created',
  'subscription.updated',
  'subscription.deleted',
  'subscription.switched',
];

describe('cli: webhooks register and the webhook watch', () => {
  let bridge: TestBridge;
  let shop: WooCommerceSimulator;
  let storeId: string;
  let secret: string;
  const others: WooCommerceSimulator[] = [];
  before(async () => {
    bridge = await startBridge();
    ({ store: shop, storeId, secret } = await addSimulatedStore(bridge, { customers: 3 }));
  });
  after(async () => {
    await Promise.all([shop.close(), ...others.map((other) => other.close())]);
    await bridge.close();
  });

  const webhookFor = (topic: string) => [...shop.webhooks.webhooks.values()].find((webhook) => webhook.topic === topic)!;

  it("creates every customer and subscription webhook with the bridge's secret, at the store's URL", async () => {
    const run = await runCli(bridge, ['webhooks', 'register', '--store', storeId]);
    assert.equal(run.exitCode, undefined, run.text());
    const webhooks = [...shop.webhooks.webhooks.values()];
    assert.deepEqual(webhooks.map((webhook) => webhook.topic).sort(), [...ALL_TOPICS].sort());
    for (const webhook of webhooks) {
      assert.equal(webhook.deliveryUrl, `${bridge.config.publicUrl}/webhooks/woocommerce/${storeId}`);
      assert.equal(webhook.secret, secret, 'WooCommerce signs with the secret the bridge generated');
      assert.equal(webhook.status, 'active');
      assert.equal(webhook.pendingDelivery, false, 'the ping on creation was answered 200');
    }
    assert.equal(shop.webhooks.sent.filter((sent) => sent.kind === 'ping' && sent.status === 200).length, 7);
    assert.match(run.text(), /\+ customer\.created +#\d+ created/);
    assert.match(run.text(), /All 7 of the bridge's webhooks are active/);
    // PUBLIC_URL is a loopback address here: the operator is told WooCommerce would not deliver to it.
    assert.match(run.text(), /refuses to deliver to local and private addresses/);
    assert.equal((await latestCheck(bridge.services.repositories.webhookChecks, storeId))?.ok, true);
  });

  it('is safe to run twice: nothing is created again', async () => {
    const run = await runCli(bridge, ['webhooks', 'register', '--store', storeId]);
    assert.equal(run.exitCode, undefined, run.text());
    assert.equal(shop.webhooks.webhooks.size, 7);
    assert.equal((run.text().match(/already-active/g) ?? []).length, 7);
    assert.doesNotMatch(run.text(), / created:/);
  });

  it('receives what WooCommerce then delivers, signed with that secret, and syncs it', async () => {
    const customer = shop.customers.find((entry) => entry.role === 'customer')!;
    await shop.updateCustomer(Number(customer.id), { first_name: 'Zoë' });
    const [delivery] = shop.webhooks.sent.filter((sent) => sent.kind === 'delivery');
    assert.equal(delivery?.status, 200);
    const email = String(customer.email);
    const contact = await waitFor('the delivered customer in Zoho', async () => bridge.sim.contacts('sim-customers').get(email));
    assert.equal(contact.fields['First Name'], 'Zoë');
  });

  it('reports a webhook WooCommerce disabled, in words and with the fix', async () => {
    const disabled = webhookFor('customer.updated');
    shop.webhooks.disableAfterFailures(disabled.id);
    // The scheduled job: one worker runs it every 15 minutes.
    assert.equal(await bridge.services.webhookWatch.checkAll(), 1);
    const check = await latestCheck(bridge.services.repositories.webhookChecks, storeId);
    assert.equal(check?.ok, false);
    assert.match(check!.message, new RegExp(`WooCommerce disabled customer\\.updated \\(#${disabled.id}\\)`));
    assert.match(check!.message, /Fix: press “Repair the webhooks”/);
    assert.equal(check?.fix, `npx woo-zoho-bridge webhooks register --store ${storeId}`);
    assert.equal(check?.webhooks.find((webhook) => webhook.topic === 'customer.updated')?.state, 'disabled');

    const cli = await runCli(bridge, ['webhooks', 'check', '--store', storeId]);
    assert.equal(cli.exitCode, 1);
    assert.match(cli.text(), /customer\.updated +disabled/);
    assert.match(cli.text(), new RegExp(`From the command line: npx woo-zoho-bridge webhooks register --store ${storeId}`));
  });

  it('re-enables it, and says WooCommerce did not reset its failure count', async () => {
    const disabled = webhookFor('customer.updated');
    const run = await runCli(bridge, ['webhooks', 'register', '--store', storeId]);
    assert.equal(run.exitCode, undefined, run.text());
    assert.match(run.text(), new RegExp(`! customer\\.updated +#${disabled.id} re-enabled`));
    assert.match(run.text(), /does not reset its failure count/);
    assert.equal(disabled.status, 'active');
    assert.equal(disabled.failureCount, 6, 'WooCommerce keeps the count: the next failure disables it again');
    assert.equal(shop.webhooks.webhooks.size, 7, 're-enabled, not recreated');
    assert.equal((await latestCheck(bridge.services.repositories.webhookChecks, storeId))?.ok, true);
  });

  it('leaves a paused webhook alone unless asked', async () => {
    const paused = webhookFor('subscription.switched');
    paused.status = 'paused';
    const left = await runCli(bridge, ['webhooks', 'register', '--store', storeId]);
    assert.match(left.text(), /left-paused/);
    assert.equal(paused.status, 'paused');
    assert.match(left.text(), /Someone paused subscription\.switched/);
    const resumed = await runCli(bridge, ['webhooks', 'register', '--store', storeId, '--resume-paused']);
    assert.match(resumed.text(), /subscription\.switched +#\d+ resumed/);
    assert.equal(paused.status, 'active');
  });

  it('sets a newly generated secret on webhooks that already point at the bridge', async () => {
    const { store: bare, storeId: bareId } = await addSimulatedStore(bridge, { subscriptionsPlugin: false });
    others.push(bare);
    await bridge.services.db.store.update({ where: { id: bareId }, data: { webhookSecretEnc: null } });
    // Made by hand earlier, with a secret the bridge cannot know (WooCommerce never returns it).
    await bare.webhooks.create({
      topic: 'customer.created',
      deliveryUrl: `${bridge.config.publicUrl}/webhooks/woocommerce/${bareId}`,
      secret: 'typed-by-hand',
    });
    const run = await runCli(bridge, ['webhooks', 'register', '--store', bareId]);
    assert.equal(run.exitCode, undefined, run.text());
    assert.match(run.text(), /had no webhook secret: generated one/);
    assert.match(run.text(), /subscription\.\* +skipped: WooCommerce Subscriptions is not active/);
    const stored = (await bridge.services.repositories.stores.findWithSecret(bareId))?.webhookSecret;
    const webhooks = [...bare.webhooks.webhooks.values()];
    assert.equal(webhooks.length, 3);
    assert.ok(
      webhooks.every((webhook) => webhook.secret === stored),
      'every webhook now signs with the stored secret',
    );
  });

  it('is scheduled on the maintenance queue', async () => {
    const queue = new Queue(MAINTENANCE_QUEUE, { connection: bridge.services.redis, prefix: bridge.config.redisPrefix });
    try {
      const schedulers = await queue.getJobSchedulers();
      const watch = schedulers.find((scheduler) => scheduler.key === WEBHOOK_WATCH_JOB || scheduler.name === WEBHOOK_WATCH_JOB);
      assert.ok(watch, `scheduled (found: ${schedulers.map((scheduler) => scheduler.name).join(', ')})`);
      assert.equal(Number(watch.every), 15 * 60_000);
    } finally {
      await queue.close();
    }
  });
});
