// The customers and subscriptions a simulated store holds, in the exact REST v3 shapes WooCommerce
// and WooCommerce Subscriptions serve (docs/woocommerce-webhooks.md, "Payload shapes"). Generated from a seed, so a
// test or a demo gets the same store every time.

export type Json = Record<string, unknown>;

export interface StoreDataOptions {
  /** Where the store lives; used in _links. @defaultValue 'https://shop.example.com' */
  storeUrl?: string;
  /** @defaultValue 0 */
  customers?: number;
  /** Customers (from the first) who hold a subscription. @defaultValue 0 */
  subscriptions?: number;
  /**
   * Every n-th customer is a WordPress user with another role (subscriber, administrator,
   * shop_manager), as on real stores where customer.created fires for every new user. @defaultValue 10
   */
  otherRoleEvery?: number;
}

const FIRST = ['Zoë', 'José', 'Ana', 'Łukasz', 'Søren', 'Chloé', 'Mei', 'Björn', 'Aoife', 'Ömer', 'Noah', 'Emma', 'Renée', 'Jürgen', 'Inés', 'Dmitri'];
const LAST = [
  'Müller',
  'Álvarez',
  'Ng',
  'Kowalski',
  'Jørgensen',
  'Dubois',
  '李',
  'Størmer',
  'Ó Briain',
  'Yılmaz',
  'Smith',
  'García',
  'Lefèvre',
  'Groß',
  'Peña',
  'Ivanov',
];
const CITIES: Array<[string, string, string]> = [
  ['Berlin', '10115', 'DE'],
  ['Sevilla', '41001', 'ES'],
  ['Kraków', '30-001', 'PL'],
  ['København', '1050', 'DK'],
  ['Lyon', '69001', 'FR'],
  ['Dublin', 'D01', 'IE'],
  ['İstanbul', '34000', 'TR'],
  ['Leeds', 'LS1', 'GB'],
];
const OTHER_ROLES = ['subscriber', 'administrator', 'subscriber', 'shop_manager'];
const SUBSCRIPTION_STATUSES = ['active', 'active', 'active', 'on-hold', 'pending-cancel', 'cancelled', 'expired'];

/** ASCII-only local part for an email address derived from a (possibly non-ASCII) name. */
function asciiSlug(text: string): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '');
  return slug || 'user';
}

function isoSeconds(date: Date): string {
  return date.toISOString().slice(0, 19);
}

function address(first: string, last: string, index: number, withEmail: string | undefined): Json {
  const [city, postcode, country] = CITIES[index % CITIES.length]!;
  return {
    first_name: first,
    last_name: last,
    company: '',
    address_1: `Example Street ${index + 1}`,
    address_2: '',
    city,
    postcode,
    country,
    state: '',
    ...(withEmail === undefined ? {} : { email: withEmail }),
    phone: `+49 30 ${String(1_000_000 + index)}`,
  };
}

export function makeCustomer(id: number, index: number, storeUrl: string, role: string): Json {
  const first = FIRST[index % FIRST.length]!;
  const last = LAST[Math.floor(index / FIRST.length) % LAST.length]!;
  const email = `${asciiSlug(first)}.${asciiSlug(last)}.${id}@example.com`;
  const created = new Date(Date.UTC(2024, 0, 1) + index * 3_600_000);
  const modified = new Date(created.getTime() + 86_400_000);
  return {
    id,
    date_created: isoSeconds(created),
    date_created_gmt: isoSeconds(created),
    date_modified: isoSeconds(modified),
    date_modified_gmt: isoSeconds(modified),
    email,
    first_name: first,
    last_name: last,
    role,
    username: email.split('@')[0],
    billing: address(first, last, index, email),
    shipping: { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', postcode: '', country: '', state: '', phone: '' },
    is_paying_customer: index % 2 === 0,
    avatar_url: `https://secure.gravatar.com/avatar/${id.toString(16).padStart(32, '0')}?s=96&d=mm&r=g`,
    meta_data: [],
    _links: {
      self: [{ href: `${storeUrl}/wp-json/wc/v3/customers/${id}`, targetHints: { allow: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] } }],
      collection: [{ href: `${storeUrl}/wp-json/wc/v3/customers` }],
    },
  };
}

export function makeSubscription(id: number, customer: Json, status: string, storeUrl: string): Json {
  const modified = new Date(Date.parse(`${String(customer.date_modified_gmt)}Z`) + 7 * 86_400_000);
  const ended = status === 'cancelled' || status === 'expired';
  return {
    id,
    parent_id: id - 1,
    status,
    currency: 'EUR',
    version: '10.3.0',
    prices_include_tax: true,
    date_created: customer.date_created,
    date_modified: isoSeconds(modified),
    total: '9.99',
    customer_id: customer.id,
    order_key: `wc_order_sim${id}`,
    billing: customer.billing,
    shipping: customer.shipping,
    payment_method: 'stripe',
    payment_method_title: 'Credit Card (Stripe)',
    meta_data: [],
    line_items: [{ id: id * 10, name: 'Newsletter Pro – Monthly', product_id: 1027, quantity: 1, total: '8.39', sku: 'NL-PRO-M' }],
    date_created_gmt: customer.date_created_gmt,
    date_modified_gmt: isoSeconds(modified),
    billing_period: 'month',
    billing_interval: '1',
    start_date_gmt: customer.date_created_gmt,
    next_payment_date_gmt: ended ? '' : isoSeconds(new Date(modified.getTime() + 30 * 86_400_000)),
    end_date_gmt: ended ? isoSeconds(modified) : '',
    _links: {
      self: [{ href: `${storeUrl}/wp-json/wc/v3/subscriptions/${id}` }],
      collection: [{ href: `${storeUrl}/wp-json/wc/v3/subscriptions` }],
      customer: [{ href: `${storeUrl}/wp-json/wc/v3/customers/${String(customer.id)}` }],
    },
  };
}

export function generateStoreData(options: StoreDataOptions = {}): { customers: Json[]; subscriptions: Json[] } {
  const storeUrl = (options.storeUrl ?? 'https://shop.example.com').replace(/\/+$/, '');
  const otherEvery = options.otherRoleEvery ?? 10;
  const customers: Json[] = [];
  for (let index = 0; index < (options.customers ?? 0); index++) {
    const isOther = otherEvery > 0 && index % otherEvery === otherEvery - 1;
    const role = isOther ? OTHER_ROLES[Math.floor(index / otherEvery) % OTHER_ROLES.length]! : 'customer';
    customers.push(makeCustomer(100 + index, index, storeUrl, role));
  }
  const subscribers = customers.filter((customer) => customer.role === 'customer').slice(0, options.subscriptions ?? 0);
  const subscriptions = subscribers.map((customer, index) =>
    makeSubscription(5000 + index * 2, customer, SUBSCRIPTION_STATUSES[index % SUBSCRIPTION_STATUSES.length]!, storeUrl),
  );
  return { customers, subscriptions };
}
