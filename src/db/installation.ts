// Repository for installation: the id that tells this bridge's database apart from any other's.
import { randomUUID } from 'node:crypto';
import type { Db } from './client.ts';

const ID = 1;

export class InstallationRepository {
  constructor(private readonly db: Db) {}

  /**
   * The installation id, created on the first call (the first start of a new database). Processes
   * starting together may all try to create it: the first insert wins, the others read it.
   */
  async idOrCreate(): Promise<string> {
    await this.db.$executeRaw`INSERT INTO installation (id, installation_id) VALUES (${ID}, ${randomUUID()}) ON CONFLICT (id) DO NOTHING`;
    const row = await this.db.installation.findUniqueOrThrow({ where: { id: ID } });
    return row.installationId;
  }
}
