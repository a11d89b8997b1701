// What every module of owner pages is registered with. Its own file, so the pages import it
// without importing the plugin that registers them.
import type { FastifyPluginAsync, preHandlerAsyncHookHandler } from 'fastify';
import type { Services } from '../../services.ts';

export interface OwnerRouteOptions {
  services: Services;
  /** preHandler for every owner page: signed-in owner, or off to the sign-in page. */
  ownerOnly: preHandlerAsyncHookHandler;
}
export type OwnerRoutes = FastifyPluginAsync<OwnerRouteOptions>;
