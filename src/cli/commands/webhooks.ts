// `webhooks register | check`: creates or repairs the store's webhooks in WooCommerce through its
// REST API (safe to run again), and checks them the way the scheduled webhook watch does.
import type { Command } from 'commander';
import type { WebhookWatch } from '../../woocommerce/webhook-watch.ts';
import { registerWebhooks, type RegistrationOutcome } from '../../woocommerce/webhook-registration.ts';
import type { WebhookCheckView } from '../../woocommerce/webhook-watch.ts';
import type { CliOutput } from '../output.ts';
import { resolveStore, restClientFor, type StoreAccess } from '../store-access.ts';
import type { CommandEnvironment } from './environment.ts';
import { generateWebhookSecret } from '../../woocommerce/store-setup.ts';

interface RegisterOptions {
  store?: string;
  updateSecret?: boolean;
  resumePaused?: boolean;
}

const MARK: Record<RegistrationOutcome, string> = {
  created: '+',
  'already-active': '=',
  're-enabled': '!',
  resumed: '!',
  'left-paused': '?',
  'secret-updated': '~',
  skipped: '-',
  failed: 'x',
};

export interface WebhookCommandNeeds extends StoreAccess {
  webhookWatch: Pick<WebhookWatch, 'checkStore' | 'recordFromList'>;
  publicUrl: string;
}

export function registerWebhookCommands(program: Command, env: CommandEnvironment<WebhookCommandNeeds>): void {
  const webhooks = program.command('webhooks').description("The store's webhooks in WooCommerce");
  webhooks
    .command('register')
    .description('Create the customer and subscription webhooks in WooCommerce, or re-enable the ones it disabled (safe to run again)')
    .option('--store <id>', 'which store (default: the only one with a REST API key)')
    .option('--update-secret', "also set the bridge's secret on webhooks that already exist")
    .option('--resume-paused', 'also activate webhooks someone paused in WooCommerce')
    .action((options: RegisterOptions) => env.run((needs) => register(needs, options, env.output)));
  webhooks
    .command('check')
    .description('Ask WooCommerce whether the webhooks are still active (exits 1 when one is not)')
    .option('--store <id>', 'which store (default: the only one with a REST API key)')
    .action((options: { store?: string }) => env.run((needs) => check(needs, options.store, env.output)));
}

async function register(needs: WebhookCommandNeeds, options: RegisterOptions, out: CliOutput): Promise<void> {
  const store = await resolveStore(needs, options.store);
  const client = restClientFor(needs, store);
  const { stores } = needs;
  let secret = (await stores.findWithSecret(store.id))?.webhookSecret;
  let secretIsNew = false;
  if (!secret) {
    // WooCommerce never returns a webhook's secret, so the bridge makes one and keeps it.
    secret = generateWebhookSecret();
    await stores.setWebhookSecret(store.id, secret);
    secretIsNew = true;
    out.line(`Store "${store.id}" had no webhook secret: generated one and stored it (encrypted).`);
  }
  const result = await registerWebhooks(
    client,
    { publicUrl: needs.publicUrl, storeId: store.id, secret },
    // A new secret must reach every existing webhook too, or their deliveries would be refused.
    { updateSecret: Boolean(options.updateSecret) || secretIsNew, resumePaused: Boolean(options.resumePaused) },
  );
  out.line(`Webhooks of store "${store.id}" → ${result.deliveryUrl}`);
  for (const action of result.actions) {
    out.line(`  ${MARK[action.outcome]} ${action.topic.padEnd(22)} ${action.webhookId ? `#${action.webhookId} ` : ''}${action.outcome}: ${action.detail}`);
  }
  for (const warning of result.warnings) out.warn(`Warning: ${warning}`);
  const check = await needs.webhookWatch.recordFromList(store.id, result.webhooks, result.hasSubscriptions);
  out.line(check.message);
  if (result.actions.some((action) => action.outcome === 'failed')) out.fail(1);
}

async function check(needs: WebhookCommandNeeds, storeId: string | undefined, out: CliOutput): Promise<void> {
  const store = await resolveStore(needs, storeId);
  restClientFor(needs, store); // fails early, with the fix, when the store has no key
  printCheck(await needs.webhookWatch.checkStore(store), out);
}

export function printCheck(check: WebhookCheckView, out: CliOutput): void {
  for (const webhook of check.webhooks) {
    out.line(`  ${webhook.topic.padEnd(22)} ${webhook.state}${webhook.webhookId ? ` (#${webhook.webhookId})` : ''}`);
  }
  out.line(check.message);
  // The message is the owner's (it names the dashboard's button); operators get the command too.
  if (check.fix) out.line(`From the command line: ${check.fix}`);
  if (!check.ok) out.fail(1);
}
