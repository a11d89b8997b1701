// Free loopback ports for servers that must know their port before they listen (the bridge's
// PUBLIC_URL is part of its configuration; child processes are told their PORT).
//
// Asking the kernel for port 0 and closing it again hands out a port from the ephemeral range,
// which the kernel also gives to outgoing connections (to Postgres, Redis, the simulator): under
// load another process's connection took such a port between "free" and "listen" (EADDRINUSE).
// Ports below the ephemeral range are never handed out that way, so only a listener can take
// them; a random start makes two test files choosing at the same moment very unlikely to meet.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

const LOWEST = 20_000;

function ephemeralRangeStart(): number {
  try {
    const [start] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    return Number(start) || 32_768;
  } catch {
    return 32_768; // Linux's default, where /proc is not there to ask
  }
}

const HIGHEST = Math.max(LOWEST + 1_000, ephemeralRangeStart() - 1);

export function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = LOWEST + Math.floor(Math.random() * (HIGHEST - LOWEST));
    if (await canListen(port)) return port;
  }
  throw new Error(`No free port between ${LOWEST} and ${HIGHEST} after 50 tries`);
}

/** True when `error` is the "someone else took the port" failure of listen(). */
export function isAddressInUse(error: unknown): boolean {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}
