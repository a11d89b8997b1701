// The open-loop benchmark's HTTP client (bench/lib/keep-alive-client.ts) against a real node:http
// server: a wrong reading here would make the benchmark's latencies and counts wrong.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { KeepAliveClient } from '../../bench/lib/keep-alive-client.ts';

type Handler = (request: IncomingMessage, body: Buffer, response: ServerResponse) => void;

describe('the benchmark keep-alive client', () => {
  let server: Server;
  let port: number;
  let handler: Handler;
  const sockets = new Set<Socket>();
  before(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => handler(request, Buffer.concat(chunks), response));
    });
    server.on('connection', (socket) => sockets.add(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => server.close());

  it('sends the headers and body bytes as given and reads status and body, reusing one connection', async () => {
    sockets.clear();
    const seen: Array<{ url: string; signature: string | undefined; body: string }> = [];
    handler = (request, body, response) => {
      seen.push({ url: request.url!, signature: request.headers['x-wc-webhook-signature'] as string | undefined, body: body.toString('utf8') });
      const answer = `{"event":"${seen.length}"}`;
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(answer.length) }).end(answer);
    };
    const client = new KeepAliveClient('127.0.0.1', port);
    const answers = [];
    for (const n of [1, 2, 3])
      answers.push(await client.post('/webhooks/woocommerce', { 'X-WC-Webhook-Signature': `sig${n}` }, Buffer.from(`{"id":${n},"name":"Zoë"}`)));
    client.close();
    assert.deepEqual(
      answers.map((answer) => [answer.status, answer.body.toString('utf8')]),
      [
        [200, '{"event":"1"}'],
        [200, '{"event":"2"}'],
        [200, '{"event":"3"}'],
      ],
    );
    assert.deepEqual(
      seen,
      [1, 2, 3].map((n) => ({ url: '/webhooks/woocommerce', signature: `sig${n}`, body: `{"id":${n},"name":"Zoë"}` })),
    );
    assert.equal(sockets.size, 1);
  });

  it('reads an answer that arrives in pieces', async () => {
    handler = (_request, _body, response) => {
      response.writeHead(503, { 'content-length': '10' });
      response.flushHeaders();
      setTimeout(() => response.write('01234'), 20);
      setTimeout(() => response.end('56789'), 40);
    };
    const client = new KeepAliveClient('127.0.0.1', port);
    const answer = await client.post('/', {}, Buffer.from('x'));
    client.close();
    assert.equal(answer.status, 503);
    assert.equal(answer.body.toString(), '0123456789');
  });

  it('opens a new connection after the server says Connection: close', async () => {
    sockets.clear();
    handler = (_request, _body, response) => response.writeHead(200, { connection: 'close', 'content-length': '2' }).end('ok');
    const client = new KeepAliveClient('127.0.0.1', port);
    const statuses = [];
    for (let n = 0; n < 3; n++) statuses.push((await client.post('/', {}, Buffer.from('x'))).status);
    client.close();
    assert.deepEqual(statuses, [200, 200, 200]);
    assert.equal(sockets.size, 3);
  });

  it('sends each request on a connection of its own with Connection: close when told not to reuse (as WooCommerce does)', async () => {
    sockets.clear();
    const said: Array<string | undefined> = [];
    handler = (request, _body, response) => {
      said.push(request.headers.connection);
      response.writeHead(200, { 'content-length': '2' }).end('ok');
    };
    const client = new KeepAliveClient('127.0.0.1', port, { reuse: false });
    const statuses = [];
    for (let n = 0; n < 3; n++) statuses.push((await client.post('/', {}, Buffer.from('x'))).status);
    client.close();
    assert.deepEqual(statuses, [200, 200, 200]);
    assert.deepEqual(said, ['close', 'close', 'close']);
    assert.equal(sockets.size, 3);
  });

  it('opens at most maxConnections and queues the rest, answering every request', async () => {
    sockets.clear();
    handler = (_request, body, response) => setTimeout(() => response.writeHead(200, { 'content-length': String(body.length) }).end(body), 10);
    const client = new KeepAliveClient('127.0.0.1', port, { maxConnections: 3 });
    const answers = await Promise.all(Array.from({ length: 12 }, (_, n) => client.post('/', {}, Buffer.from(String(n)))));
    client.close();
    assert.deepEqual(
      answers.map((answer) => answer.body.toString()),
      Array.from({ length: 12 }, (_, n) => String(n)),
    );
    assert.equal(sockets.size, 3);
  });

  it('refuses an answer without Content-Length (chunked) rather than misread it', async () => {
    handler = (_request, _body, response) => response.writeHead(200).end('{"event":"1"}');
    const client = new KeepAliveClient('127.0.0.1', port);
    await assert.rejects(client.post('/', {}, Buffer.from('x')), /not an HTTP\/1\.1 answer with Content-Length: HTTP\/1\.1 200 OK/);
    client.close();
  });

  it('rejects when the connection is cut before the answer', async () => {
    handler = (request) => request.socket.destroy();
    const client = new KeepAliveClient('127.0.0.1', port);
    await assert.rejects(client.post('/', {}, Buffer.from('x')), /connection closed before the answer|ECONNRESET/);
    client.close();
  });
});
