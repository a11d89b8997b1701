// /api/v1/overview and /api/v1/contacts/:email: the dashboard's overview numbers and one person's
// history, for monitoring and support tools.
import type { FastifyInstance } from 'fastify';
import type { StoreRepository } from '../../db/stores.ts';
import type { SyncLogReader } from '../../sync-log/reader.ts';
import type { BridgeHealthReader } from '../../use-cases/bridge-health.ts';
import type { ZohoConnector } from '../../zoho/connector.ts';
import { eventRowJson } from './present.ts';
import { contactSchema, overviewSchema, problemSchema } from './schemas.ts';

export interface ReadApiOptions {
  syncLog: SyncLogReader;
  health: BridgeHealthReader;
  connector: Pick<ZohoConnector, 'status'>;
  stores: Pick<StoreRepository, 'list'>;
}

export async function readApiRoutes(app: FastifyInstance, options: ReadApiOptions): Promise<void> {
  const { syncLog, health: healthReader, connector, stores: storeList } = options;

  app.get(
    '/overview',
    {
      schema: {
        tags: ['Overview'],
        summary: 'Zoho connection, per-store counts and deliveries, queue and Zoho quota',
        response: { 200: overviewSchema, 401: problemSchema },
      },
    },
    async () => {
      const [connection, stores] = await Promise.all([connector.status(), storeList.list()]);
      const health = await healthReader.read(stores.map((store) => store.id));
      return {
        zoho: { state: connection.state, reason: connection.reason ?? null, dataCentre: connection.dataCentre ?? null },
        stores: health.stores.map((store, index) => ({
          id: store.storeId,
          name: stores[index]!.name,
          sentLast24h: store.sentToday,
          failed: store.failed,
          waiting: store.waiting,
          inLine: store.inLine,
          lastDeliveries: store.deliveries.map((delivery) => ({ topic: delivery.topic, lastAt: delivery.lastAt ?? null })),
          refusedSignaturesLast7d: store.refusedSignatures.count,
          webhookCheck: store.webhookCheck ? { ok: store.webhookCheck.ok, message: store.webhookCheck.message, checkedAt: store.webhookCheck.checkedAt } : null,
        })),
        queue: health.queue ?? null,
        listsubscribeQuota: health.quota ?? null,
      };
    },
  );

  app.get<{ Params: { email: string } }>(
    '/contacts/:email',
    {
      schema: {
        tags: ['Customers'],
        summary: 'Everything that happened to one email address, across stores',
        params: { type: 'object', properties: { email: { type: 'string', minLength: 3, maxLength: 320 } }, required: ['email'] },
        response: { 200: contactSchema, 400: problemSchema, 401: problemSchema },
      },
    },
    async (request) => {
      const history = await syncLog.contactHistory(request.params.email.trim());
      return {
        email: history.email,
        contacts: history.contacts.map((contact) => ({
          store: { id: contact.storeId, name: contact.storeName },
          customerId: contact.customerId,
          name: contact.name ?? null,
          email: contact.email,
          lists: contact.lists,
          unsubscribedIn: contact.unsubscribedIn,
          lastSyncedAt: contact.lastSyncedAt,
          deletedAt: contact.deletedAt,
        })),
        events: history.events.map(eventRowJson),
        more: history.more,
      };
    },
  );
}
