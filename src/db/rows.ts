// The row types the rest of the bridge reads from the repositories. Code outside db/ imports them
// from here, never from the generated Prisma client.
export type { ApiToken, Contact, EventStatus, Store, SyncAttempt, WebhookEvent, ZohoConnection } from './generated/client.ts';
