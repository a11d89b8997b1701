// A WooCommerce delivery as it is stored in webhook_events (src/db/events.ts), and what storing it returned.
import type { EventStatus } from './generated/client.ts';
import { optionalPostgresText, postgresText } from './text.ts';

export interface NewEvent {
  storeId: string;
  topic: string;
  resource: string;
  resourceId: string | undefined;
  contactKey: string | undefined;
  webhookId: string | undefined;
  deliveryId: string | undefined;
  bodySha256: string;
  body: Buffer;
  headers: Record<string, string>;
  modifiedAt: Date | undefined;
  status: 'received' | 'skipped';
  statusReason: string | undefined;
}

/** The event with every text taken from the request made storable (src/db/text.ts); the body is bytes. */
export function storableEvent(event: NewEvent): NewEvent {
  return {
    ...event,
    topic: postgresText(event.topic),
    resource: postgresText(event.resource),
    resourceId: optionalPostgresText(event.resourceId),
    contactKey: optionalPostgresText(event.contactKey),
    webhookId: optionalPostgresText(event.webhookId),
    deliveryId: optionalPostgresText(event.deliveryId),
    statusReason: optionalPostgresText(event.statusReason),
    headers: storableHeaders(event.headers),
  };
}

/** The headers as they are when none holds a NUL (Node's HTTP parser refuses one), else a storable copy. */
function storableHeaders(headers: Record<string, string>): Record<string, string> {
  for (const name in headers) {
    if (headers[name]!.includes('\u0000')) {
      return Object.fromEntries(Object.entries(headers).map(([key, value]) => [key, postgresText(value)]));
    }
  }
  return headers;
}

export interface StoredEvent {
  id: bigint;
  status: EventStatus;
  /** False when the same store already sent these exact bytes for this topic. */
  inserted: boolean;
}
