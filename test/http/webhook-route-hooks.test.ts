// The webhook routes pay only for what a delivery needs: none of the hooks the owner pages and the
// API run on every request of theirs (cookies, sessions, CSRF, security headers, rate limits,
// bearer tokens) reaches them. Each hook would run for every delivery WooCommerce sends.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, type TestBridge } from '../support/bridge.ts';

describe('The webhook routes', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false });
  });
  after(() => bridge.close());

  it('run no request hooks, while the owner pages beside them run theirs', () => {
    // Fastify's route tree, one line per route, each followed by a "• (hook) […]" line per kind of hook it runs.
    const lines = bridge.app.printRoutes({ includeHooks: true, commonPrefix: false, method: 'POST' }).split('\n');
    const hooksOf = (route: RegExp, from = 0) => {
      const index = lines.findIndex((line, at) => at >= from && route.test(line));
      assert.ok(index >= 0, `no route matching ${route}`);
      const hooks: string[] = [];
      for (const line of lines.slice(index + 1)) {
        if (!line.includes('•')) break;
        hooks.push(line.trim());
      }
      return hooks;
    };
    const webhooks = lines.findIndex((line) => /─ \/webhooks\/woocommerce \(POST\)/.test(line));
    assert.deepEqual(hooksOf(/─ \/webhooks\/woocommerce \(POST\)/), []);
    // Its child, the URL with a store id.
    assert.match(lines[webhooks + 1] ?? '', /─ \/:storeId \(POST\)/);
    assert.deepEqual(hooksOf(/─ \/:storeId \(POST\)/, webhooks + 1), []);
    assert.ok(hooksOf(/─ \/admin\/login \(POST\)/).some((hook) => hook.includes('(onRequest)')));
  });
});
