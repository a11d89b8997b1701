// The owner's Stores page: every store with its webhook URL, secret and webhook check; adding a
// store and making a new webhook secret. A secret is returned once, to be shown once: the bridge
// keeps it encrypted and never displays it again.
import type { Config } from '../config.ts';
import { DEFAULT_STORE_ID, type StoreRepository } from '../db/stores.ts';
import type { WebhookCheckRepository } from '../db/webhook-checks.ts';
import { webhookUrlOf } from '../woocommerce/bridge-webhooks.ts';
import { freeStoreId, generateWebhookSecret, sameStoreUrl } from '../woocommerce/store-setup.ts';
import { latestCheck, type WebhookCheckView } from '../woocommerce/webhook-watch.ts';

export interface StoreEntry {
  id: string;
  name: string;
  url: string;
  webhookUrl: string;
  secretSetAt: Date | null;
  /** The secret comes from WC_WEBHOOK_SECRET: it is changed there, not on the page. */
  secretFromSettings: boolean;
  hasRestKey: boolean;
  check: WebhookCheckView | undefined;
}

export type SecretResult = { ok: true; storeId: string; storeName: string; webhookUrl: string; secret: string } | { ok: false; message: string };

export class StoreAdmin {
  constructor(
    private readonly deps: {
      stores: StoreRepository;
      checks: WebhookCheckRepository;
      config: Pick<Config, 'publicUrl' | 'defaultStore'>;
    },
  ) {}

  async list(): Promise<StoreEntry[]> {
    const stores = await this.deps.stores.list();
    return Promise.all(
      stores.map(async (store) => ({
        id: store.id,
        name: store.name,
        url: store.url,
        webhookUrl: webhookUrlOf(this.deps.config.publicUrl, store.id),
        secretSetAt: store.webhookSecretEnc ? store.webhookSecretSetAt : null,
        secretFromSettings: this.#secretFromSettings(store.id),
        hasRestKey: store.restCredentialsEnc !== null,
        check: await latestCheck(this.deps.checks, store.id),
      })),
    );
  }

  /** Adds a store with a new secret (returned once). */
  async add(input: { name: string; url: string }): Promise<SecretResult> {
    const url = input.url.trim().replace(/\/+$/, '');
    if (!URL.canParse(url) || !/^https?:$/.test(new URL(url).protocol)) {
      return { ok: false, message: 'Give the store’s full address, starting with https://, for example https://shop.example.com.' };
    }
    const existing = (await this.deps.stores.list()).find((store) => sameStoreUrl(store.url, url));
    if (existing) return { ok: false, message: `${url} is already here, as “${existing.name}”. To make it a new secret, use “New secret” next to it.` };
    const name = input.name.trim().slice(0, 100) || new URL(url).host;
    const id = await freeStoreId(this.deps.stores, name);
    const secret = generateWebhookSecret();
    // A new store chooses its own lists next (the page after this says so); until then it fills none.
    await this.deps.stores.create({ id, name, url, webhookSecret: secret, settings: { inheritsDefaultList: false } });
    return { ok: true, storeId: id, storeName: name, webhookUrl: webhookUrlOf(this.deps.config.publicUrl, id), secret };
  }

  /** Replaces the store's webhook secret (returned once). Deliveries signed with the old one are refused from now on. */
  async rotateSecret(storeId: string): Promise<SecretResult> {
    const store = await this.deps.stores.findById(storeId);
    if (!store) return { ok: false, message: 'That store does not exist (any more).' };
    if (this.#secretFromSettings(storeId)) {
      return {
        ok: false,
        message:
          'This store’s secret comes from the WC_WEBHOOK_SECRET setting, which is applied again at every start. Whoever runs the bridge changes it there (openssl rand -base64 32) and restarts it.',
      };
    }
    const secret = generateWebhookSecret();
    await this.deps.stores.setWebhookSecret(storeId, secret);
    return { ok: true, storeId, storeName: store.name, webhookUrl: webhookUrlOf(this.deps.config.publicUrl, storeId), secret };
  }

  #secretFromSettings(storeId: string): boolean {
    return storeId === DEFAULT_STORE_ID && this.deps.config.defaultStore.webhookSecret !== undefined;
  }
}
