// The row types the rest of the bridge reads from the repositories. Code outside db/ imports them
// from here, never from the generated Prisma client.
import type { Prisma } from './generated/client.ts';

export type {
  ApiToken,
  BackfillRun,
  Contact,
  EventStatus,
  SettingsApply,
  Store,
  Subscription,
  SyncAttempt,
  WebhookEvent,
  ZohoConnection,
} from './generated/client.ts';
/** A JSON object as a jsonb column stores it (a snapshot, settings, what was sent to Zoho). */
export type JsonObject = Prisma.InputJsonObject;
