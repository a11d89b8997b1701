// The owner's overview at /admin: is Zoho connected (and if not, why and what to do), which lists
// each store fills, how many changes were sent, failed or wait, and the last 30 days of both (charts
// drawn by ./charts.ts), whether WooCommerce is delivering, the queue and Zoho's allowance. `/`
// leads here.
import type { FastifyInstance } from 'fastify';
import type { AlertIncidentRepository } from '../../db/alert-incidents.ts';
import { incidentViews } from '../../alerts/incident-view.ts';
import { PENDING_STATUSES, type EventRepository } from '../../db/events.ts';
import type { StoreRepository } from '../../db/stores.ts';
import type { SettingsDefaults } from '../../sync/store-settings.ts';
import type { BridgeHealthReader } from '../../use-cases/bridge-health.ts';
import type { ZohoConnector } from '../../zoho/connector.ts';
import { DATA_CENTRE_NAMES, isZohoDataCentre } from '../../zoho/data-centres.ts';
import type { MailingList } from '../../zoho/mailing-lists.ts';
import { webhookUrlOf } from '../../woocommerce/bridge-webhooks.ts';
import type { Store } from '../../db/rows.ts';
import type { Checklist } from '../../use-cases/setup-checklist.ts';
import type { OwnerOnly } from './route-options.ts';
import { chosenLists, LIST_ROLES } from '../../use-cases/list-choice.ts';
import type { OverviewTrendReader } from '../../use-cases/overview-trend.ts';
import { dayBarsChart, listLineChart } from './charts.ts';
import { renderPage, timeZoneOf } from './pages.ts';

const LIST_NAMES_WAIT_MS = 3_000;

export interface OverviewRouteOptions extends OwnerOnly {
  connector: Pick<ZohoConnector, 'status' | 'mailingLists'>;
  health: BridgeHealthReader;
  stores: Pick<StoreRepository, 'list'>;
  events: Pick<EventRepository, 'countByStatus'>;
  settingsDefaults: SettingsDefaults;
  publicUrl: string;
  /** Alerts open now or closed lately (docs/alerts.md). */
  incidents: Pick<AlertIncidentRepository, 'listOpenAndRecent'>;
  /** The first-run checklist of a store (src/use-cases/setup-checklist.ts). */
  checklist: (store: Store) => Promise<Checklist>;
  /** The last 30 days: changes per day and the lists' sizes. */
  trend: Pick<OverviewTrendReader, 'read'>;
  /** Where Zoho sends the owner back after approving (a Zoho API client needs it). */
  zohoRedirectUri: string;
}

export async function overviewRoutes(app: FastifyInstance, options: OverviewRouteOptions): Promise<void> {
  const { connector, health: healthReader, stores: storeList, events, settingsDefaults, publicUrl, incidents: incidentList, ownerOnly } = options;

  app.get('/', async (_request, reply) => reply.redirect('/admin', 302));

  app.get('/admin', { preHandler: ownerOnly }, async (request, reply) => {
    const [connection, stores, counts, incidents] = await Promise.all([
      connector.status(),
      storeList.list(),
      events.countByStatus(),
      incidentList.listOpenAndRecent(new Date()),
    ]);
    const storeIds = stores.map((store) => store.id);
    const [health, trend] = await Promise.all([healthReader.read(storeIds), options.trend.read(timeZoneOf(request), storeIds)]);
    const choices = stores.map((store) => ({ store, choice: chosenLists(store.settings, settingsDefaults) }));
    const anyChosen = choices.some(({ choice }) => Object.values(choice).some(Boolean));
    // List names make sense to the owner, keys do not. The overview never waits long for Zoho:
    // without an answer in time, the keys show instead.
    let available: MailingList[] = [];
    if (connection.state === 'connected' && anyChosen) {
      const lists = await Promise.race([connector.mailingLists(), sleep(LIST_NAMES_WAIT_MS).then(() => undefined)]);
      if (lists?.ok) available = lists.lists;
    }
    const nameOf = (key: string) => available.find((list) => list.key === key)?.name;
    // What each list is for, in the words of the list page ("Every customer", with the store when there are several).
    const usedFor = (key: string) =>
      choices
        .flatMap(({ store, choice }) =>
          LIST_ROLES.filter((role) => choice[role.key] === key).map((role) => (stores.length > 1 ? `${role.label}, ${store.name}` : role.label)),
        )
        .join(' · ');

    // The first-run checklist leads the overview until every step is done (then it is linked).
    const checklist = stores[0] ? await options.checklist(stores[0]) : undefined;
    return renderPage(request, reply, 'overview', {
      title: 'Overview',
      wide: true,
      section: 'overview',
      checklist,
      returnTo: '/admin',
      connection,
      health,
      incidents: incidentViews(incidents),
      dataCentreName: connection.dataCentre && isZohoDataCentre(connection.dataCentre) ? DATA_CENTRE_NAMES[connection.dataCentre] : connection.dataCentre,
      stores: choices.map(({ store, choice }) => ({
        id: store.id,
        name: store.name,
        lists: LIST_ROLES.map((role) => ({ label: role.label, key: choice[role.key], name: choice[role.key] && nameOf(choice[role.key]!) })),
        anyChosen: Object.values(choice).some(Boolean),
        trend: dayBarsChart('Changes, last 30 days', trend.stores[store.id] ?? []),
      })),
      lists: trend.lists.map((list, index) => ({
        id: `list-${index + 1}`,
        chart: listLineChart(nameOf(list.key) ?? list.name, list),
        usedFor: usedFor(list.key),
      })),
      zohoRedirectUri: options.zohoRedirectUri,
      // Everything stored and not yet in Zoho, whether a worker has looked at it yet or not.
      waiting: counts.filter((row) => PENDING_STATUSES.includes(row.status)).reduce((sum, row) => sum + row._count._all, 0),
      webhookUrl: (storeId: string) => webhookUrlOf(publicUrl, storeId),
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
