// Owner pages about the Zoho connection once it exists: choosing the lists a store fills, and
// disconnecting (which gives the refresh token back to Zoho).
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DEFAULT_STORE_ID, type StoreRepository } from '../../db/stores.ts';
import type { SettingsDefaults } from '../../sync/store-settings.ts';
import type { ZohoConnector } from '../../zoho/connector.ts';
import type { MailingList } from '../../zoho/mailing-lists.ts';
import { formField, queryField } from './form.ts';
import type { OwnerOnly, WakeSyncJobs } from './route-options.ts';
import { chosenLists, LIST_ROLES, saveListChoice, type ListChoice, type ListRole } from '../../use-cases/list-choice.ts';
import { renderPage } from './pages.ts';
import { setFlash } from './session.ts';

export interface ZohoConnectionRouteOptions extends OwnerOnly {
  connector: ZohoConnector;
  stores: StoreRepository;
  settingsDefaults: SettingsDefaults;
  wakeSyncJobs: WakeSyncJobs;
  log: FastifyBaseLogger;
}

export async function zohoConnectionRoutes(app: FastifyInstance, options: ZohoConnectionRouteOptions): Promise<void> {
  const { connector, stores, settingsDefaults, wakeSyncJobs, log, ownerOnly } = options;

  const listsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    input: { storeId: string; chosen?: ListChoice; error?: string; statusCode?: number },
  ) => {
    const store = await stores.findById(input.storeId);
    if (!store) {
      reply.callNotFound();
      return reply;
    }
    const lists = await connector.mailingLists();
    return renderPage(
      request,
      reply,
      'choose-lists',
      {
        title: 'Choose your lists',
        storeId: store.id,
        storeName: (await stores.list()).length > 1 ? store.name : undefined,
        roles: LIST_ROLES,
        lists: lists.ok ? lists.lists : undefined,
        listsProblem: lists.ok ? undefined : lists.message,
        chosen: input.chosen ?? chosenLists(store.settings, settingsDefaults),
        error: input.error,
      },
      input.statusCode,
    );
  };

  app.get('/admin/zoho/lists', { preHandler: ownerOnly }, async (request, reply) => {
    if ((await connector.status()).state !== 'connected') {
      setFlash(request, 'Connect Zoho Campaigns first; then you can choose its lists.');
      return reply.redirect('/admin', 303);
    }
    return listsPage(request, reply, { storeId: queryField(request.query, 'store') ?? DEFAULT_STORE_ID });
  });

  app.post('/admin/zoho/lists', { preHandler: ownerOnly }, async (request, reply) => {
    const storeId = formField(request.body, 'store') || DEFAULT_STORE_ID;
    const submitted = Object.fromEntries(LIST_ROLES.map(({ key }) => [key, formField(request.body, key)])) as Record<ListRole, string>;
    const lists = await connector.mailingLists();
    if (!lists.ok) return listsPage(request, reply, { storeId, chosen: submitted, error: `Nothing was saved: ${lists.message}`, statusCode: 503 });
    const saved = await saveListChoice(stores, storeId, submitted, lists.lists);
    if (!saved.ok) return listsPage(request, reply, { storeId, chosen: submitted, error: saved.message, statusCode: 400 });

    log.info({ storeId, lists: saved.choice }, 'Owner chose the Zoho lists');
    // Changes that waited for a list to be chosen can go now.
    await wakeSyncJobs().catch((error: unknown) => log.warn({ err: error }, 'Could not wake the waiting sync jobs'));
    setFlash(request, `Saved. Customers now go to: ${describeChoice(saved.choice, lists.lists)}.`);
    return reply.redirect('/admin', 303);
  });

  app.get('/admin/zoho/disconnect', { preHandler: ownerOnly }, async (request, reply) => {
    const status = await connector.status();
    if (status.state === 'not_connected') return reply.redirect('/admin', 303);
    return renderPage(request, reply, 'disconnect', { title: 'Disconnect Zoho Campaigns', fromSettings: status.origin === 'config' });
  });

  app.post('/admin/zoho/disconnect', { preHandler: ownerOnly }, async (request, reply) => {
    const result = await connector.disconnect();
    setFlash(
      request,
      !result.wasConnected
        ? 'Zoho Campaigns was not connected.'
        : result.revoked
          ? 'Zoho Campaigns is disconnected and its access was given back to Zoho.'
          : 'Zoho Campaigns is disconnected here, but Zoho could not be told. To be sure, remove this bridge under "Connected Apps" in your Zoho account settings (accounts.zoho.com).',
    );
    return reply.redirect('/admin', 303);
  });
}

function describeChoice(choice: ListChoice, lists: MailingList[]): string {
  return LIST_ROLES.filter((role) => choice[role.key])
    .map((role) => `${lists.find((list) => list.key === choice[role.key])?.name ?? choice[role.key]} (${role.label.toLowerCase()})`)
    .join(', ');
}
