// Parses what WooCommerce delivers. Payloads are REST snapshots built at delivery time
// (woocommerce.md §5), typed loosely on purpose: empty objects arrive as [], ids may be strings,
// and plugins add keys. Only the fields the bridge uses are validated.
import { Ajv, type ErrorObject } from 'ajv';
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
  // v3 payloads carry *_gmt dates; v1 payloads (old stores, woocommerce.md §5.1) do not.
  date_modified_gmt: text.optional(),
  date_modified: text.optional(),
  next_payment_date_gmt: text.optional(),
};
export const subscriptionPayload = z.object({ ...subscriptionFields, meta_data: metaData }).loose();
export type SubscriptionPayload = z.infer<typeof subscriptionPayload>;

export const deletedPayload = z.object({ id }).loose();

/**
 * What the receiver checks before storing a delivery: the JSON Schema of what the schemas above
 * accept (meta_data left out: it never fails, it falls back to []), checked by ajv. Parsing each
 * 2 KB delivery with zod only to throw the result away allocated more than everything else the
 * receiver does, and its garbage outlived the young generation: a full GC every 2 s and most of
 * the p99 at 1,000 deliveries/s (bench/RESULTS.md). A compiled ajv check allocates nothing for a
 * good payload. The worker still parses stored payloads with zod; test/woocommerce/payloads.test.ts
 * holds the two to the same verdicts.
 */
const ajv = new Ajv({ allowUnionTypes: true });
const usableAs = (schema: z.ZodType) => ajv.compile(z.toJSONSchema(schema, { io: 'input', target: 'draft-07' }));
const usable = {
  customer: usableAs(z.object(customerFields)),
  subscription: usableAs(z.object(subscriptionFields)),
  deleted: usableAs(deletedPayload),
};

/** A WooCommerce REST error object delivered in place of the resource (woocommerce.md §1.3). */
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
  return typeof value === 'number' || (typeof value === 'string' && value !== '')
    ? String(value)
    : undefined;
}

/** The snapshot time of a customer or subscription payload (v1 subscriptions: date_modified, UTC). */
export function modifiedAtOf(json: unknown): Date | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  const gmt = typeof record.date_modified_gmt === 'string' ? record.date_modified_gmt : undefined;
  const plain = typeof record.date_modified === 'string' ? record.date_modified : undefined;
  return parseWooDate(gmt ?? plain);
}

/**
 * Checks that a signed payload for a topic we act on has the shape we need. Returns a sentence
 * naming what is wrong, or undefined when the payload is usable.
 */
export function payloadProblem(topic: string, json: unknown): string | undefined {
  const check = topic.endsWith('.deleted') ? usable.deleted : topic.startsWith('customer.') ? usable.customer : usable.subscription;
  if (check(json)) return undefined;
  return `The ${topic} payload is not usable: ${describeProblem(check.errors?.[0])}.`;
}

/** `"billing.email" must be string,number,null`, `"id" is missing`, `the body must be object`. */
function describeProblem(error: ErrorObject | undefined): string {
  if (!error) return 'the body is invalid';
  const path = error.instancePath.split('/').slice(1);
  if (error.keyword === 'required') return `"${[...path, error.params.missingProperty as string].join('.')}" is missing`;
  return `${path.length > 0 ? `"${path.join('.')}"` : 'the body'} ${error.message ?? 'is invalid'}`;
}
