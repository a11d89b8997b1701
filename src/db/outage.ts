// Telling "Postgres cannot be reached" apart from everything else. The receiver answers the first
// with 503 (nothing stored; WooCommerce counts a failure) and the second with 500, so the two must
// not be confused: through Prisma's pg adapter an outage arrives as a socket error kind, a pg pool
// message, or a server code saying the server is going away; from pg itself, as a message or code.

/** The receiver gave up waiting for Postgres (see src/http/webhooks.ts). */
export class StorageTimeoutError extends Error {
  constructor(ms: number) {
    super(`Postgres did not answer within ${ms} ms`);
    this.name = 'StorageTimeoutError';
  }
}

/** Driver adapter error kinds (@prisma/driver-adapter-utils) that mean the server is out of reach. */
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);

/** Prisma: can't reach, timed out, server closed the connection, no connection from the pool in time. */
const UNREACHABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);

/**
 * SQLSTATE classes 08 (connection exception) and 53 (insufficient resources), and 57P01–57P03
 * (the server is shutting down, crashed, or starting up).
 */
const UNREACHABLE_SQLSTATE = /^(08|53|57P0[1-3])/;

/** What pg and Node say when a connection cannot be made or is cut. */
const UNREACHABLE_MESSAGE =
  /Can't reach database server|Connection terminated|timeout exceeded when trying to connect|Query read timeout|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|Client has encountered a connection error|the database system is (starting up|shutting down)/i;

interface PrismaLikeError {
  name?: string;
  code?: unknown;
  message?: unknown;
  meta?: { driverAdapterError?: { cause?: { kind?: string; originalCode?: string } } };
  cause?: unknown;
}

export function isStorageOutage(error: unknown): boolean {
  for (let current = error as PrismaLikeError | undefined, depth = 0; current && depth < 5; current = current.cause as PrismaLikeError, depth++) {
    if (current instanceof StorageTimeoutError) return true;
    const cause = current.meta?.driverAdapterError?.cause;
    if (cause?.kind && UNREACHABLE_KINDS.has(cause.kind)) return true;
    if (cause?.originalCode && UNREACHABLE_SQLSTATE.test(cause.originalCode)) return true;
    if (typeof current.code === 'string' && UNREACHABLE_PRISMA_CODES.has(current.code)) return true;
    // pg's own errors (the delivery INSERT skips Prisma) carry the SQLSTATE in `code`.
    if (typeof current.code === 'string' && UNREACHABLE_SQLSTATE.test(current.code)) return true;
    if (typeof current.message === 'string' && UNREACHABLE_MESSAGE.test(current.message)) return true;
  }
  return false;
}

/** Resolves as `work` does, or rejects with StorageTimeoutError after `ms` (the work carries on). */
export async function withStorageDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StorageTimeoutError(ms)), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
