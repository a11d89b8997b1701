// JSON schemas of the API (/api/v1): they validate requests, shape responses, and are what the
// OpenAPI document at /api/v1/openapi.json is made of. Ids are strings (they are 64-bit in Postgres).
import { STATUS_CHOICES } from '../../sync-log/explanations.ts';

const text = { type: 'string' } as const;
const nullableText = { type: ['string', 'null'] } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const nullableDateTime = { type: ['string', 'null'], format: 'date-time' } as const;
const id = { type: 'string', pattern: '^[0-9]{1,18}$', description: 'A change (event) id.' } as const;

export const filterProperties = {
  status: {
    type: 'string',
    enum: STATUS_CHOICES.map((choice) => choice.value),
    description: `failed, waiting (for Zoho), queued (in line: received or queued), synced, coalesced (sent with a newer change), skipped (nothing to send), received.`,
  },
  topic: { type: 'string', maxLength: 100, description: 'A WooCommerce topic, e.g. customer.updated.' },
  store: { type: 'string', maxLength: 200, description: 'A store id.' },
  from: { type: 'string', format: 'date', description: 'First day received (UTC), inclusive.' },
  to: { type: 'string', format: 'date', description: 'Last day received (UTC), inclusive.' },
  q: { type: 'string', maxLength: 320, description: 'An email address, a customer number, or part of a name.' },
} as const;

export const problemSchema = {
  type: 'object',
  properties: { ok: { type: 'boolean', const: false }, error: text, message: text },
  required: ['ok', 'error', 'message'],
} as const;

export const eventRowSchema = {
  type: 'object',
  properties: {
    id: text,
    store: { type: 'object', properties: { id: text, name: text }, required: ['id', 'name'] },
    topic: text,
    topicLabel: text,
    status: { type: 'string', enum: ['received', 'queued', 'synced', 'coalesced', 'skipped', 'waiting', 'failed'] },
    statusLabel: text,
    explanation: { type: 'string', description: 'What happened, in plain words, with what to do.' },
    person: {
      type: 'object',
      properties: { name: nullableText, email: nullableText, customerId: nullableText, subscriptionId: nullableText },
      required: ['name', 'email', 'customerId', 'subscriptionId'],
    },
    receivedAt: dateTime,
    calls: {
      type: 'array',
      description: 'The calls to Zoho, one per list and action, with the latest outcome.',
      items: {
        type: 'object',
        properties: { action: { type: 'string', enum: ['subscribe', 'unsubscribe'] }, listKey: text, listName: text, outcome: text },
        required: ['action', 'listKey', 'listName', 'outcome'],
      },
    },
    redeliveries: { type: 'integer' },
  },
  required: ['id', 'store', 'topic', 'topicLabel', 'status', 'statusLabel', 'explanation', 'person', 'receivedAt', 'calls', 'redeliveries'],
} as const;

export const eventPageSchema = {
  type: 'object',
  properties: {
    events: { type: 'array', items: eventRowSchema },
    total: { type: 'integer', description: `Events matching the filter, counted up to a cap.` },
    totalIsCapped: { type: 'boolean' },
    nextCursor: { ...nullableText, description: 'Pass as `before` for the next (older) page; null on the last page.' },
  },
  required: ['events', 'total', 'totalIsCapped', 'nextCursor'],
} as const;

export const attemptSchema = {
  type: 'object',
  properties: {
    at: dateTime,
    attempt: { type: 'integer' },
    action: text,
    listKey: text,
    listName: text,
    outcome: { type: 'string', enum: ['done', 'retry', 'permanent', 'auth', 'rate_limited'] },
    httpStatus: { type: ['integer', 'null'] },
    zohoCode: nullableText,
    zohoMessage: nullableText,
    explanation: text,
    durationMs: { type: 'integer' },
    contactInfo: { type: 'object', additionalProperties: text },
  },
  required: ['at', 'attempt', 'action', 'listKey', 'listName', 'outcome', 'httpStatus', 'zohoCode', 'zohoMessage', 'explanation', 'durationMs', 'contactInfo'],
} as const;

export const eventDetailSchema = {
  type: 'object',
  properties: {
    event: eventRowSchema,
    statusReason: nullableText,
    modifiedAt: nullableDateTime,
    processedAt: nullableDateTime,
    canRetry: { type: 'boolean' },
    headers: { type: 'object', additionalProperties: text },
    body: { type: 'string', description: 'The delivery body exactly as received (UTF-8).' },
    contactInfo: { type: 'object', additionalProperties: text, description: 'What the last call sent to Zoho.' },
    attempts: { type: 'array', items: attemptSchema },
    later: { type: 'array', items: eventRowSchema, description: 'Newer changes about the same customer.' },
  },
  required: ['event', 'statusReason', 'modifiedAt', 'processedAt', 'canRetry', 'headers', 'body', 'contactInfo', 'attempts', 'later'],
} as const;

export const actionResultSchema = {
  type: 'object',
  properties: { ok: { type: 'boolean' }, message: text, event: eventRowSchema },
  required: ['ok', 'message', 'event'],
} as const;

export const idParams = { type: 'object', properties: { id }, required: ['id'] } as const;

export const contactSchema = {
  type: 'object',
  properties: {
    email: text,
    contacts: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          store: { type: 'object', properties: { id: text, name: text }, required: ['id', 'name'] },
          customerId: { type: ['integer', 'null'] },
          name: nullableText,
          email: text,
          lists: { type: 'array', items: text, description: 'Names of the Zoho lists the bridge has put this contact on.' },
          unsubscribedIn: { type: 'array', items: text, description: 'Lists on which Zoho reports the contact unsubscribed.' },
          lastSyncedAt: nullableDateTime,
          deletedAt: nullableDateTime,
        },
        required: ['store', 'customerId', 'name', 'email', 'lists', 'unsubscribedIn', 'lastSyncedAt', 'deletedAt'],
      },
    },
    events: { type: 'array', items: eventRowSchema },
    more: { type: 'boolean', description: 'More events exist: list them with GET /api/v1/events?q=<email>.' },
  },
  required: ['email', 'contacts', 'events', 'more'],
} as const;

const count = { type: 'integer' } as const;
export const overviewSchema = {
  type: 'object',
  properties: {
    zoho: {
      type: 'object',
      properties: { state: { type: 'string', enum: ['connected', 'needs_reconnect', 'not_connected'] }, reason: nullableText, dataCentre: nullableText },
      required: ['state', 'reason', 'dataCentre'],
    },
    stores: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: text,
          name: text,
          sentLast24h: count,
          failed: count,
          waiting: count,
          inLine: count,
          lastDeliveries: { type: 'array', items: { type: 'object', properties: { topic: text, lastAt: nullableDateTime }, required: ['topic', 'lastAt'] } },
          refusedSignaturesLast7d: count,
          webhookCheck: {
            type: ['object', 'null'],
            properties: { ok: { type: 'boolean' }, message: text, checkedAt: dateTime },
          },
        },
        required: ['id', 'name', 'sentLast24h', 'failed', 'waiting', 'inLine', 'lastDeliveries', 'refusedSignaturesLast7d', 'webhookCheck'],
      },
    },
    queue: { type: ['object', 'null'], properties: { waiting: count, running: count, scheduled: count }, description: 'Null when Redis does not answer.' },
    listsubscribeQuota: {
      type: ['object', 'null'],
      properties: {
        windows: { type: 'array', items: { type: 'object', properties: { span: text, used: count, limit: count }, required: ['span', 'used', 'limit'] } },
        lockedForMs: count,
      },
    },
  },
  required: ['zoho', 'stores', 'queue', 'listsubscribeQuota'],
} as const;

const removedCount = { type: 'integer', minimum: 0 } as const;

export const forgetResultSchema = {
  type: 'object',
  description: 'What was removed. The sync log keeps its entries, with the address replaced by a code.',
  properties: {
    ok: { type: 'boolean', const: true },
    removed: {
      type: 'object',
      properties: {
        contacts: removedCount,
        deliveries: removedCount,
        subscriptions: removedCount,
        refusals: removedCount,
        syncLogEntriesAnonymised: removedCount,
      },
      required: ['contacts', 'deliveries', 'subscriptions', 'refusals', 'syncLogEntriesAnonymised'],
    },
    unsubscribedFrom: { type: 'array', items: text, description: 'Zoho lists the address was unsubscribed from first.' },
    message: text,
  },
  required: ['ok', 'removed', 'unsubscribedFrom', 'message'],
} as const;
