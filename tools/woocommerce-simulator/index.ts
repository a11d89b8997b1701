// The WooCommerce REST stand-in: customers, subscriptions and webhooks behind REST-key auth, for
// tests, the CLI's backfill and webhook registration, and trying them by hand (main.ts).
export { startWooCommerceSimulator, type RecordedRequest, type SimFault, type WooCommerceSimulator, type WooCommerceSimulatorOptions } from './server.ts';
export { generateStoreData, makeCustomer, makeSubscription, type Json } from './store-data.ts';
export { phpJson, type SentRequest, type SimWebhook, type WebhookStatus } from './webhooks.ts';
