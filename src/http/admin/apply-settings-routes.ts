// "Apply settings to everyone" (/admin/stores/:id/apply-settings), linked from the notice on
// Settings: first a preview (who would join and leave each list), then the paced run with its
// progress bar, Pause, Resume and Cancel, like the import's page. The progress updates through
// live.js (/admin/stores/:id/apply-settings/live); without JavaScript a reload shows it.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { StoreRepository } from '../../db/stores.ts';
import { formatNumber } from '../../readable.ts';
import { SETTINGS_APPLIED_TOPIC } from '../../sync/requested-syncs.ts';
import type { ApplySettings, ApplyView } from '../../use-cases/apply-settings.ts';
import type { ListNamer } from '../../use-cases/list-names.ts';
import { formField } from './form.ts';
import { renderPage } from './pages.ts';
import type { OwnerOnly } from './route-options.ts';
import { setFlash } from './session.ts';

export interface ApplySettingsRouteOptions extends OwnerOnly {
  applySettings: Pick<ApplySettings, 'preview' | 'start' | 'pause' | 'resume' | 'cancel' | 'status' | 'notice'>;
  stores: Pick<StoreRepository, 'findById' | 'list'>;
  /** The account's list names (never waits long for Zoho). */
  listNames: () => Promise<ListNamer>;
}

type StoreParams = { Params: { id: string } };

/** States in which the page shows the run rather than the preview. */
const SHOWS_RUN = new Set(['running', 'paused', 'interrupted', 'sending', 'done']);

export async function applySettingsRoutes(app: FastifyInstance, options: ApplySettingsRouteOptions): Promise<void> {
  const { applySettings, stores, listNames, ownerOnly } = options;
  const base = (storeId: string) => `/admin/stores/${encodeURIComponent(storeId)}/apply-settings`;
  const notFound = (request: FastifyRequest, reply: FastifyReply) =>
    renderPage(request, reply, 'error', { title: 'No such store', message: 'That store does not exist (any more).', backTo: '/admin/settings' }, 404);

  app.get<StoreParams & { Querystring: { again?: string } }>('/admin/stores/:id/apply-settings', { preHandler: ownerOnly }, async (request, reply) => {
    const store = await stores.findById(request.params.id);
    if (!store) return notFound(request, reply);
    const [view, notice, names, storeCount] = await Promise.all([
      applySettings.status(store.id),
      applySettings.notice(store.id),
      listNames(),
      stores.list().then((all) => all.length),
    ]);
    const showRun = SHOWS_RUN.has(view.state) && !(view.state === 'done' && notice.outstanding) && request.query.again !== '1';
    const preview = showRun ? undefined : await applySettings.preview(store.id);
    return renderPage(request, reply, 'apply-settings', {
      title: 'Apply settings to everyone',
      section: 'settings',
      store: { id: store.id, name: store.name },
      showStore: storeCount > 1,
      base: base(store.id),
      view,
      outstanding: notice.outstanding,
      preview,
      showRun,
      summary: summaryOf(view),
      liveState: view.state,
      logHref: `/admin/events?${new URLSearchParams({ store: store.id, topic: SETTINGS_APPLIED_TOPIC }).toString()}`,
      failedHref: `/admin/events?${new URLSearchParams({ store: store.id, topic: SETTINGS_APPLIED_TOPIC, status: 'failed' }).toString()}`,
      listName: names,
    });
  });

  for (const action of ['start', 'pause', 'resume', 'cancel'] as const) {
    app.post<StoreParams>(`/admin/stores/:id/apply-settings/${action}`, { preHandler: ownerOnly }, async (request, reply) => {
      const store = await stores.findById(request.params.id);
      if (!store) return notFound(request, reply);
      const result = action === 'start' ? await applySettings.start(store.id, formField(request.body, 'fingerprint')) : await applySettings[action](store.id);
      request.log.info({ storeId: store.id, action, ok: result.ok }, 'Owner changed an apply of the settings to everyone');
      setFlash(request, result.message);
      return reply.redirect(base(store.id), 303);
    });
  }

  // live.js's protocol ({ fields, reload }, docs/dashboard.md): the progress, and a reload once
  // the run's state changed since the page was drawn (its buttons change with it).
  app.get<StoreParams & { Querystring: { state?: string } }>('/admin/stores/:id/apply-settings/live', { preHandler: ownerOnly }, async (request, reply) => {
    const store = await stores.findById(request.params.id);
    if (!store) return reply.code(404).type('application/json; charset=utf-8').send({ fields: {}, stop: true });
    const view = await applySettings.status(store.id);
    return reply.type('application/json; charset=utf-8').send({
      fields: { percent: { value: view.percent, max: 100 }, applySummary: summaryOf(view), hint: 'This updates by itself.' },
      reload: typeof request.query.state === 'string' && request.query.state !== view.state,
      stop: view.state === 'done' || view.state === 'cancelled',
    });
  });
}

/** "12 of 40 people moved, 1 failed, 27 in line." */
function summaryOf(view: ApplyView): string {
  const s = view.sending;
  const of = Math.max(view.total, s.done + s.failed + s.waiting + s.inLine);
  const parts = [`${formatNumber(s.done)} of ${formatNumber(of)} ${of === 1 ? 'person' : 'people'} done`];
  if (s.failed > 0) parts.push(`${formatNumber(s.failed)} failed`);
  if (s.waiting > 0) parts.push(`${formatNumber(s.waiting)} waiting for Zoho`);
  if (s.inLine > 0) parts.push(`${formatNumber(s.inLine)} in line`);
  return `${parts.join(', ')}.`;
}
