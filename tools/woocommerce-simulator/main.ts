// Standalone WooCommerce store for trying the CLI's backfill and webhook registration by hand:
//   npx tsx tools/woocommerce-simulator/main.ts [--port 4020] [--customers 250] [--subscriptions 60]
// Prints the store URL and REST keys, then the command that adds the store to the bridge.
import { parseArgs } from 'node:util';
import { startWooCommerceSimulator } from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '4020' },
    host: { type: 'string', default: '127.0.0.1' },
    customers: { type: 'string', default: '250' },
    subscriptions: { type: 'string', default: '60' },
    'latency-ms': { type: 'string', default: '0' },
  },
});

const store = await startWooCommerceSimulator({
  port: Number(values.port),
  host: values.host,
  customers: Number(values.customers),
  subscriptions: Number(values.subscriptions),
  latencyMs: Number(values['latency-ms']),
});

console.log(`WooCommerce simulator listening on ${store.baseUrl} (REST API: ${store.baseUrl}/wp-json/wc/v3)`);
console.log(
  `  ${store.customers.length} WordPress users (${store.customers.filter((c) => c.role === 'customer').length} with role "customer"), ${store.subscriptions.length} subscriptions`,
);
console.log(`  consumer key:    ${store.consumerKey}`);
console.log(`  consumer secret: ${store.consumerSecret}`);
console.log('\nAdd it to a running bridge, then preview and run a backfill:');
console.log(
  `  npx woo-zoho-bridge stores add --name "Simulated shop" --url ${store.baseUrl} --consumer-key ${store.consumerKey} --consumer-secret ${store.consumerSecret}`,
);
console.log('  npx woo-zoho-bridge backfill --store <the id it printed> --dry-run');
console.log('  npx woo-zoho-bridge backfill --store <the id it printed>');
console.log('\nCtrl-C to stop.');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void store.close().then(() => process.exit(0));
  });
}
