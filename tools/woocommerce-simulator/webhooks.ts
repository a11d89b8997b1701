// WooCommerce's webhooks as its REST API and its delivery code treat them (docs/woocommerce-webhooks.md,
// "The REST API" and "Success, failure and disabling"): created always active, pinged on creation, secret never returned, disabled on the 7th
// failed delivery in a row, re-enabling does not reset the failure count.
import { createHmac, randomBytes } from 'node:crypto';
import type { Json } from './store-data.ts';

export type WebhookStatus = 'active' | 'paused' | 'disabled';

export interface SimWebhook {
  id: number;
  name: string;
  status: WebhookStatus;
  topic: string;
  deliveryUrl: string;
  secret: string;
  failureCount: number;
  pendingDelivery: boolean;
  createdAt: Date;
  modifiedAt: Date;
}

/** One request the simulated store sent to a delivery URL. */
export interface SentRequest {
  kind: 'ping' | 'delivery';
  webhookId: number;
  topic: string | undefined;
  url: string;
  /** HTTP status, or undefined when no answer came (refused, timeout). */
  status: number | undefined;
}

const HOOKS: Record<string, string[]> = {
  'customer.created': ['user_register', 'woocommerce_created_customer', 'woocommerce_new_customer'],
  'customer.updated': ['profile_update', 'woocommerce_update_customer'],
  'customer.deleted': ['delete_user'],
  'subscription.created': ['wcs_api_subscription_created', 'wcs_webhook_subscription_created', 'woocommerce_process_shop_subscription_meta'],
  'subscription.updated': ['wcs_webhook_subscription_updated', 'woocommerce_update_subscription'],
  'subscription.deleted': ['woocommerce_subscription_trashed', 'woocommerce_subscription_deleted', 'woocommerce_api_delete_subscription'],
  'subscription.switched': ['wcs_webhook_subscription_switched'],
};

/** PHP json_encode with no flags: "/" as "\/", non-ASCII as \uXXXX (docs/woocommerce-webhooks.md, "Body bytes"). */
export function phpJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff/]/g, (char) => (char === '/' ? '\\/' : `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`));
}

function wooDate(date: Date): string {
  return date.toISOString().slice(0, 19);
}

export class WebhookRegistry {
  readonly webhooks = new Map<number, SimWebhook>();
  readonly sent: SentRequest[] = [];
  #nextId = 1;

  constructor(
    private readonly storeUrl: string,
    private readonly subscriptionsPlugin: () => boolean,
  ) {}

  isValidTopic(topic: string): boolean {
    if (topic.startsWith('subscription.')) return this.subscriptionsPlugin() && topic in HOOKS;
    return topic in HOOKS;
  }

  async create(input: { name?: string; topic: string; deliveryUrl: string; secret?: string }): Promise<SimWebhook> {
    const now = new Date();
    const webhook: SimWebhook = {
      id: this.#nextId++,
      name: input.name || `Webhook created on ${now.toUTCString()}`,
      // "status" in the body is ignored on create: always active (docs/woocommerce-webhooks.md, "The REST API").
      status: 'active',
      topic: input.topic,
      deliveryUrl: input.deliveryUrl,
      // WooCommerce's own default: wp_generate_password(50, true, true).
      secret: input.secret || randomBytes(38).toString('base64').slice(0, 50),
      failureCount: 0,
      pendingDelivery: true,
      createdAt: now,
      modifiedAt: now,
    };
    this.webhooks.set(webhook.id, webhook);
    await this.#ping(webhook); // synchronous inside the create request; its result is ignored
    return webhook;
  }

  async update(webhook: SimWebhook, changes: Partial<Pick<SimWebhook, 'name' | 'status' | 'topic' | 'deliveryUrl' | 'secret'>>): Promise<void> {
    const urlChanged = changes.deliveryUrl !== undefined && changes.deliveryUrl !== webhook.deliveryUrl;
    Object.assign(webhook, changes, { modifiedAt: new Date() });
    // Note: failureCount is deliberately left alone, as WooCommerce does (docs/woocommerce-webhooks.md, "Success, failure and disabling").
    if (webhook.status === 'active' && (urlChanged || webhook.pendingDelivery)) await this.#ping(webhook);
  }

  list(status: string): SimWebhook[] {
    return [...this.webhooks.values()].filter((webhook) => status === 'all' || webhook.status === status);
  }

  toRest(webhook: SimWebhook): Json {
    const [resource, event] = webhook.topic.split('.');
    return {
      id: webhook.id,
      name: webhook.name,
      status: webhook.status,
      topic: webhook.topic,
      resource,
      event,
      hooks: HOOKS[webhook.topic] ?? [],
      delivery_url: webhook.deliveryUrl,
      date_created: wooDate(webhook.createdAt),
      date_created_gmt: wooDate(webhook.createdAt),
      date_modified: wooDate(webhook.modifiedAt),
      date_modified_gmt: wooDate(webhook.modifiedAt),
      _links: {
        self: [{ href: `${this.storeUrl}/wp-json/wc/v3/webhooks/${webhook.id}` }],
        collection: [{ href: `${this.storeUrl}/wp-json/wc/v3/webhooks` }],
      },
    };
  }

  /** What happens after 7 failed deliveries in a row (test helper). */
  disableAfterFailures(id: number): void {
    const webhook = this.webhooks.get(id);
    if (!webhook) throw new Error(`No webhook ${id}`);
    webhook.status = 'disabled';
    webhook.failureCount = 6;
  }

  /** Delivers `payload` to every active webhook on `topic`, as Action Scheduler would. */
  async deliver(topic: string, payload: Json): Promise<SentRequest[]> {
    const targets = [...this.webhooks.values()].filter((webhook) => webhook.status === 'active' && webhook.topic === topic);
    const results: SentRequest[] = [];
    for (const webhook of targets) results.push(await this.#deliverOne(webhook, payload));
    return results;
  }

  async #deliverOne(webhook: SimWebhook, payload: Json): Promise<SentRequest> {
    const body = phpJson(payload);
    const [resource, event] = webhook.topic.split('.');
    const status = await send(
      webhook.deliveryUrl,
      body,
      {
        'content-type': 'application/json',
        'user-agent': 'WooCommerce/10.3.0 Hookshot (WordPress/6.8.3)',
        'x-wc-webhook-source': `${this.storeUrl}/`,
        'x-wc-webhook-topic': webhook.topic,
        'x-wc-webhook-resource': resource ?? '',
        'x-wc-webhook-event': event ?? '',
        'x-wc-webhook-signature': createHmac('sha256', webhook.secret).update(body).digest('base64'),
        'x-wc-webhook-id': String(webhook.id),
        'x-wc-webhook-delivery-id': randomBytes(16).toString('hex'),
      },
      'manual',
    );
    // 200–302 count as success (docs/woocommerce-webhooks.md, "Success, failure and disabling"); the 7th failure in a row disables.
    if (status !== undefined && status >= 200 && status < 303) webhook.failureCount = 0;
    else if (webhook.failureCount > 5) webhook.status = 'disabled';
    else webhook.failureCount += 1;
    const sent: SentRequest = { kind: 'delivery', webhookId: webhook.id, topic: webhook.topic, url: webhook.deliveryUrl, status };
    this.sent.push(sent);
    return sent;
  }

  async #ping(webhook: SimWebhook): Promise<void> {
    const status = await send(
      webhook.deliveryUrl,
      `webhook_id=${webhook.id}`,
      {
        'content-type': 'application/x-www-form-urlencoded',
        'user-agent': 'WooCommerce/10.3.0 Hookshot (WordPress/6.8.3)',
      },
      'follow',
    );
    // Only exactly 200 clears the pending ping (docs/woocommerce-webhooks.md, "The ping").
    if (status === 200) webhook.pendingDelivery = false;
    this.sent.push({ kind: 'ping', webhookId: webhook.id, topic: undefined, url: webhook.deliveryUrl, status });
  }
}

async function send(url: string, body: string, headers: Record<string, string>, redirect: 'manual' | 'follow'): Promise<number | undefined> {
  try {
    const response = await fetch(url, { method: 'POST', headers, body, redirect, signal: AbortSignal.timeout(5_000) });
    await response.arrayBuffer();
    return response.status;
  } catch {
    return undefined;
  }
}
