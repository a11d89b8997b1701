// Setting a store up in the browser: the first-run checklist (/admin/start), connecting the store
// with its REST API key, creating or repairing its webhooks in one click, and importing its
// existing customers with a preview, a live progress bar, pause, resume and cancel. Each action
// is one use case; live parts poll /admin/stores/:id/live (read by /admin/assets/live.js), and
// every page works without JavaScript (reload to see progress).
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Store } from '../../db/rows.ts';
import type { StoreRepository } from '../../db/stores.ts';
import type { ConnectStore } from '../../use-cases/connect-store.ts';
import type { ImportStore } from '../../use-cases/import-store.ts';
import { bulkSummary } from '../../use-cases/import-view.ts';
import { formatNumber } from '../../readable.ts';
import type { SetUpWebhooks } from '../../use-cases/set-up-webhooks.ts';
import type { Checklist } from '../../use-cases/setup-checklist.ts';
import { formField } from './form.ts';
import { renderPage } from './pages.ts';
import { setFlash } from './session.ts';

export interface SetupRouteOptions {
  ownerOnly: preHandlerAsyncHookHandler;
  stores: StoreRepository;
  connectStore: ConnectStore;
  setUpWebhooks: SetUpWebhooks;
  importStore: ImportStore;
  checklist: (store: Store) => Promise<Checklist>;
  /** The Zoho account's lists, for their names (empty when Zoho cannot say). */
  mailingLists: () => Promise<Array<{ key: string; name: string }>>;
}

type StoreParams = { Params: { id: string } };

/** Where a one-click action may send the owner back to. */
const RETURN_PAGES = new Set(['/admin', '/admin/start', '/admin/stores']);

export async function setupRoutes(app: FastifyInstance, options: SetupRouteOptions): Promise<void> {
  const { ownerOnly, stores, connectStore, setUpWebhooks, importStore } = options;
  const storeOf = async (request: FastifyRequest<StoreParams>) => stores.findById(request.params.id);
  const notFound = (request: FastifyRequest, reply: FastifyReply) =>
    renderPage(request, reply, 'error', { title: 'No such store', message: 'That store does not exist (any more).', backTo: '/admin/stores' }, 404);

  app.get('/admin/start', { preHandler: ownerOnly }, async (request, reply) => {
    const [store] = await stores.list();
    if (!store) return notFound(request, reply);
    return renderPage(request, reply, 'start', { title: 'Getting started', section: 'overview', checklist: await options.checklist(store) });
  });

  app.get<StoreParams>('/admin/stores/:id/connect', { preHandler: ownerOnly }, async (request, reply) => {
    const store = await storeOf(request);
    if (!store) return notFound(request, reply);
    return renderPage(request, reply, 'store-connect', { title: 'Connect your store', section: 'stores', store, url: store.url, consumerKey: '' });
  });

  app.post<StoreParams>('/admin/stores/:id/connect', { preHandler: ownerOnly }, async (request, reply) => {
    const store = await storeOf(request);
    if (!store) return notFound(request, reply);
    const input = {
      url: formField(request.body, 'url'),
      consumerKey: formField(request.body, 'consumerKey'),
      consumerSecret: formField(request.body, 'consumerSecret'),
    };
    const result = await connectStore.connect(store.id, input);
    if (!result.ok) {
      request.log.info({ storeId: store.id, problem: result.problem }, 'Connecting a store was refused');
      return renderPage(
        request,
        reply,
        'store-connect',
        { title: 'Connect your store', section: 'stores', store, url: input.url, consumerKey: input.consumerKey, error: result },
        400,
      );
    }
    request.log.info({ storeId: store.id, oauth: result.signsWithOAuth }, 'Owner connected a store');
    setFlash(request, `Connected to ${result.url}. Next: create the webhooks.`);
    return reply.redirect('/admin/start', 303);
  });

  app.post<StoreParams>('/admin/stores/:id/webhooks', { preHandler: ownerOnly }, async (request, reply) => {
    const store = await storeOf(request);
    if (!store) return notFound(request, reply);
    const result = await setUpWebhooks.run(store.id);
    const back = formField(request.body, 'returnTo');
    if (!result.ok) setFlash(request, `The webhooks could not be set up: ${result.message}`);
    else if (result.changed === 0 && result.check.ok) setFlash(request, 'Every webhook was already active in WooCommerce; nothing needed changing.');
    else
      setFlash(
        request,
        result.check.ok ? `Done: ${result.changed} webhook${result.changed === 1 ? '' : 's'} created or repaired in WooCommerce.` : result.check.message,
      );
    request.log.info({ storeId: store.id, changed: result.ok ? result.changed : undefined }, 'Owner set up the webhooks');
    return reply.redirect(RETURN_PAGES.has(back) ? back : '/admin/start', 303);
  });

  app.get<StoreParams>('/admin/stores/:id/import', { preHandler: ownerOnly }, async (request, reply) => {
    const store = await storeOf(request);
    if (!store) return notFound(request, reply);
    const view = await importStore.status(store.id);
    const wantsPreview = view.state === 'none' || view.state === 'cancelled' || (request.query as { again?: string }).again === '1';
    const [preview, checklist, lists] = await Promise.all([
      wantsPreview ? importStore.preview(store.id) : undefined,
      options.checklist(store),
      wantsPreview ? options.mailingLists() : [],
    ]);
    return renderPage(request, reply, 'store-import', {
      title: 'Import your customers',
      section: 'stores',
      store,
      view,
      preview,
      showPreview: wantsPreview,
      liveState: checklist.liveState,
      listName: (key: string) => lists.find((list) => list.key === key)?.name ?? key,
      bulkSummary: view.bulk ? bulkSummary(view.bulk, formatNumber) : '',
    });
  });

  for (const action of ['start', 'pause', 'resume', 'cancel'] as const) {
    app.post<StoreParams>(`/admin/stores/:id/import/${action}`, { preHandler: ownerOnly }, async (request, reply) => {
      const store = await storeOf(request);
      if (!store) return notFound(request, reply);
      // "yes" is the fast way the preview offers: everyone on their lists first (Zoho's bulk add).
      const bulkFirst = formField(request.body, 'bulkFirst') === 'yes';
      const result = action === 'start' ? await importStore.start(store.id, { bulkFirst }) : await importStore[action](store.id);
      request.log.info({ storeId: store.id, action, ok: result.ok, ...(action === 'start' ? { bulkFirst } : {}) }, 'Owner changed an import');
      setFlash(request, result.message);
      return reply.redirect(`/admin/stores/${encodeURIComponent(store.id)}/import`, 303);
    });
  }

  // What the live parts of the checklist and the import page show, in live.js's protocol
  // ({ fields, reload }, docs/dashboard.md). `state` is what the page showed: when a step has
  // finished since, the page reloads to offer the next one.
  app.get<StoreParams & { Querystring: { state?: string } }>('/admin/stores/:id/live', { preHandler: ownerOnly }, async (request, reply) => {
    const store = await storeOf(request);
    if (!store) return reply.code(404).type('application/json; charset=utf-8').send({ fields: {}, stop: true });
    const checklist = await options.checklist(store);
    const view = checklist.importView;
    const state = checklist.liveState;
    return reply.type('application/json; charset=utf-8').send({
      fields: {
        percent: { value: view.percent, max: 100 },
        importSummary: `${view.sending.done} of ${view.sending.total} done${view.sending.failed > 0 ? `, ${view.sending.failed} failed` : ''}.`,
        bulkSummary: view.bulk ? bulkSummary(view.bulk, formatNumber) : '',
        reading: view.reading
          .map((entry) => `${entry.kind === 'customers' ? 'Customers' : 'Subscriptions'}: ${entry.read} of ${entry.total ?? '…'} read`)
          .join(' · '),
        delivery: checklist.steps.find((step) => step.key === 'delivery')?.detail ?? '',
        hint: 'This updates by itself.',
      },
      reload: typeof request.query.state === 'string' && request.query.state !== state,
    });
  });
}
