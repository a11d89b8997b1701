// A real HTTP server standing in for Slack, Discord or an owner's own webhook receiver: it keeps
// every body and its headers, and can be told to answer with an error.
import { createServer } from 'node:http';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';

export interface ReceivedHook {
  headers: Record<string, string | string[] | undefined>;
  raw: string;
  body: { text: string; content: string; alert: Record<string, unknown> };
}

export interface TestHookReceiver {
  url: string;
  hooks: ReceivedHook[];
  /** Answer the next requests with this status (and body) instead of 200. */
  failWith(status: number | undefined, body?: string): void;
  close(): Promise<void>;
}

export async function startHookReceiver(): Promise<TestHookReceiver> {
  const hooks: ReceivedHook[] = [];
  let failure: { status: number; body: string } | undefined;
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (failure) {
        response.writeHead(failure.status, { 'content-type': 'text/plain' }).end(failure.body);
        return;
      }
      const raw = Buffer.concat(chunks).toString('utf8');
      hooks.push({ headers: request.headers, raw, body: JSON.parse(raw) as ReceivedHook['body'] });
      response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/T000/B000/secret-path`,
    hooks,
    failWith(status, body = 'no_service') {
      failure = status === undefined ? undefined : { status, body };
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
