// Which webhook_events the sync log shows, as the repositories take it, and the Postgres condition
// it becomes. Every part is served by an index: status and received_at, (store_id, contact_key).
import type { ContactRef } from './contacts.ts';
import type { EventStatus, Prisma } from './generated/client.ts';

export interface EventCriteria {
  statuses?: EventStatus[];
  topic?: string;
  storeId?: string;
  receivedFrom?: Date;
  receivedBefore?: Date;
  /**
   * Events about a person: under a customer or subscription number in these stores, or under one
   * of these contacts, or with one of these ids. A person matching nothing matches no event.
   */
  about?: { number: string; storeIds: string[] } | { contacts: ContactRef[]; eventIds: bigint[] };
}

export function whereOf(criteria: EventCriteria): Prisma.WebhookEventWhereInput {
  const and: Prisma.WebhookEventWhereInput[] = [];
  if (criteria.statuses) and.push({ status: { in: criteria.statuses } });
  if (criteria.topic) and.push({ topic: criteria.topic });
  if (criteria.storeId) and.push({ storeId: criteria.storeId });
  if (criteria.receivedFrom) and.push({ receivedAt: { gte: criteria.receivedFrom } });
  if (criteria.receivedBefore) and.push({ receivedAt: { lt: criteria.receivedBefore } });
  if (criteria.about) and.push(aboutWhere(criteria.about));
  return and.length === 0 ? {} : { AND: and };
}

/** Contact keys are matched with the store ids spelt out, so the (store_id, contact_key, status) index serves a search across stores too. */
function aboutWhere(about: NonNullable<EventCriteria['about']>): Prisma.WebhookEventWhereInput {
  if ('number' in about) {
    return {
      storeId: { in: about.storeIds },
      OR: [{ contactKey: about.number }, { resource: { in: ['customer', 'subscription'] }, resourceId: about.number }],
    };
  }
  const or: Prisma.WebhookEventWhereInput[] = [
    ...about.contacts.map((contact) => ({ storeId: contact.storeId, contactKey: contact.customerKey })),
    ...(about.eventIds.length > 0 ? [{ id: { in: about.eventIds } }] : []),
  ];
  return or.length > 0 ? { OR: or } : { id: { in: [] } };
}
