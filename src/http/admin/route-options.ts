// What every module of owner pages is registered with, besides the use cases it needs. Its own
// file, so the pages import it without importing the plugin that registers them.
import type { preHandlerAsyncHookHandler } from 'fastify';

export interface OwnerOnly {
  /** preHandler for every owner page: signed-in owner, or off to the sign-in page. */
  ownerOnly: preHandlerAsyncHookHandler;
}

/** Lets sync jobs waiting for Zoho (or for a list to be chosen) go again. */
export type WakeSyncJobs = () => Promise<unknown>;
