// Repository for stores: the WooCommerce shops feeding the bridge, each with its own webhook URL
// and (encrypted) webhook secret.
import type { Store } from './generated/client.ts';
import type { Db } from './client.ts';
import type { SecretBox } from '../crypto/secret-box.ts';

export const DEFAULT_STORE_ID = 'default';

export interface StoreWithSecret {
  store: Store;
  /** Decrypted webhook secret, or undefined when none is set yet. */
  webhookSecret: string | undefined;
}

export class StoreRepository {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
  ) {}

  async findWithSecret(id: string): Promise<StoreWithSecret | undefined> {
    const store = await this.db.store.findUnique({ where: { id } });
    if (!store) return undefined;
    return {
      store,
      webhookSecret: store.webhookSecretEnc ? this.secrets.decrypt(store.webhookSecretEnc) : undefined,
    };
  }

  findById(id: string): Promise<Store | null> {
    return this.db.store.findUnique({ where: { id } });
  }

  list(): Promise<Store[]> {
    return this.db.store.findMany({ orderBy: { createdAt: 'asc' } });
  }

  async create(input: { id: string; name: string; url: string; webhookSecret?: string }): Promise<Store> {
    return this.db.store.create({
      data: {
        id: input.id,
        name: input.name,
        url: input.url,
        ...(input.webhookSecret ? this.sealedSecret(input.webhookSecret) : {}),
      },
    });
  }

  async setWebhookSecret(id: string, webhookSecret: string): Promise<void> {
    await this.db.store.update({ where: { id }, data: this.sealedSecret(webhookSecret) });
  }

  async updateSettings(id: string, settings: object): Promise<void> {
    await this.db.store.update({ where: { id }, data: { settings } });
  }

  /**
   * Makes the configured store exist and match configuration. The configured secret wins over the
   * stored one so that changing WC_WEBHOOK_SECRET and restarting is all an operator has to do.
   */
  async ensureConfiguredStore(configured: {
    name: string;
    url: string | undefined;
    webhookSecret: string | undefined;
  }): Promise<StoreWithSecret> {
    const existing = await this.findWithSecret(DEFAULT_STORE_ID);
    if (!existing) {
      await this.create({
        id: DEFAULT_STORE_ID,
        name: configured.name,
        url: configured.url ?? '',
        ...(configured.webhookSecret ? { webhookSecret: configured.webhookSecret } : {}),
      });
    } else {
      const changes: Record<string, unknown> = {};
      if (configured.url && configured.url !== existing.store.url) {
        changes.url = configured.url;
        changes.name = configured.name;
      }
      if (configured.webhookSecret && configured.webhookSecret !== existing.webhookSecret) {
        Object.assign(changes, this.sealedSecret(configured.webhookSecret));
      }
      if (Object.keys(changes).length > 0) {
        await this.db.store.update({ where: { id: DEFAULT_STORE_ID }, data: changes });
      }
    }
    const store = await this.findWithSecret(DEFAULT_STORE_ID);
    if (!store) throw new Error('The configured store vanished while it was being created');
    return store;
  }

  private sealedSecret(webhookSecret: string) {
    return { webhookSecretEnc: this.secrets.encrypt(webhookSecret), webhookSecretSetAt: new Date() };
  }
}
