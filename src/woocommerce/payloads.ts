// Parses what WooCommerce delivers. Payloads are REST snapshots built at delivery time
// (woocommerce.md §5), typed loosely on purpose: empty objects arrive as [], ids may be strings,
// and plugins add keys. Only the fields the bridge uses are validated.
import { z } from 'zod';

const text = z
  .union([z.string(), z.number(), z.null()])
  .optional()
  .transform((value) => (value === null || value === undefined ? '' : String(value)));

const address = z
  .union([z.record(z.string(), z.unknown()), z.array(z.unknown())])
  .transform((value) => (Array.isArray(value) ? {} : value))
  .pipe(
    z
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
      .partial(),
  )
  .default({});

const metaData = z
  .array(z.object({ key: z.string(), value: z.unknown() }).loose())
  .catch([])
  .default([]);

const id = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform(Number);

export const customerPayload = z
  .object({
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
    meta_data: metaData,
  })
  .loose();
export type CustomerPayload = z.infer<typeof customerPayload>;

export const subscriptionPayload = z
  .object({
    id,
    status: z.string(),
    customer_id: id.default(0),
    billing: address,
    // v3 payloads carry *_gmt dates; v1 payloads (old stores, woocommerce.md §5.1) do not.
    date_modified_gmt: text.optional(),
    date_modified: text.optional(),
    next_payment_date_gmt: text.optional(),
    meta_data: metaData,
  })
  .loose();
export type SubscriptionPayload = z.infer<typeof subscriptionPayload>;

export const deletedPayload = z.object({ id }).loose();

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
  const schema = topic.endsWith('.deleted')
    ? deletedPayload
    : topic.startsWith('customer.')
      ? customerPayload
      : subscriptionPayload;
  const result = schema.safeParse(json);
  if (result.success) return undefined;
  const issue = result.error.issues[0];
  const where = issue && issue.path.length > 0 ? `"${issue.path.join('.')}"` : 'the body';
  return `The ${topic} payload is not usable: ${where} ${issue?.message ?? 'is invalid'}.`;
}
