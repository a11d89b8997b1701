// A lean HTTP/1.1 client for the open-loop load: keep-alive sockets, one request at a time on
// each, the request written in one piece and the answer read by Content-Length. The load
// generator shares the machine's two cores with the server, Postgres and Redis, so what it costs
// is taken from what is measured: at 1,000 deliveries/s on machine D the load generator used 0.32
// cores with node:http's client and 0.17 with this one, building and signing the deliveries
// included (bench/RESULTS.md, machine D). autocannon, used for the other loads, writes to raw
// sockets in the same way.
import { connect, type Socket } from 'node:net';

export interface Answer {
  status: number;
  body: Buffer;
}

interface Connection {
  socket: Socket;
  received: Buffer;
  pending: { resolve: (answer: Answer) => void; reject: (error: Error) => void } | undefined;
}

const HEAD_END = Buffer.from('\r\n\r\n');

export interface KeepAliveClientOptions {
  /** Connections open at once; more requests wait for one (as node:http's Agent queues). @defaultValue 256 */
  maxConnections?: number;
  /**
   * False: every request on a new connection with `Connection: close`, as WooCommerce sends
   * them (docs/woocommerce-webhooks.md, "The delivery request"); a reverse proxy in front of the bridge reuses connections instead.
   * @defaultValue true
   */
  reuse?: boolean;
}

export class KeepAliveClient {
  readonly #idle: Connection[] = [];
  readonly #all = new Set<Connection>();
  /** Requests waiting for a connection while `maxConnections` are busy. */
  readonly #queued: Array<(connection: Connection) => void> = [];

  readonly #maxConnections: number;
  readonly #reuse: boolean;

  constructor(
    private readonly host: string,
    private readonly port: number,
    options: KeepAliveClientOptions = {},
  ) {
    this.#maxConnections = options.maxConnections ?? 256;
    this.#reuse = options.reuse ?? true;
  }

  /** POSTs `body` to `path`; rejects if the connection fails or the answer is not one HTTP/1.1 response with a length. */
  async post(path: string, headers: Record<string, string>, body: Buffer): Promise<Answer> {
    let head = `POST ${path} HTTP/1.1\r\nHost: ${this.host}:${this.port}\r\nConnection: ${this.#reuse ? 'keep-alive' : 'close'}\r\nContent-Length: ${body.length}\r\n`;
    for (const [name, value] of Object.entries(headers)) head += `${name}: ${value}\r\n`;
    const request = Buffer.concat([Buffer.from(`${head}\r\n`, 'latin1'), body]);
    const connection = await this.#connection();
    return new Promise((resolve, reject) => {
      connection.pending = { resolve, reject };
      connection.socket.write(request);
    });
  }

  close(): void {
    for (const connection of this.#all) connection.socket.destroy();
    this.#all.clear();
    this.#idle.length = 0;
  }

  #connection(): Connection | Promise<Connection> {
    const idle = this.#idle.pop();
    if (idle) return idle;
    if (this.#all.size < this.#maxConnections) return this.#open();
    return new Promise((resolve) => this.#queued.push(resolve));
  }

  /** A connection that has answered goes to the longest-waiting request, or back to the idle ones. */
  #release(connection: Connection): void {
    const next = this.#queued.shift();
    if (next) next(connection);
    else this.#idle.push(connection);
  }

  #open(): Connection {
    const connection: Connection = { socket: connect(this.port, this.host), received: Buffer.alloc(0), pending: undefined };
    connection.socket.setNoDelay(true);
    connection.socket.on('data', (chunk: Buffer) => this.#read(connection, chunk));
    const fail = (error: Error) => {
      if (!this.#all.has(connection)) return;
      this.#retire(connection);
      connection.pending?.reject(error);
      connection.pending = undefined;
    };
    connection.socket.on('error', fail);
    connection.socket.on('close', () => fail(new Error('connection closed before the answer')));
    this.#all.add(connection);
    return connection;
  }

  #read(connection: Connection, chunk: Buffer): void {
    connection.received = connection.received.length === 0 ? chunk : Buffer.concat([connection.received, chunk]);
    const headEnd = connection.received.indexOf(HEAD_END);
    if (headEnd < 0) return;
    const head = connection.received.subarray(0, headEnd).toString('latin1');
    const length = /\r\ncontent-length: *(\d+)/i.exec(head)?.[1];
    const status = /^HTTP\/1\.1 (\d{3}) /.exec(head)?.[1];
    if (length === undefined || status === undefined) {
      connection.socket.destroy(new Error(`not an HTTP/1.1 answer with Content-Length: ${head.slice(0, 200)}`));
      return;
    }
    const end = headEnd + HEAD_END.length + Number(length);
    if (connection.received.length < end) return;
    const answer = { status: Number(status), body: connection.received.subarray(headEnd + HEAD_END.length, end) };
    connection.received = connection.received.subarray(end);
    const pending = connection.pending;
    connection.pending = undefined;
    if (!this.#reuse || /\r\nconnection: *close/i.test(head)) {
      this.#retire(connection);
      connection.socket.end();
    } else {
      this.#release(connection);
    }
    pending?.resolve(answer);
  }

  /** A connection that is closing is not used again; a request waiting for one gets a new one. */
  #retire(connection: Connection): void {
    this.#all.delete(connection);
    const index = this.#idle.indexOf(connection);
    if (index >= 0) this.#idle.splice(index, 1);
    const next = this.#queued.shift();
    if (next) next(this.#open());
  }
}
