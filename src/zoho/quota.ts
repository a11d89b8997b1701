// Zoho Campaigns call limits, shared by every worker on every machine (docs/zoho-api.md, "Rate limits"). Each
// endpoint has several rolling windows (listsubscribe: per minute, hour and day); going over any
// of them locks the endpoint for 30 minutes, so work over quota waits instead of being sent.
//
// A sliding log per window (a Redis sorted set of call times), checked and updated by one Lua
// script: atomic across processes, and exact at window edges where fixed windows would allow a
// double burst. rate-limiter-flexible was considered; its fixed windows allow exactly that burst.
import type { RedisClient } from '../redis/connection.ts';
import { ZOHO_ENDPOINTS, type QuotaOverride, type QuotaWindow, type ZohoEndpoint } from '../zoho-names.ts';

export interface EndpointQuota {
  windows: QuotaWindow[];
  /** How long Zoho locks the endpoint once a window is exceeded; the bridge pauses it as long. */
  lockMs: number;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Zoho's documented limits (docs/zoho-api.md, "Rate limits"). ZOHO_QUOTA_LIMITS may replace an endpoint's entry. */
export const ZOHO_QUOTAS: Record<ZohoEndpoint, EndpointQuota> = {
  listsubscribe: {
    windows: [
      { limit: 500, windowMs: MINUTE },
      { limit: 12_500, windowMs: HOUR },
      { limit: 75_000, windowMs: 24 * HOUR },
    ],
    lockMs: 30 * MINUTE,
  },
  listunsubscribe: { windows: [{ limit: 500, windowMs: 5 * MINUTE }], lockMs: 30 * MINUTE },
  getmailinglists: { windows: [{ limit: 500, windowMs: 5 * MINUTE }], lockMs: 30 * MINUTE },
  getlistsubscribers: { windows: [{ limit: 500, windowMs: 5 * MINUTE }], lockMs: 30 * MINUTE },
  allfields: { windows: [{ limit: 100, windowMs: 5 * MINUTE }], lockMs: 30 * MINUTE },
  // Its own allowance, apart from listsubscribe's: ten addresses a call, no names or fields.
  addlistsubscribersinbulk: { windows: [{ limit: 2_000, windowMs: MINUTE }], lockMs: 10 * MINUTE },
};

/**
 * Zoho counts a call when it arrives, the bridge when it books it, a moment earlier. Calls booked
 * just over a window apart could arrive just under one apart, so each window is kept this much
 * longer than Zoho's: 1 s in 60 costs under 2 % of the per-minute rate and no lock-out.
 */
export const ARRIVAL_MARGIN_MS = 1_000;

/** An endpoint's quota as ZOHO_QUOTA_LIMITS gives it; without lockMs, Zoho's lock period applies. */

/** The quotas the bridge keeps: Zoho's, with the endpoints in `overrides` replaced. */
export function quotasWith(overrides: Partial<Record<ZohoEndpoint, QuotaOverride>> = {}): Record<ZohoEndpoint, EndpointQuota> {
  const quotas = { ...ZOHO_QUOTAS };
  for (const endpoint of ZOHO_ENDPOINTS) {
    const override = overrides[endpoint];
    if (override) quotas[endpoint] = { windows: override.windows, lockMs: override.lockMs ?? ZOHO_QUOTAS[endpoint].lockMs };
  }
  return quotas;
}

export type QuotaDecision =
  | { granted: true }
  /** `until`: when to ask again. `lockedOut`: the endpoint is paused after a suspected lock-out. */
  | { granted: false; waitMs: number; until: Date; lockedOut: boolean };

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
    private readonly redis: RedisClient,
    private readonly prefix: string,
    private readonly quotas: Record<ZohoEndpoint, EndpointQuota> = ZOHO_QUOTAS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Books one call to `endpoint`, or says how long to wait before asking again. */
  async take(endpoint: ZohoEndpoint): Promise<QuotaDecision> {
    const lockedMs = await this.redis.pttl(this.#lockKey(endpoint));
    if (lockedMs > 0) return { granted: false, waitMs: lockedMs, until: new Date(this.now() + lockedMs), lockedOut: true };
    const windows = this.quotas[endpoint].windows;
    const keys = windows.map((window) => this.#key(endpoint, window));
    const now = this.now();
    const args = [String(now), `${now}:${process.pid}:${this.#sequence++}:${Math.random()}`];
    for (const window of windows) args.push(String(window.limit), String(window.windowMs + ARRIVAL_MARGIN_MS));
    const waitMs = Number(await this.redis.eval(TAKE_SCRIPT, keys.length, ...keys, ...args));
    return waitMs > 0 ? { granted: false, waitMs, until: new Date(now + waitMs), lockedOut: false } : { granted: true };
  }

  /** How long Zoho locks `endpoint` out once it is over a limit. */
  lockPeriodMs(endpoint: ZohoEndpoint): number {
    return this.quotas[endpoint].lockMs;
  }

  /**
   * Zoho answered as if the endpoint were locked out: send nothing to it for its lock period, from
   * every process, since each further call during a lock-out may extend it. Returns when it ends.
   */
  async lockOut(endpoint: ZohoEndpoint, ms = this.lockPeriodMs(endpoint)): Promise<Date> {
    const until = this.now() + ms;
    await this.redis.set(this.#lockKey(endpoint), String(until), 'PX', ms);
    return new Date(until);
  }

  /** Milliseconds left on a lock-out of `endpoint` (0 when not locked out). */
  async lockedFor(endpoint: ZohoEndpoint): Promise<number> {
    return Math.max(0, await this.redis.pttl(this.#lockKey(endpoint)));
  }

  /** Calls made in each window of an endpoint, for the dashboard and metrics. */
  async usage(endpoint: ZohoEndpoint): Promise<Array<QuotaWindow & { used: number }>> {
    const now = this.now();
    return Promise.all(
      this.quotas[endpoint].windows.map(async (window) => ({
        ...window,
        used: await this.redis.zcount(this.#key(endpoint, window), now - window.windowMs, '+inf'),
      })),
    );
  }

  /**
   * When a full window of at least `minWindowMs` (the daily allowance) frees its next slot, or
   * undefined when none is full: for telling the owner when a paused endpoint resumes.
   */
  async fullUntil(endpoint: ZohoEndpoint, minWindowMs: number): Promise<{ until: Date; limit: number } | undefined> {
    const now = this.now();
    for (const window of this.quotas[endpoint].windows.filter((entry) => entry.windowMs >= minWindowMs)) {
      const key = this.#key(endpoint, window);
      if ((await this.redis.zcount(key, now - window.windowMs, '+inf')) < window.limit) continue;
      const oldest = await this.redis.zrangebyscore(key, now - window.windowMs, '+inf', 'WITHSCORES', 'LIMIT', 0, 1);
      return { until: new Date(Number(oldest[1] ?? now) + window.windowMs), limit: window.limit };
    }
    return undefined;
  }

  #lockKey(endpoint: ZohoEndpoint): string {
    return `${this.prefix}:zoho:locked-out:${endpoint}`;
  }

  #key(endpoint: ZohoEndpoint, window: QuotaWindow): string {
    return `${this.prefix}:zoho:quota:${endpoint}:${window.windowMs}`;
  }
}
