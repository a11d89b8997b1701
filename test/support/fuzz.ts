// A seeded, bounded generator of bad webhook requests for the fuzz drill: malformed, truncated,
// wrongly typed, oversized, mis-signed, odd headers, odd paths, and valid ones mutated. The same
// seed gives the same requests, so a failure can be replayed (FUZZ_SEED=<n>).
import { connect } from 'node:net';
import { signBody } from '../../src/woocommerce/signature.ts';
import { phpJsonEncode } from '../../src/woocommerce/php-json.ts';
import { fixtureJson, subscriptionBody, TEST_SECRET } from './woocommerce.ts';

export interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  headers: Array<[string, string]>;
  body: Buffer;
  /** Content-Length to announce; defaults to the body's length. */
  contentLength?: number;
  /** Send only this many bytes, then half-close: a request cut off in transit (no answer required). */
  truncateAt?: number;
}

export interface FuzzAnswer {
  status: number | undefined;
  body: string;
}

/** mulberry32: small, fast, good enough to drive a fuzzer deterministically. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export function fuzzRequests(seed: number, count: number, bodyLimit: number): FuzzRequest[] {
  const random = seededRandom(seed);
  const int = (max: number) => Math.floor(random() * max);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)]!;
  const customer = fixtureJson<Record<string, unknown>>('customer-created-42.json');
  const subscription = JSON.parse(subscriptionBody()) as Record<string, unknown>;

  const oddStrings = [
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '😀'.repeat(50),
    'x'.repeat(10_000),
    '<script>alert(1)</script>',
    "'; DROP TABLE webhook_events; --",
    '9999-99-99T99:99:99',
    '0000-01-01T00:00:00',
    '+275760-09-13T00:00:00',
    '-000001-01-01T00:00:00',
    '2025-02-30T10:00:00',
    'NaN',
    '1e400',
    '__proto__',
    'constructor',
    '%00',
    '../../etc/passwd',
    'null',
    '\\u0000',
  ];
  const oddValues: unknown[] = [
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e300,
    -1e300,
    2 ** 53 + 1,
    Number.MAX_SAFE_INTEGER,
    [],
    {},
    [[[[[]]]]],
    { __proto__: { polluted: true } },
    ...oddStrings,
    { id: 'nested' },
    Array.from({ length: 1_000 }, (_, n) => n),
  ];
  const topics = [
    'customer.created',
    'customer.updated',
    'customer.deleted',
    'subscription.created',
    'subscription.updated',
    'subscription.deleted',
    'subscription.switched',
    'order.created',
    'action.woocommerce_foo',
    '',
    ' ',
    'customer.',
    '.created',
    'customer.updated.extra',
    'CUSTOMER.CREATED',
    'ü'.repeat(20),
    'x'.repeat(2_000),
    'customer.created\t',
  ];
  const paths = [
    '/webhooks/woocommerce',
    '/webhooks/woocommerce/',
    '/webhooks/woocommerce/default',
    '/webhooks/woocommerce/no-such-store',
    '/webhooks/woocommerce/%00',
    '/webhooks/woocommerce/%E2%82%AC',
    '/webhooks/woocommerce/%FF',
    `/webhooks/woocommerce/${'s'.repeat(3_000)}`,
    '/webhooks/woocommerce/..%2F..%2Fadmin',
    '/webhooks/woocommerce?x=1&x=2',
    '/webhooks/WooCommerce',
    '/webhooks',
    '/',
    '/nope',
    '/webhooks/woocommerce/a/b',
  ];

  function mutate(value: unknown, depth = 0): unknown {
    if (depth > 3 || random() < 0.25) return pick(oddValues);
    if (Array.isArray(value)) return value.map((item) => (random() < 0.3 ? mutate(item, depth + 1) : item));
    if (value && typeof value === 'object') {
      const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
      const keys = Object.keys(copy);
      for (let n = 0; n < 1 + int(3); n++) {
        const key = keys.length > 0 && random() < 0.8 ? pick(keys) : pick(oddStrings);
        if (random() < 0.15) delete copy[key];
        else copy[key] = mutate(copy[key], depth + 1);
      }
      return copy;
    }
    return pick(oddValues);
  }

  const encode = (value: unknown) => {
    const php = random() < 0.5;
    try {
      return Buffer.from(php ? phpJsonEncode(value) : (JSON.stringify(value) ?? 'null'), 'utf8');
    } catch {
      return Buffer.from(JSON.stringify(value) ?? 'null', 'utf8');
    }
  };
  const wooHeaders = (topic: string, _body: Buffer, signature: string | null): Array<[string, string]> => [
    ['User-Agent', 'WooCommerce/10.3.0 Hookshot (WordPress/6.8.3)'],
    ['Content-Type', 'application/json'],
    ['X-WC-Webhook-Source', 'https://shop.example.com/'],
    ['X-WC-Webhook-Topic', topic],
    ...(signature === null ? [] : ([['X-WC-Webhook-Signature', signature]] as Array<[string, string]>)),
    ['X-WC-Webhook-ID', String(int(100))],
    ['X-WC-Webhook-Delivery-ID', int(16 ** 8).toString(16)],
  ];
  const signed = (kind: string, topic: string, body: Buffer, path = '/webhooks/woocommerce'): FuzzRequest => ({
    kind,
    method: 'POST',
    path,
    headers: wooHeaders(topic, body, signBody(body, TEST_SECRET)),
    body,
  });

  const generators: Array<[number, () => FuzzRequest]> = [
    // Valid signature, payload with wrong types, missing or odd fields.
    [
      30,
      () => {
        const topic = pick(topics.slice(0, 7));
        const base = topic.startsWith('customer') ? customer : subscription;
        return signed('wrongly-typed', topic, encode(mutate({ ...base, id: 20_000 + int(500) })));
      },
    ],
    // Valid signature over JSON cut short.
    [
      10,
      () => {
        const full = encode({ ...customer, id: 21_000 + int(500) });
        return signed('truncated-json', pick(topics.slice(0, 3)), full.subarray(0, int(full.length)));
      },
    ],
    // Random bytes (invalid UTF-8 included), signed or not.
    [
      8,
      () => {
        const body = Buffer.from(Array.from({ length: int(2_000) }, () => int(256)));
        const request = signed('random-bytes', pick(topics), body);
        if (random() < 0.5) request.headers = request.headers.filter(([name]) => name !== 'X-WC-Webhook-Signature');
        return request;
      },
    ],
    // Mis-signed in every way.
    [
      15,
      () => {
        const body = encode({ ...customer, id: 22_000 + int(500) });
        const request = signed('mis-signed', 'customer.updated', body);
        const signatures = [
          signBody(body, 'not-the-secret'),
          signBody(Buffer.concat([body, Buffer.from(' ')]), TEST_SECRET),
          '',
          ' ',
          '!!!not base64!!!',
          Buffer.from(Array.from({ length: int(200) }, () => int(256))).toString('base64'),
          'A'.repeat(8_000),
          `${signBody(body, TEST_SECRET)}x`,
          signBody(body, TEST_SECRET).slice(0, 20),
        ];
        request.headers = request.headers.map(([name, value]) => [name, name === 'X-WC-Webhook-Signature' ? pick(signatures) : value]);
        if (random() < 0.3) request.body = Buffer.concat([body.subarray(0, Math.max(0, body.length - 1)), Buffer.from('}')]);
        return request;
      },
    ],
    // Over the body limit.
    [
      6,
      () => {
        const body = Buffer.alloc(bodyLimit + 1 + int(bodyLimit), 'a');
        return signed('oversized', 'customer.updated', body);
      },
    ],
    // Other content types, or none.
    [
      8,
      () => {
        const body = random() < 0.5 ? Buffer.from(`webhook_id=${pick(['7', '', 'x', '1'.repeat(5_000)])}`) : encode(customer);
        const request = signed('content-type', 'customer.updated', body);
        const type = pick([
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/json; charset=utf-16',
          'APPLICATION/JSON',
          'application/jsonp',
          '*/*',
          '',
        ]);
        request.headers = request.headers.flatMap(([name, value]) =>
          name !== 'Content-Type' ? [[name, value] as [string, string]] : type ? [[name, type] as [string, string]] : [],
        );
        if (random() < 0.3) request.headers = request.headers.filter(([name]) => !name.startsWith('X-WC'));
        return request;
      },
    ],
    // Odd topics and headers on an otherwise valid delivery.
    [
      8,
      () => {
        const body = encode({ ...customer, id: 23_000 + int(500) });
        const topic = pick(topics);
        const request = signed('headers', topic, body);
        if (random() < 0.3) request.headers = request.headers.filter(([name]) => name !== 'X-WC-Webhook-Topic');
        if (random() < 0.3) request.headers.push(['X-WC-Webhook-Topic', pick(topics)], ['X-WC-Webhook-Signature', 'AAAA']);
        if (random() < 0.3) request.headers.push(['X-Extra', 'y'.repeat(int(6_000))]);
        return request;
      },
    ],
    // Odd paths and methods.
    [
      8,
      () => {
        const body = encode({ ...customer, id: 24_000 + int(500) });
        const request = signed('paths', 'customer.updated', body, pick(paths));
        request.method = pick(['POST', 'POST', 'POST', 'GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD']);
        return request;
      },
    ],
    // Bodies that are hard to parse: deep nesting, huge arrays, many keys.
    [
      4,
      () => {
        const depth = 1_000 + int(60_000);
        const shapes = [
          `${'['.repeat(depth)}${']'.repeat(depth)}`,
          `{"id":1,"email":"a@example.com","billing":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`,
          `[${Array.from({ length: 5_000 }, () => '0').join(',')}]`,
          `{${Array.from({ length: 3_000 }, (_, n) => `"k${n}":${n}`).join(',')},"id":25000}`,
        ];
        return signed('parser-stress', pick(topics.slice(0, 3)), Buffer.from(pick(shapes).slice(0, bodyLimit)));
      },
    ],
    // Requests cut off in transit, or announcing a length they do not have.
    [
      3,
      () => {
        const request = signed('cut-off', 'customer.updated', encode({ ...customer, id: 26_000 + int(500) }));
        if (random() < 0.5) request.truncateAt = int(request.body.length);
        else request.contentLength = request.body.length + 1 + int(100);
        return request;
      },
    ],
  ];
  const total = generators.reduce((sum, [weight]) => sum + weight, 0);
  return Array.from({ length: count }, () => {
    let roll = random() * total;
    for (const [weight, generate] of generators) {
      roll -= weight;
      if (roll < 0) return generate();
    }
    return generators[0]![1]();
  });
}

/** Sends one request on its own socket, byte for byte; resolves with what came back (if anything). */
export function sendFuzzRequest(baseUrl: string, request: FuzzRequest, timeoutMs = 10_000): Promise<FuzzAnswer> {
  const target = new URL(baseUrl);
  const head = [
    `${request.method} ${request.path} HTTP/1.1`,
    `Host: ${target.host}`,
    'Connection: close',
    ...request.headers.map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${request.contentLength ?? request.body.length}`,
    '',
    '',
  ].join('\r\n');
  const bytes = Buffer.concat([Buffer.from(head, 'latin1'), request.body]);
  return new Promise((resolve) => {
    const socket = connect(Number(target.port), target.hostname);
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('utf8');
      const split = text.indexOf('\r\n\r\n');
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? Number(status) : undefined, body: split >= 0 ? text.slice(split + 4) : '' });
    };
    // A request announcing more bytes than it sends gets no answer until the server gives up.
    const timer = setTimeout(done, timeoutMs);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', done);
    socket.on('close', done);
    socket.on('connect', () => {
      if (request.truncateAt !== undefined) socket.end(bytes.subarray(0, head.length + request.truncateAt));
      else socket.write(bytes);
      if (request.contentLength !== undefined && request.contentLength > request.body.length) socket.end();
    });
  });
}
