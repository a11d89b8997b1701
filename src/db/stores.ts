// Repository for stores: the WooCommerce shops feeding the bridge, each with its own webhook URL
// and (encrypted) webhook secret.
import type { Store } from './generated/client.ts';
import type { Db } from './client.ts';
import type { SecretBox } from '../crypto/secret-box.ts';

export const DEFAULT_STORE_ID = 'default';

/** A store's WooCommerce REST API keys as stored (encrypted); the REST client takes the same shape. */
export interface StoredRestCredentials {
  consumerKey: string;
  consumerSecret: string;
  authMode?: 'basic' | 'query' | 'oauth1';
}

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

  async create(input: { id: string; name: string; url: string; webhookSecret?: string; settings?: object }): Promise<Store> {
    return this.db.store.create({
      data: {
        id: input.id,
        name: input.name,
        url: input.url,
        ...(input.settings ? { settings: input.settings } : {}),
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
   * Saves settings the owner changed, and remembers the routing the people already synced were
   * given (`before`, src/sync/routing-fingerprint.ts) until the owner applies the new one to
   * everyone. Nothing is outstanding (null) when the store has nobody yet, or when the settings
   * route people as they were routed before.
   */
  async saveSettings(id: string, settings: object, routing: { before: string; after: string }): Promise<void> {
    await this.db.$executeRaw`
      UPDATE stores
         SET settings = ${JSON.stringify(settings)}::jsonb,
             updated_at = now(),
             lists_applied_fingerprint = CASE
               WHEN NOT EXISTS (SELECT 1 FROM contacts WHERE contacts.store_id = stores.id) THEN NULL
               WHEN COALESCE(lists_applied_fingerprint, ${routing.before}) = ${routing.after} THEN NULL
               ELSE COALESCE(lists_applied_fingerprint, ${routing.before})
             END
       WHERE id = ${id}`;
  }

  /**
   * After an "apply settings to everyone" run: the routing people now have (null when it is the
   * current one), written only if the settings are still those it was worked out from; false
   * when they changed meanwhile.
   */
  async recordListsApplied(id: string, fingerprint: string | null, settingsReadAs: unknown): Promise<boolean> {
    const changed = await this.db.$executeRaw`
      UPDATE stores SET lists_applied_fingerprint = ${fingerprint}, updated_at = now()
       WHERE id = ${id} AND settings = ${JSON.stringify(settingsReadAs ?? {})}::jsonb`;
    return changed > 0;
  }

  /**
   * Makes the configured store exist and match configuration. The configured secret wins over the
   * stored one so that changing WC_WEBHOOK_SECRET and restarting is all an operator has to do.
   */
  async ensureConfiguredStore(configured: { name: string; url: string | undefined; webhookSecret: string | undefined }): Promise<StoreWithSecret> {
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

  /** Stores the WooCommerce REST API key (backfill, webhook registration), encrypted. */
  async setRestCredentials(id: string, credentials: StoredRestCredentials): Promise<void> {
    await this.db.store.update({ where: { id }, data: { restCredentialsEnc: this.secrets.encrypt(JSON.stringify(credentials)) } });
  }

  /** A store's address and its REST API key, checked against it (src/use-cases/connect-store.ts), saved together. */
  async connectRest(id: string, url: string, credentials: StoredRestCredentials): Promise<void> {
    const store = await this.db.store.findUnique({ where: { id } });
    // A name that was only the old address's host follows the address.
    const renamed = store && URL.canParse(store.url) && store.name === new URL(store.url).host ? { name: new URL(url).host } : {};
    await this.db.store.update({ where: { id }, data: { url, ...renamed, restCredentialsEnc: this.secrets.encrypt(JSON.stringify(credentials)) } });
  }

  /** Notes a ping from WooCommerce (unsigned, so anyone can send one: it only moves a time, and only of a store that exists). */
  async recordPing(id: string, at = new Date()): Promise<void> {
    await this.db.store.updateMany({ where: { id }, data: { lastPingAt: at } });
  }

  /** The store's decrypted REST API key, or undefined when none was given. */
  restCredentialsOf(store: Store): StoredRestCredentials | undefined {
    if (!store.restCredentialsEnc) return undefined;
    const parsed = JSON.parse(this.secrets.decrypt(store.restCredentialsEnc)) as StoredRestCredentials;
    return parsed.consumerKey && parsed.consumerSecret ? parsed : undefined;
  }

  /** Stores that have a REST API key, so the bridge can look at their webhooks. */
  listWithRestCredentials(): Promise<Store[]> {
    return this.db.store.findMany({ where: { restCredentialsEnc: { not: null } }, orderBy: { createdAt: 'asc' } });
  }

  /** Re-seals every store secret sealed with an older key under the current one; returns how many. */
  async resealSecrets(): Promise<number> {
    let resealed = 0;
    for (const store of await this.db.store.findMany({ orderBy: { id: 'asc' } })) {
      const changes: { webhookSecretEnc?: string; restCredentialsEnc?: string } = {};
      if (store.webhookSecretEnc && this.secrets.isSealedWithOldKey(store.webhookSecretEnc)) {
        changes.webhookSecretEnc = this.secrets.encrypt(this.secrets.decrypt(store.webhookSecretEnc));
      }
      if (store.restCredentialsEnc && this.secrets.isSealedWithOldKey(store.restCredentialsEnc)) {
        changes.restCredentialsEnc = this.secrets.encrypt(this.secrets.decrypt(store.restCredentialsEnc));
      }
      if (Object.keys(changes).length === 0) continue;
      await this.db.store.update({ where: { id: store.id }, data: changes });
      resealed += Object.keys(changes).length;
    }
    return resealed;
  }

  private sealedSecret(webhookSecret: string) {
    return { webhookSecretEnc: this.secrets.encrypt(webhookSecret), webhookSecretSetAt: new Date() };
  }
}
