// Parses what WooCommerce delivers. Payloads are REST snapshots built at delivery time
// (docs/woocommerce-webhooks.md, "Payload shapes"), typed loosely on purpose: empty objects arrive as [], ids may be strings,
// and plugins add keys. Only the fields the bridge uses are validated.
import { z } from 'zod';

const text = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((value) => (value === null || value === undefined ? '' : String(value)));

const addressFields = z
  .object({
    first_name: text,
    last_name: text,
    company: text,
    address_1: text,
    address_2: text,
    city: text,
    state: text,
    postcode: text,
    country: text,
    email: text,
    phone: text,
  })
  .partial();

/** An address, or [] where PHP encoded an empty one. */
const address = z.union([addressFields, z.array(z.unknown()).transform((): z.infer<typeof addressFields> => ({}))]).default({});

const metaData = z
  .array(z.object({ key: z.string(), value: z.unknown() }).loose())
  .catch([])
  .default([]);

const id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(Number);

const customerFields = {
  id,
  email: text,
  first_name: text,
  last_name: text,
  role: text,
  username: text,
  date_created_gmt: text.optional(),
  date_modified_gmt: text.optional(),
  billing: address,
  shipping: address,
};
export const customerPayload = z.object({ ...customerFields, meta_data: metaData }).loose();
export type CustomerPayload = z.infer<typeof customerPayload>;

const subscriptionFields = {
  id,
  status: z.string(),
  customer_id: id.default(0),
  billing: address,
  // v3 payloads carry *_gmt dates; v1 payloads (old stores, docs/woocommerce-webhooks.md, "Payload shapes") do not.
  date_modified_gmt: text.optional(),
  date_modified: text.optional(),
  next_payment_date_gmt: text.optional(),
};
export const subscriptionPayload = z.object({ ...subscriptionFields, meta_data: metaData }).loose();
export type SubscriptionPayload = z.infer<typeof subscriptionPayload>;

export const deletedPayload = z.object({ id }).loose();

/**
 * The one description of what each kind of delivery must look like. The receiver stores any signed
 * JSON; the worker checks it against these when it applies the event (sync/absorb-events.ts), so a
 * delivery of the wrong shape ends as a failed event with the reason, not as a refusal that counts
 * towards WooCommerce disabling the webhook.
 */
export const deliveryShapes = {
  customer: customerPayload,
  subscription: subscriptionPayload,
  deleted: deletedPayload,
};
export type DeliveryShape = keyof typeof deliveryShapes;

export function shapeOfTopic(topic: string): DeliveryShape {
  if (topic.endsWith('.deleted')) return 'deleted';
  return topic.startsWith('customer.') ? 'customer' : 'subscription';
}

/** A WooCommerce REST error object delivered in place of the resource (docs/woocommerce-webhooks.md, "Body bytes"). */
export function restErrorOf(json: unknown): { code: string; message: string } | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const record = json as Record<string, unknown>;
  if (typeof record.code !== 'string' || 'id' in record) return undefined;
  return { code: record.code, message: typeof record.message === 'string' ? record.message : '' };
}

/** WooCommerce dates have no zone suffix; the *_gmt ones are UTC. */
export function parseWooDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  // Years JavaScript reads but Postgres cannot store (year 0, negative, six digits) are no date.
  if (Number.isNaN(date.getTime())) return undefined;
  const year = date.getUTCFullYear();
  return year >= 1 && year <= 9999 ? date : undefined;
}

export function resourceIdOf(json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const value = (json as Record<string, unknown>).id;
  return typeof value === 'number' || (typeof value === 'string' && value !== '') ? String(value) : undefined;
}

/** The snapshot time of a customer or subscription payload (v1 subscriptions: date_modified, UTC). */
export function modifiedAtOf(json: unknown): Date | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  const gmt = typeof record.date_modified_gmt === 'string' ? record.date_modified_gmt : undefined;
  const plain = typeof record.date_modified === 'string' ? record.date_modified : undefined;
  return parseWooDate(gmt ?? plain);
}

/** The payload read as its topic's shape, or a sentence naming what is wrong with it. */
export function readPayload<Shape extends DeliveryShape>(
  shape: Shape,
  topic: string,
  json: unknown,
): { ok: true; payload: z.infer<(typeof deliveryShapes)[Shape]> } | { ok: false; problem: string } {
  const parsed = deliveryShapes[shape].safeParse(json);
  if (parsed.success) return { ok: true, payload: parsed.data as z.infer<(typeof deliveryShapes)[Shape]> };
  return { ok: false, problem: `The ${topic} payload is not usable: ${describeIssue(parsed.error.issues[0])}.` };
}

/** What is wrong with a payload for a topic the bridge acts on, or undefined when it is usable. */
export function payloadProblem(topic: string, json: unknown): string | undefined {
  const read = readPayload(shapeOfTopic(topic), topic, json);
  return read.ok ? undefined : read.problem;
}

/** `"id" is missing`, `"billing.email" must be string, number or null`, `the body must be object`. */
function describeIssue(issue: z.core.$ZodIssue | undefined, prefix: PropertyKey[] = []): string {
  if (!issue) return 'the body is invalid';
  const path = [...prefix, ...issue.path];
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // The branch that got furthest into the value names the real problem.
    const branches = issue.errors.map((branch) => branch[0]).filter((first) => first !== undefined);
    const deepest = branches.reduce((best, first) => (first.path.length > best.path.length ? first : best));
    if (deepest.path.length > 0 || deepest.code !== 'invalid_type') return describeIssue(deepest, path);
    const expected = [...new Set(branches.flatMap((first) => (first.code === 'invalid_type' ? [first.expected] : [])))];
    return describe(path, /received undefined$/.test(deepest.message) ? 'is missing' : `must be ${expected.join(' or ')}`);
  }
  if (issue.code === 'invalid_type') return describe(path, /received undefined$/.test(issue.message) ? 'is missing' : `must be ${issue.expected}`);
  return describe(path, issue.message.toLowerCase());
}

function describe(path: PropertyKey[], what: string): string {
  return `${path.length > 0 ? `"${path.map(String).join('.')}"` : 'the body'} ${what}`;
}
