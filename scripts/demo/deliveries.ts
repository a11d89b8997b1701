// The WooCommerce deliveries `npm run demo` replays: realistic REST v3 payloads
// (docs/woocommerce-webhooks.md, "Payload shapes"), sent PHP-encoded and signed as WooCommerce sends them. Together they show what the bridge
// is built around: non-ASCII names, a subscription's whole life, a duplicate, an older snapshot
// arriving late, a user with a role that is not synced, a deletion, and an address Zoho refuses.

export interface DemoStep {
  /** What WooCommerce is doing, for the person watching. */
  label: string;
  /** What the bridge should make of it. */
  expect: string;
  kind: 'ping' | 'delivery';
  topic?: string;
  payload?: Record<string, unknown>;
  /** Re-send the exact bytes of an earlier step (by its index), as WooCommerce sometimes does. */
  repeatOf?: number;
  /** Wait until the bridge has finished with this delivery before sending the next one. */
  settle: boolean;
}

const STORE = 'https://demo-shop.example.com';

function address(first: string, last: string, city: string, postcode: string, country: string, email?: string) {
  return {
    first_name: first,
    last_name: last,
    company: '',
    address_1: 'Main Street 1',
    address_2: '',
    city,
    postcode,
    country,
    state: '',
    ...(email ? { email } : {}),
    phone: '+49 30 1234567',
  };
}

function customer(id: number, first: string, last: string, email: string, city: [string, string, string], modified: string, role = 'customer') {
  return {
    id,
    date_created: '2026-01-05T09:00:00',
    date_created_gmt: '2026-01-05T08:00:00',
    date_modified: modified,
    date_modified_gmt: modified,
    email,
    first_name: first,
    last_name: last,
    role,
    username: email.split('@')[0],
    billing: address(first, last, ...city, email),
    shipping: address('', '', '', '', ''),
    is_paying_customer: role === 'customer',
    avatar_url: `https://secure.gravatar.com/avatar/${id}?s=96&d=mm&r=g`,
    meta_data: [],
    _links: { self: [{ href: `${STORE}/wp-json/wc/v3/customers/${id}` }], collection: [{ href: `${STORE}/wp-json/wc/v3/customers` }] },
  };
}

function subscription(id: number, status: string, modified: string, holder: ReturnType<typeof customer>) {
  const ended = status === 'cancelled' || status === 'expired';
  return {
    id,
    parent_id: id - 1,
    status,
    currency: 'EUR',
    customer_id: holder.id,
    billing: holder.billing,
    date_created_gmt: '2026-01-06T10:00:00',
    date_modified_gmt: modified,
    billing_period: 'month',
    billing_interval: '1',
    line_items: [{ id: 1, name: 'Coffee club – Monthly', product_id: 70, quantity: 1, total: '12.00' }],
    start_date_gmt: '2026-01-06T10:00:00',
    next_payment_date_gmt: ended ? '' : '2026-03-06T10:00:00',
    end_date_gmt: ended ? modified : '',
    meta_data: [],
    _links: { self: [{ href: `${STORE}/wp-json/wc/v3/subscriptions/${id}` }], customer: [{ href: `${STORE}/wp-json/wc/v3/customers/${holder.id}` }] },
  };
}

const zoe = customer(101, 'Zoë', 'Müller', 'zoe.mueller@example.com', ['Berlin', '10115', 'DE'], '2026-01-05T08:00:01');
const jose = customer(102, 'José', 'Álvarez', 'jose.alvarez@example.com', ['Sevilla', '41001', 'ES'], '2026-01-05T08:10:00');
const lei = customer(103, '雷', '李', 'li.lei@example.com', ['上海', '200000', 'CN'], '2026-01-05T08:20:00');
const soren = customer(104, 'Søren', 'Jørgensen', 'soren.jorgensen@example.com', ['København', '1050', 'DK'], '2026-01-07T12:00:00');
const sorenOlder = { ...customer(104, 'Soren', 'Jorgensen (old)', 'soren.jorgensen@example.com', ['Kobenhavn', '1050', 'DK'], '2026-01-06T12:00:00') };
const admin = customer(105, 'Site', 'Admin', 'webmaster-demo@example.com', ['Berlin', '10115', 'DE'], '2026-01-05T08:30:00', 'administrator');
const typo = customer(106, 'Mia', 'Typo', 'mia.typo@example', ['Wien', '1010', 'AT'], '2026-01-05T08:40:00');

export const DEMO_STEPS: DemoStep[] = [
  { label: 'WooCommerce pings the new webhook (webhook_id=1, unsigned, form-encoded)', expect: 'answered 200, nothing stored', kind: 'ping', settle: false },
  {
    label: 'Zoë Müller signs up (customer.created)',
    expect: 'synced: joins the Customers list with her name and city',
    kind: 'delivery',
    topic: 'customer.created',
    payload: zoe,
    settle: false,
  },
  {
    label: 'Her checkout saves her again a moment later (customer.updated, same state)',
    expect: 'folded into the first: still one Zoho call',
    kind: 'delivery',
    topic: 'customer.updated',
    payload: zoe,
    settle: true,
  },
  { label: 'José Álvarez signs up (customer.created)', expect: 'synced', kind: 'delivery', topic: 'customer.created', payload: jose, settle: true },
  { label: 'WooCommerce delivers the same bytes again', expect: 'recognised as a duplicate: stored once', kind: 'delivery', repeatOf: 3, settle: false },
  {
    label: '李雷 (Li Lei) signs up (customer.created)',
    expect: 'synced, name intact',
    kind: 'delivery',
    topic: 'customer.created',
    payload: lei,
    settle: true,
  },
  {
    label: 'José starts a subscription (subscription.created, pending)',
    expect: 'nothing changes until it is paid',
    kind: 'delivery',
    topic: 'subscription.created',
    payload: subscription(201, 'pending', '2026-01-06T10:00:00', jose),
    settle: true,
  },
  {
    label: 'His first payment goes through (subscription.updated, active)',
    expect: 'joins Active subscribers',
    kind: 'delivery',
    topic: 'subscription.updated',
    payload: subscription(201, 'active', '2026-01-06T10:01:00', jose),
    settle: true,
  },
  {
    label: 'He cancels with time left (subscription.updated, pending-cancel)',
    expect: 'stays on Active subscribers until the paid month ends',
    kind: 'delivery',
    topic: 'subscription.updated',
    payload: subscription(201, 'pending-cancel', '2026-02-01T09:00:00', jose),
    settle: true,
  },
  {
    label: 'The month ends (subscription.updated, cancelled)',
    expect: 'leaves Active subscribers, joins Lapsed customers',
    kind: 'delivery',
    topic: 'subscription.updated',
    payload: subscription(201, 'cancelled', '2026-02-06T10:00:00', jose),
    settle: true,
  },
  {
    label: 'Søren Jørgensen updates his profile (customer.updated, 7 January)',
    expect: 'synced',
    kind: 'delivery',
    topic: 'customer.updated',
    payload: soren,
    settle: true,
  },
  {
    label: 'An older snapshot of Søren arrives late (customer.updated, 6 January)',
    expect: 'skipped: an older snapshot never overwrites a newer one',
    kind: 'delivery',
    topic: 'customer.updated',
    payload: sorenOlder,
    settle: true,
  },
  {
    label: 'A new administrator account is created (customer.created, role administrator)',
    expect: 'skipped: only customers and subscribers are synced',
    kind: 'delivery',
    topic: 'customer.created',
    payload: admin,
    settle: false,
  },
  {
    label: 'Mia signs up with a mistyped address (mia.typo@example)',
    expect: 'failed, visibly: Zoho refuses the address',
    kind: 'delivery',
    topic: 'customer.created',
    payload: typo,
    settle: false,
  },
  {
    label: 'Li Lei deletes his account (customer.deleted, {"id":103})',
    expect: 'taken off the Customers list',
    kind: 'delivery',
    topic: 'customer.deleted',
    payload: { id: 103 },
    settle: false,
  },
];

/** The lists the demo store routes to (the Zoho simulator's lists). */
export const DEMO_LISTS = { customers: 'sim-customers', activeSubscribers: 'sim-active-subscribers', lapsed: 'sim-lapsed-customers' };
