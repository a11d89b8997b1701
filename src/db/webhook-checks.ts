// Repository for webhook_checks: what the bridge last found when it asked WooCommerce whether the
// store's webhooks are still active (WooCommerce disables them silently, docs/woocommerce-webhooks.md, "Success, failure and disabling").
import type { Prisma, WebhookCheck } from './generated/client.ts';
import type { Db } from './client.ts';

export interface NewWebhookCheck {
  storeId: string;
  ok: boolean;
  webhooks: Prisma.InputJsonValue;
  message: string;
}

/** Checks kept per store; older ones are deleted as new ones arrive. */
const KEEP_PER_STORE = 200;

export class WebhookCheckRepository {
  constructor(private readonly db: Db) {}

  async record(check: NewWebhookCheck): Promise<WebhookCheck> {
    const created = await this.db.webhookCheck.create({ data: check });
    const cutoff = await this.db.webhookCheck.findMany({
      where: { storeId: check.storeId },
      orderBy: { id: 'desc' },
      skip: KEEP_PER_STORE,
      take: 1,
      select: { id: true },
    });
    if (cutoff[0]) await this.db.webhookCheck.deleteMany({ where: { storeId: check.storeId, id: { lte: cutoff[0].id } } });
    return created;
  }

  latest(storeId: string): Promise<WebhookCheck | null> {
    return this.db.webhookCheck.findFirst({ where: { storeId }, orderBy: { id: 'desc' } });
  }
}
