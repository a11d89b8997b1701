// The webhook routes' request logger is made when it first logs: a stored delivery makes none,
// and a line that is logged reads as it did, request id included.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import type { FastifyBaseLogger } from 'fastify';
import { pino } from 'pino';
import { loggerOnFirstUse } from '../../src/http/logger-on-first-use.ts';
import { loggerOptions } from '../../src/logger.ts';
import { startBridge, type TestBridge } from '../support/bridge.ts';
import { customerBody, sendDelivery, sendPing } from '../support/woocommerce.ts';

function capturingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino(
    loggerOptions('info'),
    new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)) as Record<string, unknown>);
        done();
      },
    }),
  ) as unknown as FastifyBaseLogger;
  let children = 0;
  const parent = new Proxy(logger, {
    get(target, property, receiver) {
      if (property === 'child') {
        return (...args: Parameters<FastifyBaseLogger['child']>) => {
          children++;
          return target.child(...args);
        };
      }
      return Reflect.get(target, property, receiver);
    },
  });
  return { parent, lines, children: () => children };
}

describe('loggerOnFirstUse', () => {
  it('makes no child logger until a line is logged', () => {
    const { parent, children } = capturingLogger();
    const log = loggerOnFirstUse(parent, { reqId: 'req-1' }, {});
    assert.equal(typeof log.info, 'function');
    assert.equal(children(), 0);
  });

  it('logs through one child with the bindings, at the levels the parent allows', () => {
    const { parent, lines, children } = capturingLogger();
    const log = loggerOnFirstUse(parent, { reqId: 'req-7' }, {});
    log.info({ storeId: 'default' }, 'first');
    log.warn('second %s', 'line');
    log.debug('not at info level');
    assert.equal(children(), 1);
    assert.deepEqual(
      lines.map((line) => [line.level, line.reqId, line.msg, line.storeId]),
      [
        [30, 'req-7', 'first', 'default'],
        [40, 'req-7', 'second line', undefined],
      ],
    );
    assert.equal(log.level, 'info');
  });

  it('keeps the redaction of the logger it stands in for', () => {
    const { parent, lines } = capturingLogger();
    loggerOnFirstUse(parent, { reqId: 'req-9' }, {}).info({ store: { webhookSecret: 'do-not-log' } }, 'with a secret');
    assert.deepEqual(lines[0]?.store, { webhookSecret: '[redacted]' });
  });
});

describe('The webhook routes with their request logger made on first use', () => {
  let bridge: TestBridge;
  before(async () => {
    bridge = await startBridge({ workers: false, captureLogs: true });
  });
  after(() => bridge.close());

  it('logs the ping with its request id, and a stored delivery with no request line', async () => {
    assert.equal((await sendPing(bridge.webhookUrl, 11)).status, 200);
    assert.equal((await sendDelivery(bridge.webhookUrl, { topic: 'customer.created', body: customerBody({ id: 4711 }) })).status, 200);
    const lines = bridge.logs.map((line) => JSON.parse(line) as Record<string, unknown>);
    const ping = lines.find((line) => line.msg === 'WooCommerce webhook ping answered');
    assert.equal(typeof ping?.reqId, 'string');
    assert.equal(ping?.webhookId, '11');
    assert.deepEqual(
      lines.filter((line) => typeof line.reqId === 'string' && line !== ping),
      [],
      'only the ping logged a request line',
    );
  });
});
