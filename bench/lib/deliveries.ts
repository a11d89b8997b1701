// Realistic WooCommerce customer deliveries for the benchmarks: REST v3 customer payloads of
// 1–3 KB, PHP-encoded exactly as WooCommerce sends them (`\/`, `\uXXXX`), signed with
// HMAC-SHA256 over the raw bytes (docs/woocommerce-webhooks.md), every body distinct (the bridge stores
// identical bytes once). Bodies come from pre-encoded templates with markers, so building one
// costs a few microseconds and the load generator stays cheap.
import { createHash } from 'node:crypto';
import { phpJsonEncode } from '../../src/woocommerce/php-json.ts';
import { signBody } from '../../src/woocommerce/signature.ts';

const FIRST_NAMES = ['Zoë', 'Ana', 'Jürgen', 'Siobhán', 'Łukasz', 'Chloé', 'Mateo', 'Ines', 'Björn', 'Hana', 'Noël', 'Priya'];
const LAST_NAMES = ['Müller', 'Ng', 'García', 'O’Brien', 'Kowalski', 'Dubois', 'Rossi', 'Søndergaard', 'Tanaka', 'Smith'];
const CITIES: Array<[string, string, string]> = [
  ['Berlin', 'DE', '10115'],
  ['Kraków', 'PL', '30-001'],
  ['Lyon', 'FR', '69001'],
  ['Dublin', 'IE', 'D02 X285'],
  ['São Paulo', 'BR', '01310-100'],
  ['Zürich', 'CH', '8001'],
  ['Austin', 'US', '78701'],
  ['Malmö', 'SE', '211 20'],
];
const STREETS = ['Hauptstraße', 'ul. Floriańska', 'Rue de la République', 'Grafton Street', 'Avenida Paulista', 'Bahnhofstrasse', 'Congress Ave', 'Södergatan'];

/** Meta entries as plugins leave them on real customers; repeated until the body reaches its size. */
const META_POOL: Array<[string, unknown]> = [
  ['mailchimp_woocommerce_is_subscribed', '1'],
  ['wc_last_active', '1741944068'],
  ['_wcs_subscription_ids_cache', [1351, 1402]],
  ['billing_birthdate', '1988-07-14'],
  ['_wc_stripe_customer', 'cus_Qx7example'],
  ['preferred_language', 'de_DE'],
  ['customer_note_history', 'Bitte nicht vor 9 Uhr liefern – Hinterhof, 2. Stock. Paketstation möglich: https://example.com/paket/8841'],
  ['_yoast_wpseo_profile_updated', '1741944068'],
  ['marketing_consent', { newsletter: true, sms: false, source: 'checkout', at: '2025-03-14T09:21:07' }],
  ['loyalty_points', 1250],
];

export interface Delivery {
  body: Buffer;
  headers: Record<string, string>;
}

export interface DeliveryOptions {
  secret: string;
  /** Makes emails unique per run, e.g. the run id. */
  tag: string;
  /** Customer ids are `firstCustomerId + n`. @defaultValue 1_000_000 */
  firstCustomerId?: number;
  /** Body sizes are spread evenly over this range (bytes). @defaultValue [1000, 3000] */
  sizeRange?: [number, number];
  /** @defaultValue 'customer.updated' */
  topic?: string;
  /** @defaultValue 64 */
  templates?: number;
}

interface Template {
  /** Template split at markers: text, marker, text, marker, ... */
  parts: string[];
}

const MARK = { id: '__BENCH_ID__', email: '__BENCH_EMAIL__', first: '__BENCH_FIRST__', modified: '__BENCH_MODIFIED__' } as const;

export class CustomerDeliveries {
  readonly #templates: Template[];
  readonly #options: Required<DeliveryOptions>;

  constructor(options: DeliveryOptions) {
    this.#options = {
      firstCustomerId: 1_000_000,
      sizeRange: [1000, 3000],
      topic: 'customer.updated',
      templates: 64,
      ...options,
    };
    const [min, max] = this.#options.sizeRange;
    const count = this.#options.templates;
    this.#templates = Array.from({ length: count }, (_, index) => buildTemplate(index, min + Math.round(((max - min) * index) / Math.max(1, count - 1))));
  }

  /**
   * The delivery for customer number `n` (0-based), version `version` of its data: a higher
   * version has a later date_modified_gmt and a different first name, so a newer snapshot is
   * distinguishable in Zoho.
   */
  build(n: number, version = 0): Delivery {
    const template = this.#templates[n % this.#templates.length]!;
    const id = this.#options.firstCustomerId + n;
    const values: Record<string, string> = {
      [MARK.id]: String(id),
      [MARK.email]: `bench.${this.#options.tag}.${n}@example.com`,
      [MARK.first]: version === 0 ? 'Bench' : `Bench v${version}`,
      [MARK.modified]: new Date(Date.UTC(2025, 2, 14, 9, 21, 8) + version * 60_000).toISOString().slice(0, 19),
    };
    let text = '';
    for (let index = 0; index < template.parts.length; index++) {
      const part = template.parts[index]!;
      text += index % 2 === 1 ? values[part]! : part;
    }
    const body = Buffer.from(text, 'latin1'); // PHP-encoded JSON is pure ASCII
    const [resource = '', event = ''] = this.#options.topic.split('.');
    return {
      body,
      headers: {
        'User-Agent': 'WooCommerce/10.3.0 Hookshot (WordPress/6.8.3)',
        Accept: '*/*',
        'Accept-Encoding': 'deflate, gzip, br, zstd',
        'Content-Type': 'application/json',
        'X-WC-Webhook-Source': 'https://shop.example.com/',
        'X-WC-Webhook-Topic': this.#options.topic,
        'X-WC-Webhook-Resource': resource,
        'X-WC-Webhook-Event': event,
        'X-WC-Webhook-Signature': signBody(body, this.#options.secret),
        'X-WC-Webhook-ID': '7',
        // 32 hex characters like wp_hash(); not unique in WooCommerce either (docs/woocommerce-webhooks.md, "The delivery request").
        'X-WC-Webhook-Delivery-ID': ((id * 2654435761 + version) >>> 0).toString(16).padStart(8, '0').repeat(4),
      },
    };
  }
}

function buildTemplate(index: number, targetBytes: number): Template {
  const first = FIRST_NAMES[index % FIRST_NAMES.length]!;
  const last = LAST_NAMES[index % LAST_NAMES.length]!;
  const [city, country, postcode] = CITIES[index % CITIES.length]!;
  const street = `${STREETS[index % STREETS.length]} ${1 + (index % 97)}`;
  const customer = (meta: unknown[]) => ({
    id: MARK.id,
    date_created: '2025-03-14T10:21:07',
    date_created_gmt: '2025-03-14T09:21:07',
    date_modified: '2025-03-14T10:21:08',
    date_modified_gmt: MARK.modified,
    email: MARK.email,
    first_name: MARK.first,
    last_name: last,
    role: 'customer',
    username: MARK.email,
    billing: {
      first_name: first,
      last_name: last,
      company: index % 3 === 0 ? `${last} GmbH` : '',
      address_1: street,
      address_2: '',
      city,
      postcode,
      country,
      state: '',
      email: MARK.email,
      phone: `+49 30 ${1000000 + index * 7919}`,
    },
    shipping: { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', postcode: '', country: '', state: '', phone: '' },
    is_paying_customer: index % 2 === 0,
    avatar_url: `https://secure.gravatar.com/avatar/${createHash('md5').update(String(index)).digest('hex')}?s=96&d=mm&r=g`,
    meta_data: meta,
    _links: {
      self: [{ href: `https://shop.example.com/wp-json/wc/v3/customers/${MARK.id}`, targetHints: { allow: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] } }],
      collection: [{ href: 'https://shop.example.com/wp-json/wc/v3/customers' }],
    },
  });
  const meta: unknown[] = [];
  // Numbers like the id are numbers in the real payload; the marker is a string until substituted.
  const encode = () => phpJsonEncode(customer(meta)).replaceAll(`"${MARK.id}"`, MARK.id);
  let text = encode();
  for (let n = 0; text.length < targetBytes - 120; n++) {
    const [key, value] = META_POOL[n % META_POOL.length]!;
    meta.push({ id: 53000 + n, key: n < META_POOL.length ? key : `${key}_${n}`, value });
    text = encode();
  }
  return { parts: text.split(/(__BENCH_[A-Z]+__)/) };
}
