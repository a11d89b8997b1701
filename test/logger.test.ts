// The bridge's log at a terminal in development reads as the README quotes it; production and
// pipes (log collectors, docker logs) get one JSON object per line.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '../src/logger.ts';

/** A stdout stand-in that keeps what is written, a terminal or not. */
function output(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  }) as unknown as NodeJS.WriteStream & { text(): string };
  Object.assign(stream, { isTTY, hasColors: () => false, text: () => chunks.join('') });
  return stream;
}

async function logSyncedLine(env: string, isTTY: boolean): Promise<string> {
  const out = output(isTTY);
  const log = await createLogger({ logLevel: 'info', env }, out);
  log.info({ eventId: '1', status: 'synced' }, 'subscribed to sim-customers (event 1)');
  log.flush();
  await new Promise((resolve) => setImmediate(resolve));
  return out.text();
}

describe('log lines', () => {
  it('are pretty at a terminal in development: time, level and message, on one line', async () => {
    const text = await logSyncedLine('development', true);
    assert.match(text, /^\[\d{2}:\d{2}:\d{2}\] INFO: subscribed to sim-customers \(event 1\) \{"eventId":"1","status":"synced"\}\n$/);
    assert.doesNotMatch(text, /"level":30/);
  });

  it('stay JSON in production, also at a terminal, and whenever the output is a pipe', async () => {
    for (const [env, isTTY] of [
      ['production', true],
      ['production', false],
      ['development', false],
    ] as const) {
      const line = JSON.parse(await logSyncedLine(env, isTTY)) as Record<string, unknown>;
      assert.equal(line.msg, 'subscribed to sim-customers (event 1)', `${env}, TTY ${isTTY}`);
      assert.equal(line.level, 30);
      assert.equal(line.service, 'woo-zoho-bridge');
    }
  });
});
