// The owner's overview at /admin: is Zoho connected (and if not, why and what to do), which lists
// each store fills, how many changes were sent, failed or wait, whether WooCommerce is delivering,
// the queue and Zoho's allowance. `/` leads here.
import type { FastifyInstance } from 'fastify';
import { incidentViews } from '../../alerts/incident-view.ts';
import { PENDING_STATUSES } from '../../db/events.ts';
import { bridgeHealth } from '../../use-cases/bridge-health.ts';
import { DATA_CENTRE_NAMES, isZohoDataCentre } from '../../zoho/data-centres.ts';
import type { MailingList } from '../../zoho/mailing-lists.ts';
import { webhookUrlOf } from '../../woocommerce/bridge-webhooks.ts';
import type { OwnerRouteOptions } from './route-options.ts';
import { chosenLists, LIST_ROLES } from './list-choice.ts';
import { renderPage } from './pages.ts';

const LIST_NAMES_WAIT_MS = 3_000;

export async function overviewRoutes(
  app: FastifyInstance,
  options: OwnerRouteOptions,
): Promise<void> {
  const { services, ownerOnly } = options;
  const { config, repositories } = services;
  const { connector } = services.zoho;

  app.get('/', async (_request, reply) => reply.redirect('/admin', 302));

  app.get('/admin', { preHandler: ownerOnly }, async (request, reply) => {
    const [connection, stores, counts, incidents] = await Promise.all([
      connector.status(),
      repositories.stores.list(),
      repositories.events.countByStatus(),
      services.alerts.incidents.listOpenAndRecent(new Date()),
    ]);
    const health = await bridgeHealth(
      { events: repositories.events, rejections: repositories.rejections, queue: services.syncQueue, quota: services.zoho.quota, checks: repositories.webhookChecks },
      stores.map((store) => store.id),
    );
    const choices = stores.map((store) => ({ store, choice: chosenLists(store.settings, config) }));
    const anyChosen = choices.some(({ choice }) => Object.values(choice).some(Boolean));
    // List names make sense to the owner, keys do not. The overview never waits long for Zoho:
    // without an answer in time, the keys show instead.
    let available: MailingList[] = [];
    if (connection.state === 'connected' && anyChosen) {
      const lists = await Promise.race([connector.mailingLists(), sleep(LIST_NAMES_WAIT_MS).then(() => undefined)]);
      if (lists?.ok) available = lists.lists;
    }
    const nameOf = (key: string) => available.find((list) => list.key === key)?.name;

    return renderPage(request, reply, 'overview', {
      title: 'Overview',
      section: 'overview',
      connection,
      health,
      incidents: incidentViews(incidents),
      dataCentreName: connection.dataCentre && isZohoDataCentre(connection.dataCentre) ? DATA_CENTRE_NAMES[connection.dataCentre] : connection.dataCentre,
      stores: choices.map(({ store, choice }) => ({
        id: store.id,
        name: store.name,
        lists: LIST_ROLES.map((role) => ({ label: role.label, key: choice[role.key], name: choice[role.key] && nameOf(choice[role.key]!) })),
        anyChosen: Object.values(choice).some(Boolean),
      })),
      // Everything stored and not yet in Zoho, whether a worker has looked at it yet or not.
      waiting: counts.filter((row) => PENDING_STATUSES.includes(row.status)).reduce((sum, row) => sum + row._count._all, 0),
      webhookUrl: (storeId: string) => webhookUrlOf(config.publicUrl, storeId),
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
