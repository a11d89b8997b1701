// A production start says what leaves the bridge exposed: a PUBLIC_URL without HTTPS (the session
// cookie cannot be Secure) and a /metrics open to anyone who reaches it (no METRICS_TOKEN).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { startAnotherProcess } from '../support/owner.ts';

/** The messages of the warnings in `logs`. */
const warnings = (logs: string[]) =>
  logs
    .map((line) => JSON.parse(line) as { level: number; msg: string })
    .filter((line) => line.level === 40)
    .map((line) => line.msg);

describe('a production start', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false, env: { ADMIN_PASSWORD: 'correct horse battery staple' } });
  });
  after(() => bridge.close());

  it('warns about an http:// PUBLIC_URL and an open /metrics', async () => {
    const said = warnings(await startAnotherProcess(bridge, { NODE_ENV: 'production', PUBLIC_URL: 'http://bridge.example.com' }));
    assert.ok(
      said.some((message) => /PUBLIC_URL is http:\/\/: the dashboard's sign-in cookie cannot be marked Secure/.test(message)),
      said.join('\n'),
    );
    assert.ok(
      said.some((message) => /METRICS_TOKEN is not set: \/metrics answers anyone who reaches the bridge/.test(message)),
      said.join('\n'),
    );
  });

  it('says nothing of either with https and METRICS_TOKEN, nor outside production', async () => {
    const secured = warnings(
      await startAnotherProcess(bridge, { NODE_ENV: 'production', PUBLIC_URL: 'https://bridge.example.com', METRICS_TOKEN: 'scrape-token-0123456789' }),
    );
    assert.deepEqual(
      secured.filter((message) => /PUBLIC_URL|METRICS_TOKEN/.test(message)),
      [],
    );
    const development = warnings(await startAnotherProcess(bridge, { NODE_ENV: 'development', PUBLIC_URL: 'http://localhost:8080' }));
    assert.deepEqual(
      development.filter((message) => /PUBLIC_URL|METRICS_TOKEN/.test(message)),
      [],
    );
  });
});
