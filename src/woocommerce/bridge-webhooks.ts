// Which WooCommerce webhooks are the bridge's, and what state they are in. Shared by webhook
// registration (the CLI) and the webhook watch (a maintenance job), so both agree on what
// "the store's webhooks are fine" means.
import { DEFAULT_STORE_ID } from '../db/stores.ts';
import type { WooJson } from './rest-client.ts';

export const CUSTOMER_TOPICS = ['customer.created', 'customer.updated', 'customer.deleted'] as const;
export const SUBSCRIPTION_TOPICS = ['subscription.created', 'subscription.updated', 'subscription.deleted', 'subscription.switched'] as const;

export type WebhookState = 'active' | 'paused' | 'disabled' | 'missing';

/** One topic's webhook as WooCommerce reports it (stored in webhook_checks.webhooks). */
export interface TopicWebhook {
  topic: string;
  state: WebhookState;
  webhookId: number | undefined;
  deliveryUrl: string | undefined;
  /** Further webhooks delivering the same topic to the bridge (each change arrives twice). */
  duplicateIds: number[];
}

/** The delivery URL the bridge asks WooCommerce to use for a store. */
export function webhookUrlOf(publicUrl: string, storeId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/webhooks/woocommerce/${encodeURIComponent(storeId)}`;
}

/** Whether a webhook delivers to this bridge for this store (the first store also has the bare URL). */
export function isBridgeWebhook(deliveryUrl: unknown, publicUrl: string, storeId: string): boolean {
  if (typeof deliveryUrl !== 'string') return false;
  const url = deliveryUrl.replace(/\/+$/, '');
  if (url === webhookUrlOf(publicUrl, storeId)) return true;
  return storeId === DEFAULT_STORE_ID && url === `${publicUrl.replace(/\/+$/, '')}/webhooks/woocommerce`;
}

export function expectedTopics(hasSubscriptions: boolean): string[] {
  return [...CUSTOMER_TOPICS, ...(hasSubscriptions ? SUBSCRIPTION_TOPICS : [])];
}

const STATE_RANK: Record<string, number> = { active: 0, paused: 1, disabled: 2 };

/** For each expected topic, the bridge's webhook for it (the most alive one when there are several). */
export function topicWebhooks(webhooks: readonly WooJson[], topics: readonly string[], publicUrl: string, storeId: string): TopicWebhook[] {
  const ours = webhooks.filter((webhook) => isBridgeWebhook(webhook.delivery_url, publicUrl, storeId));
  return topics.map((topic) => {
    const candidates = ours
      .filter((webhook) => webhook.topic === topic)
      .sort((a, b) => (STATE_RANK[String(a.status)] ?? 3) - (STATE_RANK[String(b.status)] ?? 3));
    const [chosen, ...others] = candidates;
    if (!chosen) return { topic, state: 'missing', webhookId: undefined, deliveryUrl: undefined, duplicateIds: [] };
    const status = String(chosen.status);
    return {
      topic,
      state: status === 'active' || status === 'paused' ? status : 'disabled',
      webhookId: Number(chosen.id),
      deliveryUrl: String(chosen.delivery_url),
      duplicateIds: others.filter((webhook) => webhook.status === 'active').map((webhook) => Number(webhook.id)),
    };
  });
}

/** The command that fixes a store's webhooks, as the owner should type it. */
export function fixCommand(storeId: string): string {
  return `npx woo-zoho-bridge webhooks register --store ${storeId}`;
}

/** Whether everything is fine, and a sentence an owner can act on. */
export function describeWebhooks(topics: readonly TopicWebhook[]): { ok: boolean; message: string } {
  const named = (list: TopicWebhook[]) => list.map((entry) => (entry.webhookId ? `${entry.topic} (#${entry.webhookId})` : entry.topic)).join(', ');
  const disabled = topics.filter((entry) => entry.state === 'disabled');
  const paused = topics.filter((entry) => entry.state === 'paused');
  const missing = topics.filter((entry) => entry.state === 'missing');
  const problems: string[] = [];
  if (disabled.length > 0) {
    problems.push(
      `WooCommerce disabled ${named(disabled)} after deliveries to the bridge failed; changes made since then were not sent and will not be re-sent.`,
    );
  }
  if (paused.length > 0) problems.push(`Someone paused ${named(paused)} in WooCommerce.`);
  if (missing.length > 0) problems.push(`No webhook sends ${named(missing)} to the bridge.`);
  if (problems.length === 0) {
    const duplicates = topics.filter((entry) => entry.duplicateIds.length > 0);
    const note =
      duplicates.length > 0 ? ` (${named(duplicates)} also has a second webhook; each change arrives twice and is stored once, so it is harmless.)` : '';
    return { ok: true, message: `All ${topics.length} of the bridge's webhooks are active in WooCommerce.${note}` };
  }
  // Page text: the dashboard's Repair button and import, never a command (the CLI has fixCommand).
  const catchUp = disabled.length > 0 || paused.length > 0 ? ', then import the store’s customers again to catch up on what was missed' : '';
  return { ok: false, message: `${problems.join(' ')} Fix: press “Repair the webhooks”${catchUp}.` };
}
