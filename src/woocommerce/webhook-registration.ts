// Creates the bridge's webhooks in WooCommerce through its REST API, or repairs them: safe to run
// any number of times. Existing webhooks are found by their delivery URL; a disabled one is
// re-enabled; a paused one is left alone unless asked (someone paused it on purpose).
import { expectedTopics, isBridgeWebhook, topicWebhooks, webhookUrlOf } from './bridge-webhooks.ts';
import { WooRestError, type WooCommerceRestClient, type WooJson } from './rest-client.ts';

export type RegistrationOutcome = 'created' | 'already-active' | 're-enabled' | 'resumed' | 'left-paused' | 'secret-updated' | 'skipped' | 'failed';

export interface RegistrationAction {
  topic: string;
  outcome: RegistrationOutcome;
  webhookId: number | undefined;
  detail: string;
}

export interface RegistrationResult {
  deliveryUrl: string;
  actions: RegistrationAction[];
  /** Things the operator should know that are not failures (PUBLIC_URL, duplicates). */
  warnings: string[];
  /** The store's webhooks after registration (for the webhook watch). */
  webhooks: WooJson[];
  hasSubscriptions: boolean;
}

export interface RegistrationOptions {
  /** Also set the secret on webhooks that already exist (their secret cannot be read back). */
  updateSecret: boolean;
  /** Re-activate webhooks someone paused in WooCommerce. */
  resumePaused: boolean;
}

/** Why re-enabling is not the end of it (docs/woocommerce-webhooks.md, "Success, failure and disabling"). */
export const FAILURE_COUNT_NOTE =
  'WooCommerce does not reset its failure count when a webhook is re-enabled: the next single failed delivery disables it again. ' +
  'Make sure the bridge answers (GET /readyz), and run a backfill to catch up on the changes WooCommerce did not send while it was disabled.';

export async function registerWebhooks(
  client: WooCommerceRestClient,
  target: { publicUrl: string; storeId: string; secret: string },
  options: RegistrationOptions,
): Promise<RegistrationResult> {
  const deliveryUrl = webhookUrlOf(target.publicUrl, target.storeId);
  const [before, hasSubscriptions] = await Promise.all([client.listWebhooks(), client.hasSubscriptions()]);
  const topics = expectedTopics(hasSubscriptions);
  const actions: RegistrationAction[] = [];

  for (const current of topicWebhooks(before, topics, target.publicUrl, target.storeId)) {
    const { topic, webhookId } = current;
    const act = (outcome: RegistrationOutcome, detail: string, id = webhookId) => actions.push({ topic, outcome, webhookId: id, detail });
    try {
      if (current.state === 'missing') {
        const created = await client.createWebhook({ name: `Zoho bridge – ${topic}`, topic, deliveryUrl, secret: target.secret });
        act('created', 'new webhook, active.', Number(created.id));
      } else if (current.state === 'disabled') {
        await client.updateWebhook(webhookId!, { status: 'active', ...(options.updateSecret ? { secret: target.secret } : {}) });
        act('re-enabled', `WooCommerce had disabled it after failed deliveries; it is active again. ${FAILURE_COUNT_NOTE}`);
      } else if (current.state === 'paused' && !options.resumePaused) {
        act('left-paused', 'Someone paused it in WooCommerce; left as it is (run with --resume-paused to activate it).');
      } else if (current.state === 'paused') {
        await client.updateWebhook(webhookId!, { status: 'active', ...(options.updateSecret ? { secret: target.secret } : {}) });
        act('resumed', 'It was paused; it is active again.');
      } else if (options.updateSecret) {
        await client.updateWebhook(webhookId!, { secret: target.secret });
        act('secret-updated', "Already active; its secret now matches the bridge's.");
      } else {
        act('already-active', 'Already active; nothing to do.');
      }
    } catch (error) {
      act('failed', error instanceof WooRestError || error instanceof Error ? error.message : String(error));
    }
  }
  if (!hasSubscriptions) {
    actions.push({
      topic: 'subscription.*',
      outcome: 'skipped',
      webhookId: undefined,
      detail: 'WooCommerce Subscriptions is not active on this store (no /wc/v3/subscriptions), so no subscription webhooks were created.',
    });
  }

  const after = await client.listWebhooks();
  return {
    deliveryUrl,
    actions,
    warnings: [...publicUrlWarnings(target.publicUrl), ...duplicateWarnings(after, target.publicUrl, target.storeId, topics)],
    webhooks: after,
    hasSubscriptions,
  };
}

/** WooCommerce only delivers to public hosts on ports 80, 443 and 8080 (docs/woocommerce-webhooks.md, "The delivery request"). */
export function publicUrlWarnings(publicUrl: string): string[] {
  const url = new URL(publicUrl);
  const warnings: string[] = [];
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (/^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|::1$|0\.0\.0\.0)/.test(host) || host.endsWith('.local')) {
    warnings.push(
      `PUBLIC_URL is ${publicUrl}: WooCommerce refuses to deliver to local and private addresses. Set PUBLIC_URL to the bridge's public https address and run this again.`,
    );
  }
  const port = url.port || (url.protocol === 'https:' ? '443' : '80');
  if (!['80', '443', '8080'].includes(port)) {
    warnings.push(`PUBLIC_URL uses port ${port}: WooCommerce only delivers to ports 80, 443 and 8080. Put the bridge behind a reverse proxy on 443.`);
  }
  if (url.protocol !== 'https:') warnings.push('PUBLIC_URL is not https: deliveries (customer names and emails) would cross the internet unencrypted.');
  return warnings;
}

function duplicateWarnings(webhooks: readonly WooJson[], publicUrl: string, storeId: string, topics: readonly string[]): string[] {
  const ours = webhooks.filter((webhook) => isBridgeWebhook(webhook.delivery_url, publicUrl, storeId) && webhook.status === 'active');
  return topics.flatMap((topic) => {
    const ids = ours.filter((webhook) => webhook.topic === topic).map((webhook) => `#${String(webhook.id)}`);
    return ids.length > 1
      ? [
          `${ids.length} active webhooks (${ids.join(', ')}) send ${topic} to the bridge; each change arrives twice (stored once, so harmless). Delete the extra one in WooCommerce › Settings › Advanced › Webhooks.`,
        ]
      : [];
  });
}
