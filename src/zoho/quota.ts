// Zoho Campaigns call limits, shared by every worker on every machine (zoho.md §2.5). Each
// endpoint has several rolling windows (listsubscribe: per minute, hour and day); going over any
// of them locks the endpoint for 30 minutes, so work over quota waits instead of being sent.
//
// A sliding log per window (a Redis sorted set of call times), checked and updated by one Lua
// script: atomic across processes, and exact at window edges where fixed windows would allow a
// double burst. rate-limiter-flexible was considered; its fixed windows allow exactly that burst.
import type { Redis } from 'ioredis';

export type ZohoEndpoint = 'listsubscribe' | 'listunsubscribe' | 'getmailinglists' | 'getlistsubscribers' | 'allfields';

export interface QuotaWindow {
  limit: number;
  windowMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export const ZOHO_LIMITS: Record<ZohoEndpoint, QuotaWindow[]> = {
  listsubscribe: [
    { limit: 500, windowMs: MINUTE },
    { limit: 12_500, windowMs: HOUR },
    { limit: 75_000, windowMs: 24 * HOUR },
  ],
  listunsubscribe: [{ limit: 500, windowMs: 5 * MINUTE }],
  getmailinglists: [{ limit: 500, windowMs: 5 * MINUTE }],
  getlistsubscribers: [{ limit: 500, windowMs: 5 * MINUTE }],
  allfields: [{ limit: 100, windowMs: 5 * MINUTE }],
};

// KEYS: one sorted set per window. ARGV: now, member, then limit and window length per key.
// Returns 0 when the call was booked, otherwise the milliseconds until a slot frees up.
const TAKE_SCRIPT = `
local now = tonumber(ARGV[1])
local wait = 0
for i = 1, #KEYS do
  local limit = tonumber(ARGV[1 + i * 2])
  local window = tonumber(ARGV[2 + i * 2])
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now - window)
  if redis.call('ZCARD', KEYS[i]) >= limit then
    local oldest = redis.call('ZRANGE', KEYS[i], 0, 0, 'WITHSCORES')
    local free_at = tonumber(oldest[2]) + window
    if free_at - now > wait then wait = free_at - now end
  end
end
if wait > 0 then return wait end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], now, ARGV[2])
  redis.call('PEXPIRE', KEYS[i], tonumber(ARGV[2 + i * 2]))
end
return 0`;

export class ZohoQuota {
  #sequence = 0;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly limits: Record<ZohoEndpoint, QuotaWindow[]> = ZOHO_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Books one call to `endpoint`; returns 0, or how many ms to wait before asking again. */
  async take(endpoint: ZohoEndpoint): Promise<number> {
    const lockedMs = await this.redis.pttl(this.#lockKey(endpoint));
    if (lockedMs > 0) return lockedMs;
    const windows = this.limits[endpoint];
    const keys = windows.map((window) => this.#key(endpoint, window));
    const args = [String(this.now()), `${this.now()}:${process.pid}:${this.#sequence++}:${Math.random()}`];
    for (const window of windows) args.push(String(window.limit), String(window.windowMs));
    const wait = await this.redis.eval(TAKE_SCRIPT, keys.length, ...keys, ...args);
    return Number(wait);
  }

  /**
   * Zoho answered as if the endpoint were locked out: send nothing to it for `ms`, from every
   * process, since each further call during a lock-out may extend it.
   */
  async lockOut(endpoint: ZohoEndpoint, ms: number): Promise<void> {
    await this.redis.set(this.#lockKey(endpoint), String(this.now() + ms), 'PX', ms);
  }

  /** Milliseconds left on a lock-out of `endpoint` (0 when not locked out). */
  async lockedFor(endpoint: ZohoEndpoint): Promise<number> {
    return Math.max(0, await this.redis.pttl(this.#lockKey(endpoint)));
  }

  /** Calls made in each window of an endpoint, for the dashboard and metrics. */
  async usage(endpoint: ZohoEndpoint): Promise<Array<QuotaWindow & { used: number }>> {
    const now = this.now();
    return Promise.all(
      this.limits[endpoint].map(async (window) => ({
        ...window,
        used: await this.redis.zcount(this.#key(endpoint, window), now - window.windowMs, '+inf'),
      })),
    );
  }

  #lockKey(endpoint: ZohoEndpoint): string {
    return `${this.prefix}:zoho:locked-out:${endpoint}`;
  }

  #key(endpoint: ZohoEndpoint, window: QuotaWindow): string {
    return `${this.prefix}:zoho:quota:${endpoint}:${window.windowMs}`;
  }
}
