// Tokens for the JSON API (/api/v1): made and revoked by the owner on the dashboard, shown once,
// stored as a SHA-256 hash. A token is 32 random bytes, so a plain hash is enough: there is no
// password to guess, and the lookup by hash compares nothing in JavaScript.
import { createHash, randomBytes } from 'node:crypto';
import type { ApiTokenRepository } from '../db/api-tokens.ts';
import type { ApiToken } from '../db/rows.ts';

const PREFIX = 'wzb_';
/** "Last used" is written at most this often per token, not on every request. */
const TOUCH_EVERY_MS = 60_000;
const TOKEN_FORMAT = /^wzb_[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class ApiTokens {
  constructor(private readonly tokens: ApiTokenRepository) {}

  /** Makes a token; the returned `token` is the only time it exists in clear. */
  async create(name: string): Promise<{ token: string; record: ApiToken }> {
    const token = `${PREFIX}${randomBytes(32).toString('base64url')}`;
    const record = await this.tokens.create(name.trim().slice(0, 100) || 'API token', hashToken(token));
    return { token, record };
  }

  /** The token's record when `token` is a live token, else undefined. */
  async verify(token: string | undefined, now = new Date()): Promise<ApiToken | undefined> {
    if (!token || !TOKEN_FORMAT.test(token)) return undefined;
    const record = await this.tokens.findByHash(hashToken(token));
    if (!record) return undefined;
    if (!record.lastUsedAt || now.getTime() - record.lastUsedAt.getTime() > TOUCH_EVERY_MS) await this.tokens.touch(record.id, now);
    return record;
  }

  /** How many live tokens there are: the owner is reminded of them when the password changes. */
  count(): Promise<number> {
    return this.tokens.count();
  }

  list(): Promise<ApiToken[]> {
    return this.tokens.list();
  }

  revoke(id: bigint): Promise<boolean> {
    return this.tokens.delete(id);
  }
}
