// Repository for installation: the id that tells this bridge's database apart from any other's.
import { randomUUID } from 'node:crypto';
import type { Db } from './client.ts';

const ID = 1;

export class InstallationRepository {
  constructor(private readonly db: Db) {}

  /** The installation id, created on the first call (the first start of a new database). */
  async idOrCreate(): Promise<string> {
    const row = await this.db.installation.upsert({
      where: { id: ID },
      create: { id: ID, installationId: randomUUID() },
      update: {},
    });
    return row.installationId;
  }
}
