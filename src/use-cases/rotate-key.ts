// The rotate-key use case: after ENCRYPTION_KEY was changed (the old key moved to
// ENCRYPTION_KEY_PREVIOUS), re-seal every stored secret under the new key, so that the old key
// can then be dropped (docs/security.md, "Key rotation").
import type { StoreRepository } from '../db/stores.ts';
import type { ZohoConnectionRepository } from '../db/zoho-connection.ts';

export interface KeyRotationResult {
  /** Webhook secrets and REST API keys re-sealed. */
  storeSecrets: number;
  /** Zoho refresh and access tokens re-sealed. */
  zohoTokens: number;
}

export interface KeyRotationRepositories {
  stores: Pick<StoreRepository, 'resealSecrets'>;
  zohoConnection: Pick<ZohoConnectionRepository, 'resealSecrets'>;
}

export async function rotateEncryptionKey(repositories: KeyRotationRepositories): Promise<KeyRotationResult> {
  return {
    storeSecrets: await repositories.stores.resealSecrets(),
    zohoTokens: await repositories.zohoConnection.resealSecrets(),
  };
}
