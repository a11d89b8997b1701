// The API's answers, made from the same read models the owner's pages use.
import type { EventDetail } from '../../sync-log/event-detail.ts';
import type { LogRow } from '../../sync-log/sync-log.ts';

export function eventRowJson(row: LogRow) {
  return {
    id: row.id,
    store: { id: row.storeId, name: row.storeName },
    topic: row.topic,
    topicLabel: row.topicLabel,
    status: row.status,
    statusLabel: row.statusLabel,
    explanation: row.explanation,
    person: {
      name: row.person.name ?? null,
      email: row.person.email ?? null,
      customerId: row.person.customerId ?? null,
      subscriptionId: row.person.subscriptionId ?? null,
    },
    receivedAt: row.receivedAt,
    calls: row.calls.map((call) => ({ action: call.action, listKey: call.listKey, listName: call.listName, outcome: call.outcome })),
    redeliveries: row.redeliveries,
  };
}

export function eventDetailJson(detail: EventDetail) {
  return {
    event: eventRowJson(detail.row),
    statusReason: detail.statusReason,
    modifiedAt: detail.modifiedAt,
    processedAt: detail.processedAt,
    canRetry: detail.canRetry,
    headers: Object.fromEntries(detail.headers),
    body: detail.rawBody,
    contactInfo: Object.fromEntries(detail.contactInfo),
    attempts: detail.attempts.map((attempt) => ({ ...attempt, contactInfo: Object.fromEntries(attempt.contactInfo) })),
    later: detail.later.map(eventRowJson),
  };
}
