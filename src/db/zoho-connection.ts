// Repository for zoho_connection: the one Zoho Campaigns account, its encrypted tokens and state.
import type { ZohoConnection } from './generated/client.ts';
import type { Db } from './client.ts';
import type { SecretBox } from '../crypto/secret-box.ts';

const ID = 1;

export interface NewConnection {
  dataCentre: string;
  accountsServer: string;
  campaignsUrl: string;
  refreshToken: string;
  accessToken?: string | undefined;
  accessTokenExpiresAt?: Date | undefined;
  scope?: string | undefined;
  origin: 'config' | 'browser' | 'self-client';
}

export class ZohoConnectionRepository {
  constructor(
    private readonly db: Db,
    private readonly secrets: SecretBox,
  ) {}

  get(): Promise<ZohoConnection | null> {
    return this.db.zohoConnection.findUnique({ where: { id: ID } });
  }

  decryptRefreshToken(connection: ZohoConnection): string {
    return this.secrets.decrypt(connection.refreshTokenEnc);
  }

  decryptAccessToken(connection: ZohoConnection): string | undefined {
    return connection.accessTokenEnc ? this.secrets.decrypt(connection.accessTokenEnc) : undefined;
  }

  /** Replaces the connection (a new refresh token starts with a clean state). */
  async save(connection: NewConnection): Promise<ZohoConnection> {
    const data = {
      dataCentre: connection.dataCentre,
      accountsServer: connection.accountsServer,
      campaignsUrl: connection.campaignsUrl,
      refreshTokenEnc: this.secrets.encrypt(connection.refreshToken),
      accessTokenEnc: connection.accessToken ? this.secrets.encrypt(connection.accessToken) : null,
      accessTokenExpiresAt: connection.accessTokenExpiresAt ?? null,
      scope: connection.scope ?? null,
      state: 'connected' as const,
      stateReason: null,
      refreshBlockedUntil: null,
      origin: connection.origin,
      connectedAt: new Date(),
    };
    return this.db.zohoConnection.upsert({ where: { id: ID }, create: { id: ID, ...data }, update: data });
  }

  // The writes below name the connection they are about by its sealed refresh token (a new
  // encryption per save, so it identifies one connection exactly). A slow refresh or a late Zoho
  // refusal about a connection the owner has since replaced must not touch the new one.

  /** Stores a refreshed access token; false when the connection was replaced meanwhile. */
  async storeAccessToken(connection: string, accessToken: string, expiresAt: Date, scope: string | undefined): Promise<boolean> {
    const updated = await this.db.zohoConnection.updateMany({
      where: { id: ID, refreshTokenEnc: connection },
      data: {
        accessTokenEnc: this.secrets.encrypt(accessToken),
        accessTokenExpiresAt: expiresAt,
        refreshBlockedUntil: null,
        stateReason: null,
        ...(scope ? { scope } : {}),
      },
    });
    return updated.count === 1;
  }

  /**
   * Drops the stored access token if it is still `sealedAccessToken`. Another process may have
   * stored a new one since it read the rejected one; that one must survive.
   */
  async clearAccessToken(connection: string, sealedAccessToken: string): Promise<void> {
    await this.db.zohoConnection.updateMany({
      where: { id: ID, refreshTokenEnc: connection, accessTokenEnc: sealedAccessToken },
      data: { accessTokenEnc: null, accessTokenExpiresAt: null },
    });
  }

  async blockRefreshUntil(connection: string, until: Date, reason: string): Promise<void> {
    await this.db.zohoConnection.updateMany({
      where: { id: ID, refreshTokenEnc: connection },
      data: { refreshBlockedUntil: until, stateReason: reason },
    });
  }

  async markNeedsReconnect(connection: string, reason: string): Promise<void> {
    await this.db.zohoConnection.updateMany({
      where: { id: ID, refreshTokenEnc: connection },
      data: { state: 'needs_reconnect', stateReason: reason, accessTokenEnc: null, accessTokenExpiresAt: null },
    });
  }

  /**
   * Re-seals the tokens under the current key when an older key sealed them; returns how many. A
   * token refresh racing with this finds the connection "replaced" and is simply tried again.
   */
  async resealSecrets(): Promise<number> {
    const connection = await this.get();
    if (!connection) return 0;
    const changes: { refreshTokenEnc?: string; accessTokenEnc?: string } = {};
    if (this.secrets.isSealedWithOldKey(connection.refreshTokenEnc)) {
      changes.refreshTokenEnc = this.secrets.encrypt(this.secrets.decrypt(connection.refreshTokenEnc));
    }
    if (connection.accessTokenEnc && this.secrets.isSealedWithOldKey(connection.accessTokenEnc)) {
      changes.accessTokenEnc = this.secrets.encrypt(this.secrets.decrypt(connection.accessTokenEnc));
    }
    if (Object.keys(changes).length === 0) return 0;
    const updated = await this.db.zohoConnection.updateMany({
      where: { id: ID, refreshTokenEnc: connection.refreshTokenEnc, accessTokenEnc: connection.accessTokenEnc },
      data: changes,
    });
    return updated.count === 1 ? Object.keys(changes).length : 0;
  }

  async markDisconnected(): Promise<void> {
    await this.db.zohoConnection.deleteMany({ where: { id: ID } });
  }
}
