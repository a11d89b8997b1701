// Choosing the dashboard's time zone (a form on the Settings page): every time on the pages, the
// days of the sync log's filters and the CSV's "your time" column follow it.
import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { isTimeZone } from '../../sync-log/time-zones.ts';
import { formField } from './form.ts';
import { setFlash } from './session.ts';

export interface TimeZoneRouteOptions {
  ownerOnly: preHandlerAsyncHookHandler;
  chooseTimeZone: (timeZone: string) => Promise<void>;
}

export async function timeZoneRoutes(app: FastifyInstance, options: TimeZoneRouteOptions): Promise<void> {
  const { ownerOnly, chooseTimeZone } = options;

  app.post('/admin/settings/time-zone', { preHandler: ownerOnly }, async (request, reply) => {
    const zone = formField(request.body, 'timeZone').trim();
    if (!isTimeZone(zone)) {
      setFlash(request, 'That time zone is not one the bridge knows; nothing was changed. Choose one from the list.');
      return reply.redirect('/admin/settings#time-zone', 303);
    }
    await chooseTimeZone(zone);
    setFlash(request, `Times are now shown in ${zone === 'UTC' ? 'UTC' : zone.replaceAll('_', ' ')}.`);
    return reply.redirect('/admin/settings#time-zone', 303);
  });
}
