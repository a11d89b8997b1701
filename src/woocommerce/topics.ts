// The WooCommerce topics the bridge acts on. Everything else is acknowledged with 200 and recorded
// as skipped: WooCommerce disables a webhook after repeated failures and never retries
// (docs/woocommerce-webhooks.md, "Success, failure and disabling"), so refusing a topic would only break the store's other webhooks.

export const HANDLED_TOPICS = [
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'subscription.created',
  'subscription.updated',
  'subscription.deleted',
  'subscription.switched',
] as const;

export type HandledTopic = (typeof HANDLED_TOPICS)[number];

export function isHandledTopic(topic: string): topic is HandledTopic {
  return (HANDLED_TOPICS as readonly string[]).includes(topic);
}

export function resourceOfTopic(topic: string): string {
  return topic.split('.', 1)[0] ?? topic;
}

/** The topic as a metric label: one of the handled topics, "other", or "none" when missing. */
export function topicLabel(topic: string | undefined): string {
  if (!topic) return 'none';
  return isHandledTopic(topic) ? topic : 'other';
}
