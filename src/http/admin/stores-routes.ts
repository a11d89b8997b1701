// Stores (/admin/stores): each store's webhook address, secret and webhook check; adding a store
// and making a new secret. A new secret is shown on the answer page itself, once (never put in the
// session or a redirect), with what to do with it in WooCommerce.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { SecretResult, StoreAdmin } from '../../use-cases/store-admin.ts';
import { CUSTOMER_TOPICS, SUBSCRIPTION_TOPICS } from '../../woocommerce/bridge-webhooks.ts';
import { formField } from './form.ts';
import type { OwnerOnly } from './route-options.ts';
import { renderPage } from './pages.ts';

export interface StoresRouteOptions extends OwnerOnly {
  storeAdmin: StoreAdmin;
}

export async function storesRoutes(app: FastifyInstance, options: StoresRouteOptions): Promise<void> {
  const { storeAdmin: admin, ownerOnly } = options;

  const storesPage = async (request: FastifyRequest, reply: FastifyReply, extra: { error?: string; name?: string; url?: string } = {}) =>
    renderPage(request, reply, 'stores', { title: 'Stores', section: 'stores', stores: await admin.list(), ...extra }, extra.error ? 400 : 200);

  app.get('/admin/stores', { preHandler: ownerOnly }, async (request, reply) => storesPage(request, reply));

  app.post('/admin/stores', { preHandler: ownerOnly }, async (request, reply) => {
    const name = formField(request.body, 'name');
    const url = formField(request.body, 'url');
    const added = await admin.add({ name, url });
    if (!added.ok) return storesPage(request, reply, { error: added.message, name, url });
    request.log.info({ storeId: added.storeId }, 'Owner added a store');
    return secretPage(request, reply, added, true);
  });

  app.get<{ Params: { id: string } }>('/admin/stores/:id/secret', { preHandler: ownerOnly }, async (request, reply) => {
    const store = (await admin.list()).find((entry) => entry.id === request.params.id);
    if (!store) return storesPage(request, reply, { error: 'That store does not exist (any more).' });
    return renderPage(request, reply, 'store-rotate', { title: 'Make a new secret', section: 'stores', store });
  });

  app.post<{ Params: { id: string } }>('/admin/stores/:id/secret', { preHandler: ownerOnly }, async (request, reply) => {
    const rotated = await admin.rotateSecret(request.params.id);
    if (!rotated.ok) return storesPage(request, reply, { error: rotated.message });
    request.log.info({ storeId: rotated.storeId }, 'Owner made a new webhook secret');
    return secretPage(request, reply, rotated, false);
  });
}

function secretPage(request: FastifyRequest, reply: FastifyReply, result: Extract<SecretResult, { ok: true }>, isNew: boolean) {
  return renderPage(request, reply, 'store-secret', {
    title: isNew ? 'Store added' : 'New secret',
    section: 'stores',
    result,
    isNew,
    topics: [...CUSTOMER_TOPICS, ...SUBSCRIPTION_TOPICS],
  });
}
