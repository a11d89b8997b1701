// Syncs the bridge starts itself rather than WooCommerce: the owner's "Sync this customer now" and
// "Apply settings to everyone". Each is stored as an event about one contact, like a delivery, so
// it takes the same road (queue, contact lock, Zoho quota, sync log). Its body only says who asked
// and when: what is sent is the contact's stored state, under the store's current settings.
import { createHash, randomUUID } from 'node:crypto';
import type { NewEvent } from '../db/new-event.ts';

/** The owner pressed "Sync this customer now": every list they belong on is sent again. */
export const SYNC_REQUESTED_TOPIC = 'bridge.sync_requested';
/** An "apply settings to everyone" run found that this person's lists change. */
export const SETTINGS_APPLIED_TOPIC = 'bridge.settings_applied';

/** Header naming the run (settings_applies.id) an event of SETTINGS_APPLIED_TOPIC belongs to. */
export const SETTINGS_APPLY_HEADER = 'x-bridge-settings-apply';

export function isRequestedSync(topic: string): boolean {
  return topic === SYNC_REQUESTED_TOPIC || topic === SETTINGS_APPLIED_TOPIC;
}

/** The owner's request for one contact; each request is a new event, however often it is pressed. */
export function syncRequestedEvent(storeId: string, contactKey: string, at: Date): NewEvent {
  return requestedEvent(
    storeId,
    contactKey,
    SYNC_REQUESTED_TOPIC,
    { requested_by: 'owner', requested_at: at.toISOString(), request: randomUUID() },
    {
      'x-bridge-source': 'owner',
    },
  );
}

/**
 * One person of an apply run. The same run and contact always give the same bytes, so a run that
 * resumes after a restart stores nothing twice (webhook_events is unique per store, topic and body).
 */
export function settingsAppliedEvent(storeId: string, contactKey: string, runId: bigint): NewEvent {
  return requestedEvent(
    storeId,
    contactKey,
    SETTINGS_APPLIED_TOPIC,
    { requested_by: 'settings', run: runId.toString() },
    {
      'x-bridge-source': 'settings',
      [SETTINGS_APPLY_HEADER]: runId.toString(),
    },
  );
}

function requestedEvent(storeId: string, contactKey: string, topic: string, details: Record<string, string>, headers: Record<string, string>): NewEvent {
  const body = Buffer.from(JSON.stringify({ contact_key: contactKey, ...details }), 'utf8');
  return {
    storeId,
    topic,
    resource: 'bridge',
    resourceId: undefined,
    contactKey,
    webhookId: undefined,
    deliveryId: undefined,
    bodySha256: createHash('sha256').update(body).digest('hex'),
    body,
    headers: { ...headers, 'content-type': 'application/json' },
    modifiedAt: undefined,
    status: 'received',
    statusReason: undefined,
  };
}
