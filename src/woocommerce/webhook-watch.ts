// The webhook watch: WooCommerce disables a webhook after 7 failed deliveries and tells no one
// (docs/woocommerce-webhooks.md, "Success, failure and disabling"), so the bridge asks the store's REST API every few minutes whether its
// webhooks are still active, and records the answer for the owner with the fix in plain words.
// Runs as a maintenance job (one worker somewhere runs each check); the dashboard reads latestCheck.
import type { FastifyBaseLogger } from 'fastify';
import type { Got } from 'got';
import type { Store } from '../db/rows.ts';
import type { StoreRepository } from '../db/stores.ts';
import type { WebhookCheckRepository } from '../db/webhook-checks.ts';
import { describeWebhooks, expectedTopics, fixCommand, topicWebhooks, type TopicWebhook } from './bridge-webhooks.ts';
import { WooCommerceRestClient, type WooJson } from './rest-client.ts';

/** What the dashboard shows about a store's webhooks. */
export interface WebhookCheckView {
  storeId: string;
  checkedAt: Date;
  ok: boolean;
  /** One or two sentences for the owner, ending with the fix when something is wrong. */
  message: string;
  webhooks: TopicWebhook[];
  /** The command that repairs the webhooks, when they need it. */
  fix: string | undefined;
}

/** The newest check of a store's webhooks, or undefined when none ran yet (no REST API key). */
export async function latestCheck(checks: WebhookCheckRepository, storeId: string): Promise<WebhookCheckView | undefined> {
  const check = await checks.latest(storeId);
  if (!check) return undefined;
  return {
    storeId,
    checkedAt: check.checkedAt,
    ok: check.ok,
    message: check.message,
    webhooks: Array.isArray(check.webhooks) ? (check.webhooks as unknown as TopicWebhook[]) : [],
    fix: check.ok ? undefined : fixCommand(storeId),
  };
}

export interface WebhookWatchDependencies {
  stores: StoreRepository;
  checks: WebhookCheckRepository;
  /** The bridge's public address: its webhooks are recognised by their delivery URL. */
  publicUrl: string;
  http: Got;
  log: FastifyBaseLogger;
}

export class WebhookWatch {
  constructor(private readonly deps: WebhookWatchDependencies) {}

  /** Checks every store that has a REST API key; returns how many checks found a problem. */
  async checkAll(): Promise<number> {
    // Side by side: the maintenance queue runs one job at a time, and a slow store must not hold
    // up the sweeper for long (the HTTP client's timeout bounds each store).
    const checks = await Promise.all((await this.deps.stores.listWithRestCredentials()).map((store) => this.checkStore(store)));
    return checks.filter((check) => !check.ok).length;
  }

  async checkStore(store: Store): Promise<WebhookCheckView> {
    const credentials = this.deps.stores.restCredentialsOf(store);
    if (!credentials) return this.#record(store.id, false, [], 'The bridge has no REST API key for this store, so it cannot look at its webhooks.');
    const client = new WooCommerceRestClient(this.deps.http, store.url, credentials);
    try {
      const [webhooks, hasSubscriptions] = await Promise.all([client.listWebhooks(), client.hasSubscriptions()]);
      return await this.recordFromList(store.id, webhooks, hasSubscriptions);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return this.#record(store.id, false, [], `Could not check the store's webhooks: ${message}`);
    }
  }

  /** Records what a webhook list (just fetched elsewhere, e.g. by registration) says. */
  recordFromList(storeId: string, webhooks: readonly WooJson[], hasSubscriptions: boolean): Promise<WebhookCheckView> {
    const topics = topicWebhooks(webhooks, expectedTopics(hasSubscriptions), this.deps.publicUrl, storeId);
    const { ok, message } = describeWebhooks(topics);
    return this.#record(storeId, ok, topics, message);
  }

  async #record(storeId: string, ok: boolean, webhooks: TopicWebhook[], message: string): Promise<WebhookCheckView> {
    const check = await this.deps.checks.record({ storeId, ok, webhooks: webhooks as never, message });
    if (!ok) this.deps.log.warn({ storeId }, `WooCommerce webhooks need attention: ${message}`);
    return { storeId, checkedAt: check.checkedAt, ok, message, webhooks, fix: ok ? undefined : fixCommand(storeId) };
  }
}
