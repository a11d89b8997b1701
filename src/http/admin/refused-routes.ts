// Refused deliveries (/admin/refused): requests to a webhook URL the bridge did not accept (a wrong
// secret, an unknown store URL, a body that is not JSON…), newest first, each with its fix.
import type { FastifyInstance } from 'fastify';
import type { RejectionRepository } from '../../db/rejections.ts';
import type { StoreRepository } from '../../db/stores.ts';
import { explainRefusal, SIGNATURE_REASONS } from '../../sync-log/explanations.ts';
import { queryField } from './form.ts';
import type { OwnerOnly } from './route-options.ts';
import { renderPage } from './pages.ts';

const PAGE_SIZE = 50;

export interface RefusedRouteOptions extends OwnerOnly {
  rejections: Pick<RejectionRepository, 'findPage'>;
  stores: Pick<StoreRepository, 'list'>;
}

export async function refusedRoutes(app: FastifyInstance, options: RefusedRouteOptions): Promise<void> {
  const { rejections, stores: storeList, ownerOnly } = options;

  app.get('/admin/refused', { preHandler: ownerOnly }, async (request, reply) => {
    const store = queryField(request.query, 'store') || undefined;
    const beforeText = queryField(request.query, 'before');
    const before = beforeText && /^\d{1,18}$/.test(beforeText) ? BigInt(beforeText) : undefined;
    const [found, stores] = await Promise.all([rejections.findPage({ storeId: store, before }, PAGE_SIZE + 1), storeList.list()]);
    const rows = found.slice(0, PAGE_SIZE).map((row) => ({
      ...row,
      id: row.id.toString(),
      storeName: stores.find((entry) => entry.id === row.storeId)?.name ?? row.storeId ?? 'no store (unknown URL)',
      explanation: explainRefusal(row.reason, row.detail),
      signature: SIGNATURE_REASONS.includes(row.reason),
    }));
    const params = new URLSearchParams(store ? { store } : {});
    if (found.length > PAGE_SIZE) params.set('before', rows.at(-1)!.id);
    return renderPage(request, reply, 'refused', {
      title: 'Refused deliveries',
      section: 'overview',
      wide: true,
      rows,
      showStore: stores.length > 1,
      olderHref: found.length > PAGE_SIZE ? `/admin/refused?${params.toString()}` : undefined,
    });
  });
}
