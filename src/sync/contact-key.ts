// Which contact an event is about. Customers are keyed by their WooCommerce id; guest
// subscriptions (customer_id 0) by their billing email, lowercased.

const GUEST_PREFIX = 'guest:';

export function customerKey(customerId: number): string {
  return String(customerId);
}

export function guestKey(email: string): string {
  return `${GUEST_PREFIX}${email.trim().toLowerCase()}`;
}

export function isGuestKey(key: string): boolean {
  return key.startsWith(GUEST_PREFIX);
}

/** The contact key an incoming payload names, if it names one (deletions carry only an id). */
export function contactKeyOfPayload(topic: string, json: unknown): string | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const record = json as Record<string, unknown>;
  if (topic.startsWith('customer.')) {
    const id = Number(record.id);
    return Number.isInteger(id) && id > 0 ? customerKey(id) : undefined;
  }
  if (topic.startsWith('subscription.') && topic !== 'subscription.deleted') {
    const customerId = Number(record.customer_id ?? 0);
    if (Number.isInteger(customerId) && customerId > 0) return customerKey(customerId);
    const billing = record.billing as Record<string, unknown> | undefined;
    const email = typeof billing?.email === 'string' ? billing.email.trim() : '';
    return email ? guestKey(email) : undefined;
  }
  return undefined;
}
