// Repository for api_tokens: the JSON API's bearer tokens. Only a SHA-256 hash is stored; the
// token itself is shown to the owner once, when it is made.
import type { ApiToken } from './generated/client.ts';
import type { Db } from './client.ts';

export class ApiTokenRepository {
  constructor(private readonly db: Db) {}

  create(name: string, tokenHash: string): Promise<ApiToken> {
    return this.db.apiToken.create({ data: { name, tokenHash } });
  }

  findByHash(tokenHash: string): Promise<ApiToken | null> {
    return this.db.apiToken.findUnique({ where: { tokenHash } });
  }

  list(): Promise<ApiToken[]> {
    return this.db.apiToken.findMany({ orderBy: { id: 'asc' } });
  }

  count(): Promise<number> {
    return this.db.apiToken.count();
  }

  /** Returns false when no such token exists (any more). */
  async delete(id: bigint): Promise<boolean> {
    const { count } = await this.db.apiToken.deleteMany({ where: { id } });
    return count > 0;
  }

  async touch(id: bigint, at: Date): Promise<void> {
    await this.db.apiToken.update({ where: { id }, data: { lastUsedAt: at } });
  }
}
