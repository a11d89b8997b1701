// Who an event is about, for the sync log: the name, email and customer number as WooCommerce sent
// them in this delivery, or as the bridge knows the contact (deletions carry only an id). Every
// value here came from WooCommerce and is attacker-controlled text: the pages escape it.

export interface Person {
  name: string | undefined;
  email: string | undefined;
  customerId: string | undefined;
  /** For subscription events: the subscription's number. */
  subscriptionId: string | undefined;
}

interface KnownContact {
  email: string;
  customerId: number | null;
  snapshot: unknown;
}

/** Reads the stored body for display only; the stored bytes are never rewritten. */
export function parseBody(body: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(body).toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * A customer delivery speaks for itself. A subscription is about its customer, whose account
 * details (known from the contact) win over the subscription's billing ones, as they do in Zoho.
 */
export function personOf(topic: string, payload: unknown, contact: KnownContact | undefined): Person {
  const isSubscription = topic.startsWith('subscription.');
  const json = record(payload);
  const known = record(contact?.snapshot);
  const [first, second] = isSubscription ? [known, json] : [json, known];
  const nameOf = (source: Record<string, unknown>, part: 'first_name' | 'last_name') => text(source[part]) ?? text(record(source.billing)[part]);
  const name = (() => {
    for (const source of [first, second]) {
      const full = [nameOf(source, 'first_name'), nameOf(source, 'last_name')].filter(Boolean).join(' ');
      if (full) return full;
    }
    return undefined;
  })();
  const email = isSubscription
    ? (contact?.email ?? text(record(json.billing).email))
    : (text(json.email) ?? text(record(json.billing).email) ?? contact?.email);
  const customerId = isSubscription ? idText(json.customer_id) : idText(json.id);
  return {
    name,
    email,
    customerId: customerId && customerId !== '0' ? customerId : contact?.customerId ? String(contact.customerId) : undefined,
    subscriptionId: isSubscription ? idText(json.id) : undefined,
  };
}

function record(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return text(value);
}
