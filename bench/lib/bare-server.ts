// The comparison point for ingest: a bare Fastify app (no logger, no plugins) whose POST route
// reads the body as bytes, as the bridge's webhook route does, and answers 200. Run as its own
// process: `node --import tsx bench/lib/bare-server.ts` with PORT set.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.removeContentTypeParser('application/json');
app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
app.post('/webhooks/woocommerce', async () => ({ ok: true }));
app.get('/healthz', async () => ({ ok: true }));

await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
