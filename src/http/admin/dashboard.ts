// The dashboard's pages beyond sign-in, the overview and connecting Zoho: registered into the
// owner-pages plugin (src/http/admin/index.ts), so each gets the session, CSRF and requireOwner.
import { apiTokenRoutes } from './api-token-routes.ts';
import { contactRoutes } from './contact-routes.ts';
import { eventRoutes } from './event-routes.ts';
import type { OwnerRoutes } from './route-options.ts';
import { notificationsRoutes } from './notifications-routes.ts';
import { passwordRoutes } from './password-routes.ts';
import { refusedRoutes } from './refused-routes.ts';
import { settingsRoutes } from './settings-routes.ts';
import { storesRoutes } from './stores-routes.ts';
import { syncLogRoutes } from './sync-log-routes.ts';

export const dashboardRoutes: OwnerRoutes[] = [syncLogRoutes, eventRoutes, contactRoutes, refusedRoutes, settingsRoutes, storesRoutes, notificationsRoutes, apiTokenRoutes, passwordRoutes];
