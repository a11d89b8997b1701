// Sends one signed customer.created delivery to a running bridge, exactly as WooCommerce would
// (PHP-encoded JSON, X-WC-* headers, HMAC over the raw bytes). For trying the bridge out:
//   npm run send-test-delivery -- --email ana@example.com --first-name Ana --url http://localhost:8080
// Who it sends is scripts/test-customer.ts: the same email is always the same customer.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { phpJsonEncode } from '../src/woocommerce/php-json.ts';
import { signBody } from '../src/woocommerce/signature.ts';
import { testCustomer } from './test-customer.ts';

if (existsSync('.env')) process.loadEnvFile('.env');
const { values } = parseArgs({
  options: {
    url: { type: 'string', default: `http://localhost:${process.env.PORT ?? 8080}` },
    store: { type: 'string' },
    secret: { type: 'string', default: process.env.WC_WEBHOOK_SECRET },
    email: { type: 'string', default: 'zoe.muller@example.com' },
    'first-name': { type: 'string' },
    'last-name': { type: 'string' },
    id: { type: 'string' },
    topic: { type: 'string', default: 'customer.created' },
  },
});

const { id, firstName, lastName, city, postcode, country } = testCustomer(values.email!, {
  id: values.id,
  firstName: values['first-name'],
  lastName: values['last-name'],
});
if (!values.secret) {
  console.error('No webhook secret: set WC_WEBHOOK_SECRET (in .env or the environment) or pass --secret.');
  process.exit(1);
}

const now = new Date().toISOString().slice(0, 19);
const customer = {
  id,
  date_created: now,
  date_created_gmt: now,
  date_modified: now,
  date_modified_gmt: now,
  email: values.email,
  first_name: firstName,
  last_name: lastName,
  role: 'customer',
  username: values.email!.split('@')[0],
  billing: {
    first_name: firstName,
    last_name: lastName,
    company: '',
    address_1: '',
    address_2: '',
    city,
    postcode,
    country,
    state: '',
    email: values.email,
    phone: '',
  },
  shipping: { first_name: '', last_name: '', company: '', address_1: '', address_2: '', city: '', postcode: '', country: '', state: '', phone: '' },
  is_paying_customer: false,
  meta_data: [],
};
const body = phpJsonEncode(customer);
const [resource, event] = values.topic!.split('.');
const target = `${values.url!.replace(/\/+$/, '')}/webhooks/woocommerce${values.store ? `/${values.store}` : ''}`;
const response = await fetch(target, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    'user-agent': 'WooCommerce/10.3.0 Hookshot (WordPress/6.8.3)',
    'x-wc-webhook-source': 'https://shop.example.com/',
    'x-wc-webhook-topic': values.topic!,
    'x-wc-webhook-resource': resource ?? '',
    'x-wc-webhook-event': event ?? '',
    'x-wc-webhook-signature': signBody(body, values.secret),
    'x-wc-webhook-id': '1',
    'x-wc-webhook-delivery-id': Math.random().toString(16).slice(2).padEnd(32, '0'),
  },
  body,
});
console.log(`Sent ${values.topic} for customer ${id}, ${firstName} ${lastName} <${values.email}>.`);
console.log(`${target} answered ${response.status}: ${await response.text()}`);
process.exit(response.ok ? 0 : 1);
