// The first-run checklist: the six steps from an empty bridge to customers in Zoho, each done or
// not, with what to do next. Read from what the bridge already knows; nothing is asked of Zoho or
// WooCommerce here, so the overview stays quick.
import type { EventRepository } from '../db/events.ts';
import type { Store } from '../db/rows.ts';
import type { StoreRepository } from '../db/stores.ts';
import type { WebhookCheckRepository } from '../db/webhook-checks.ts';
import { topicLabel } from '../sync-log/explanations.ts';
import { latestCheck, type WebhookCheckView } from '../woocommerce/webhook-watch.ts';
import type { ImportStore, ImportView } from './import-store.ts';

export type StepKey = 'zoho' | 'lists' | 'store' | 'webhooks' | 'delivery' | 'import';

export interface ChecklistStep {
  key: StepKey;
  title: string;
  done: boolean;
  /** What is true now, or what to do, in a sentence. */
  detail: string;
}

export interface Checklist {
  storeId: string;
  storeName: string;
  steps: ChecklistStep[];
  done: boolean;
  /** Zoho can be connected from the browser (else the operator must set up the Zoho API client). */
  zohoConnectable: boolean;
  /** The first step not done: the one the page offers to do. */
  next: StepKey | undefined;
  webhooks: WebhookCheckView | undefined;
  /** Each topic in words ("New customer"), for the webhooks' table. */
  topicLabel: (topic: string) => string;
  importView: ImportView;
  /**
   * What a page showed, for its live parts: when this changes (a step finished, an import's
   * reading finished or its state changed), the page reloads to show what comes next.
   */
  liveState: string;
  lastPingAt: Date | undefined;
  lastDelivery: { topic: string; receivedAt: Date } | undefined;
}

export interface ChecklistDependencies {
  stores: StoreRepository;
  checks: WebhookCheckRepository;
  events: EventRepository;
  importStore: ImportStore;
  /** Whether Zoho is connected, and whether it can be (the bridge's own Zoho API client is set). */
  zoho: () => Promise<{ connected: boolean; clientConfigured: boolean }>;
  /** Whether the store fills at least one Zoho list. */
  listsChosen: (store: Store) => boolean;
}

export async function setupChecklist(deps: ChecklistDependencies, store: Store): Promise<Checklist> {
  const [zoho, webhooks, importView, lastDelivery] = await Promise.all([
    deps.zoho(),
    latestCheck(deps.checks, store.id),
    deps.importStore.status(store.id),
    deps.events.latestDelivery(store.id),
  ]);
  const connected = store.restCredentialsEnc !== null && store.url !== '';
  const lastPingAt = store.lastPingAt ?? undefined;
  const steps: ChecklistStep[] = [
    {
      key: 'zoho',
      title: 'Connect Zoho Campaigns',
      done: zoho.connected,
      detail: zoho.connected
        ? 'Connected.'
        : zoho.clientConfigured
          ? 'Sign in to Zoho and allow the bridge to add people to your lists.'
          : 'First, whoever runs the bridge gives it its own Zoho API client (docs/zoho-connection.md shows each Zoho screen) and restarts it.',
    },
    {
      key: 'lists',
      title: 'Choose the lists',
      done: deps.listsChosen(store),
      detail: deps.listsChosen(store) ? 'Lists chosen.' : 'Pick the Zoho lists your customers and subscribers should join.',
    },
    {
      key: 'store',
      title: 'Connect your store',
      done: connected,
      detail: connected
        ? `Connected to ${store.url}.`
        : 'Give the store’s address and a WooCommerce REST API key; the bridge checks them with the store at once.',
    },
    {
      key: 'webhooks',
      title: 'Create the webhooks',
      done: webhooks?.ok === true,
      detail: webhooks?.ok
        ? 'Every webhook is active in WooCommerce.'
        : webhooks
          ? webhooks.message
          : 'One click creates a webhook in WooCommerce for each kind of change, pointing at this bridge.',
    },
    {
      key: 'delivery',
      title: 'See the first delivery arrive',
      done: lastDelivery !== null,
      detail: lastDelivery
        ? `A change arrived from WooCommerce: ${topicLabel(lastDelivery.topic)}.`
        : lastPingAt
          ? 'WooCommerce’s test message arrived. Now change a customer in WordPress (for example their first name) and watch it arrive here.'
          : 'When the webhooks are created, WooCommerce sends a test message; it shows here.',
    },
    {
      key: 'import',
      title: 'Import your existing customers',
      done: importView.state === 'done',
      detail:
        importView.state === 'done'
          ? 'Imported.'
          : importView.state === 'none'
            ? 'See first how many people would join each list, then import them.'
            : `The import is ${importView.state === 'interrupted' ? 'stopped' : importView.state} (${importView.percent}%).`,
    },
  ];
  const next = steps.find((step) => !step.done)?.key;
  return {
    storeId: store.id,
    storeName: store.name,
    steps,
    done: next === undefined,
    zohoConnectable: zoho.clientConfigured,
    next,
    webhooks,
    topicLabel,
    importView,
    liveState: `${next ?? 'done'}|${importView.state}${importView.readingDone && importView.state === 'running' ? '|read' : ''}`,
    lastPingAt,
    lastDelivery: lastDelivery ?? undefined,
  };
}
