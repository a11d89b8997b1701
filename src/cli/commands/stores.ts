// `stores add | list | credentials`: the WooCommerce shops feeding the bridge. A new store gets a
// URL-safe webhook secret (src/woocommerce/store-setup.ts; shown once, kept encrypted) and its own webhook URL;
// its REST API key (for webhook registration and backfills) is checked, then kept encrypted.
import { InvalidArgumentError, type Command } from 'commander';
import type { Config } from '../../config.ts';
import type { BackfillRunRepository } from '../../db/backfill-runs.ts';
import type { StoreRepository } from '../../db/stores.ts';
import type { WebhookCheckRepository } from '../../db/webhook-checks.ts';
import { webhookUrlOf } from '../../woocommerce/bridge-webhooks.ts';
import type { RestCredentials } from '../../woocommerce/rest-client.ts';
import { freeStoreId, generateWebhookSecret, sameStoreUrl } from '../../woocommerce/store-setup.ts';
import { latestCheck } from '../../woocommerce/webhook-watch.ts';
import { CliError, restClient } from '../store-access.ts';
import type { CliOutput } from '../output.ts';
import type { CommandEnvironment } from './environment.ts';

interface AddOptions {
  url: string;
  name?: string;
  id?: string;
  consumerKey?: string;
  consumerSecret?: string;
  verify: boolean;
}

interface CredentialOptions {
  consumerKey: string;
  consumerSecret: string;
  verify: boolean;
}

export interface StoreCommandNeeds {
  stores: StoreRepository;
  webhookChecks: WebhookCheckRepository;
  backfillRuns: Pick<BackfillRunRepository, 'recent'>;
  defaultStore: Config['defaultStore'];
  publicUrl: string;
}

export function registerStoreCommands(program: Command, env: CommandEnvironment<StoreCommandNeeds>): void {
  const stores = program.command('stores').description('The WooCommerce stores that send webhooks to the bridge');
  stores
    .command('add')
    .description('Add a store: prints its webhook URL and a generated webhook secret (shown once)')
    .requiredOption('--url <url>', 'the store address, e.g. https://shop.example.com', parseStoreUrl)
    .option('--name <name>', 'a name for the store (default: its host name)')
    .option('--id <id>', 'the id in its webhook URL (default: made from the name)', parseStoreId)
    .option('--consumer-key <ck>', 'WooCommerce REST API consumer key (ck_…), for webhook registration and backfills')
    .option('--consumer-secret <cs>', 'its consumer secret (cs_…)')
    .option('--no-verify', 'store the REST API key without trying it')
    .action((options: AddOptions) => env.run((needs) => addStore(needs, options, env.output)));
  stores
    .command('list')
    .description('List the stores with their webhook URLs, webhook check and last backfill')
    .action(() => env.run((needs) => listStores(needs, env.output)));
  stores
    .command('credentials <storeId>')
    .description("Set or replace a store's WooCommerce REST API key (Read/Write)")
    .requiredOption('--consumer-key <ck>', 'consumer key (ck_…)')
    .requiredOption('--consumer-secret <cs>', 'consumer secret (cs_…)')
    .option('--no-verify', 'store the key without trying it')
    .action((storeId: string, options: CredentialOptions) => env.run((needs) => setCredentials(needs, storeId, options, env.output)));
}

async function addStore(needs: StoreCommandNeeds, options: AddOptions, out: CliOutput): Promise<void> {
  const { stores } = needs;
  await stores.ensureConfiguredStore(needs.defaultStore);
  const existing = (await stores.list()).find((store) => sameStoreUrl(store.url, options.url));
  if (existing)
    throw new CliError(`${options.url} is already store "${existing.id}". Change its key with: woo-zoho-bridge stores credentials ${existing.id} …`);
  const credentials = credentialsFrom(options);
  if (credentials && options.verify) await verifyCredentials(options.url, credentials, out);

  const name = options.name?.trim() || new URL(options.url).host;
  const id = options.id ?? (await freeStoreId(stores, name));
  if (await stores.findById(id)) throw new CliError(`A store with id "${id}" exists already; choose another with --id.`);
  const secret = generateWebhookSecret();
  await stores.create({ id, name, url: options.url, webhookSecret: secret });
  if (credentials) await stores.setRestCredentials(id, credentials);

  out.line(`Added store "${id}" (${name}, ${options.url}).`);
  out.line(`  Webhook URL:    ${webhookUrlOf(needs.publicUrl, id)}`);
  out.line(`  Webhook secret: ${secret}`);
  out.line('  The secret is shown only this once; the bridge keeps it encrypted. `webhooks register` puts it into WooCommerce for you,');
  out.line('  or paste it into the Secret field of each webhook you create by hand.');
  out.line(
    `  REST API key:   ${credentials ? (options.verify ? 'works (it can read customers and webhooks)' : 'stored, not tried') : 'none (needed for webhooks register and backfill)'}`,
  );
  out.line('Next:');
  out.line(`  woo-zoho-bridge webhooks register --store ${id}`);
  out.line(`  woo-zoho-bridge backfill --store ${id} --dry-run`);
}

async function setCredentials(needs: StoreCommandNeeds, storeId: string, options: CredentialOptions, out: CliOutput): Promise<void> {
  const { stores } = needs;
  await stores.ensureConfiguredStore(needs.defaultStore);
  const store = await stores.findById(storeId);
  if (!store) throw new CliError(`No store "${storeId}".`);
  if (!store.url) throw new CliError(`Store "${storeId}" has no URL: set WC_STORE_URL for the first store.`);
  const credentials = credentialsFrom(options)!;
  if (options.verify) await verifyCredentials(store.url, credentials, out);
  await stores.setRestCredentials(storeId, credentials);
  out.line(`Stored the REST API key for "${storeId}" (encrypted).`);
}

async function listStores(needs: StoreCommandNeeds, out: CliOutput): Promise<void> {
  const { stores, webhookChecks, backfillRuns } = needs;
  await stores.ensureConfiguredStore(needs.defaultStore);
  let needsAttention = false;
  for (const store of await stores.list()) {
    const withSecret = await stores.findWithSecret(store.id);
    const check = await latestCheck(webhookChecks, store.id);
    const [lastRun] = await backfillRuns.recent(store.id, 1);
    if (!withSecret?.webhookSecret || check?.ok === false) needsAttention = true;
    out.line(`${store.id}  ${store.name}  ${store.url || '(no URL)'}`);
    out.line(`  webhook URL:    ${webhookUrlOf(needs.publicUrl, store.id)}`);
    out.line(
      `  webhook secret: ${withSecret?.webhookSecret ? `set ${store.webhookSecretSetAt?.toISOString() ?? ''}`.trim() : 'NOT SET: deliveries are refused'}`,
    );
    out.line(`  REST API key:   ${store.restCredentialsEnc ? 'stored' : 'none'}`);
    out.line(`  webhooks:       ${check ? `${check.ok ? 'ok' : 'PROBLEM'} (checked ${check.checkedAt.toISOString()}): ${check.message}` : 'never checked'}`);
    out.line(
      `  last backfill:  ${lastRun ? `${lastRun.kind} ${lastRun.status}, ${lastRun.itemsQueued} items, started ${lastRun.startedAt.toISOString()}` : 'none'}`,
    );
  }
  if (needsAttention) out.fail(1);
}

async function verifyCredentials(storeUrl: string, credentials: RestCredentials, out: CliOutput): Promise<void> {
  const client = restClient(storeUrl, credentials);
  // Listing webhooks needs what registration needs: a working key of a shop manager or admin.
  await client.listPage('webhooks', { per_page: 1 });
  await client.listPage('customers', { per_page: 1, role: 'all' });
  out.warn(`Checked the REST API key against ${storeUrl}: it works.`);
}

function credentialsFrom(options: { consumerKey?: string; consumerSecret?: string }): RestCredentials | undefined {
  const consumerKey = options.consumerKey?.trim();
  const consumerSecret = options.consumerSecret?.trim();
  if (!consumerKey && !consumerSecret) return undefined;
  if (!consumerKey?.startsWith('ck_') || !consumerSecret?.startsWith('cs_')) {
    throw new CliError(
      'A REST API key is a consumer key starting with ck_ and a consumer secret starting with cs_ (WooCommerce › Settings › Advanced › REST API).',
    );
  }
  return { consumerKey, consumerSecret };
}

function parseStoreUrl(value: string): string {
  if (!URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol))
    throw new InvalidArgumentError('give the full address, e.g. https://shop.example.com');
  return value.trim().replace(/\/+$/, '');
}

function parseStoreId(value: string): string {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(value)) throw new InvalidArgumentError('use lowercase letters, digits and dashes (it becomes part of a URL)');
  return value;
}
