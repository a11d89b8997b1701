import pg from 'pg';
import { maintenanceConfigFor } from './connection-config.ts';

/**
 * Runs `work` on a connection to the maintenance database of the server `databaseUrl` is on,
 * which is where databases are created and dropped (a database cannot drop itself).
 */
export async function withMaintenanceConnection<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(maintenanceConfigFor(databaseUrl));
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
