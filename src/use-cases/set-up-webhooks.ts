// Creating or repairing a store's webhooks in one click: every topic, with the bridge's delivery
// URL and the store's secret, through WooCommerce's REST API (src/woocommerce/webhook-registration.ts).
// Idempotent: a second run changes nothing. Disabled webhooks are re-enabled, missing ones made
// again; a paused one is left paused (someone paused it on purpose) and said so. The answer is
// recorded as the store's latest webhook check, so the overview and the Stores page show it.
import type { Got } from 'got';
import type { StoreRepository } from '../db/stores.ts';
import { generateWebhookSecret } from '../woocommerce/store-setup.ts';
import { WooCommerceRestClient, WooRestError } from '../woocommerce/rest-client.ts';
import type { WebhookCheckView, WebhookWatch } from '../woocommerce/webhook-watch.ts';
import { registerWebhooks, type RegistrationResult } from '../woocommerce/webhook-registration.ts';

export type SetUpWebhooksResult = { ok: true; registration: RegistrationResult; check: WebhookCheckView; changed: number } | { ok: false; message: string };

export class SetUpWebhooks {
  constructor(private readonly deps: { stores: StoreRepository; watch: WebhookWatch; http: Got; publicUrl: string }) {}

  async run(storeId: string): Promise<SetUpWebhooksResult> {
    const found = await this.deps.stores.findWithSecret(storeId);
    if (!found) return { ok: false, message: 'That store does not exist (any more).' };
    const credentials = this.deps.stores.restCredentialsOf(found.store);
    if (!credentials || !found.store.url) return { ok: false, message: 'Connect the store first: its address and a REST API key.' };
    // A store without a secret gets one now; webhooks that already exist then need it too, since
    // WooCommerce never shows their secret.
    let secret = found.webhookSecret;
    const newSecret = secret === undefined;
    if (secret === undefined) {
      secret = generateWebhookSecret();
      await this.deps.stores.setWebhookSecret(storeId, secret);
    }
    const client = new WooCommerceRestClient(this.deps.http, found.store.url, credentials);
    let registration: RegistrationResult;
    try {
      registration = await registerWebhooks(client, { publicUrl: this.deps.publicUrl, storeId, secret }, { updateSecret: newSecret, resumePaused: false });
    } catch (error) {
      if (error instanceof WooRestError) return { ok: false, message: error.message };
      throw error;
    }
    const check = await this.deps.watch.recordFromList(storeId, registration.webhooks, registration.hasSubscriptions);
    const unchanged = new Set(['already-active', 'left-paused', 'skipped']);
    return { ok: true, registration, check, changed: registration.actions.filter((action) => !unchanged.has(action.outcome)).length };
  }
}
