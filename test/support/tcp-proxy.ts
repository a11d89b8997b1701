// A TCP proxy on 127.0.0.1 that a test puts between the bridge and Postgres or Redis, so it can
// take the dependency away from the bridge without touching the shared server:
// - cut():       the server is gone: new connections are refused, open ones are reset.
// - blackhole(): the network is partitioned: connections are accepted, open ones stay open, and
//                no byte gets through in either direction (the case only timeouts can end).
// - restore():   traffic flows again (blackholed connections are dropped, as TCP would time out).
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** `target` with its host and port replaced by the proxy's, e.g. for DATABASE_URL. */
  rewrite(targetUrl: string): string;
  cut(): Promise<void>;
  blackhole(): void;
  restore(): Promise<void>;
  close(): Promise<void>;
}

type Mode = 'forward' | 'blackhole' | 'cut';

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  let mode: Mode = 'forward';
  const open = new Set<Socket>();
  let server = createServer(onConnection);

  function track(socket: Socket): void {
    open.add(socket);
    socket.on('close', () => open.delete(socket));
    socket.on('error', () => socket.destroy());
  }

  function onConnection(client: Socket): void {
    track(client);
    if (mode === 'blackhole') {
      client.pause();
      return;
    }
    const upstream = connect(targetPort, targetHost);
    track(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  }

  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = (target: Server) => new Promise<void>((resolve) => target.close(() => resolve()));

  await listen(0);
  const port = (server.address() as { port: number }).port;

  return {
    port,
    rewrite(targetUrl) {
      const url = new URL(targetUrl);
      url.hostname = '127.0.0.1';
      url.port = String(port);
      return url.toString();
    },
    async cut() {
      if (mode === 'cut') return;
      mode = 'cut';
      const closing = stopListening(server);
      for (const socket of open) socket.resetAndDestroy();
      await closing;
    },
    blackhole() {
      if (mode !== 'forward') throw new Error('blackhole() works from the forwarding state');
      mode = 'blackhole';
      // Stop every byte in flight: nothing is read, so nothing is forwarded either way.
      for (const socket of open) {
        socket.unpipe();
        socket.pause();
      }
    },
    async restore() {
      if (mode === 'forward') return;
      for (const socket of open) socket.destroy();
      if (mode === 'cut') {
        server = createServer(onConnection);
        // The port was ours a moment ago; retry briefly in case the kernel is slow to free it.
        for (let attempt = 1; ; attempt++) {
          try {
            await listen(port);
            break;
          } catch (error) {
            if (attempt >= 20) throw error;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
        }
      }
      mode = 'forward';
    },
    async close() {
      mode = 'cut';
      for (const socket of open) socket.destroy();
      if (server.listening) await stopListening(server);
    },
  };
}
