// When each backfill job may run. A backfill can hold far more contacts than Zoho accepts in a day
// (listsubscribe: 500/min, 12,500/h, 75,000/day, docs/zoho-api.md, "Rate limits"), and every call it makes is one
// live customer changes cannot make. So backfill jobs are released on a schedule, a token bucket
// shared by every backfill of this bridge (a Redis hash, updated by one Lua script):
//   - at most `dailyBudget` jobs a day (default 50,000: two thirds of Zoho's 75,000, leaving a
//     third for live events),
//   - bursts of up to `burst` jobs (default one hour's share), so a small store imports at once,
//   - never closer together than `minSpacingMs` (default 240 ms = 250 a minute, half of Zoho's
//     per-minute limit).
// Each job makes about one Zoho call (one list join), so jobs stand in for calls. The schedule
// is the soft limit that keeps the hard one (src/zoho/quota.ts) from ever being reached; job
// priority (backfill jobs come after every live job) is what keeps live events first meanwhile.
import type { RedisClient } from '../redis/connection.ts';

export interface PacingOptions {
  /** @defaultValue 50_000 */
  dailyBudget?: number;
  /** @defaultValue dailyBudget / 24 */
  burst?: number;
  /** @defaultValue 240 */
  minSpacingMs?: number;
}

export const DEFAULT_DAILY_BUDGET = 50_000;
const DAY_MS = 86_400_000;

// KEYS[1]: bucket state. ARGV: now, n, capacity, refill per ms, min spacing. Returns n start times.
const RESERVE_SCRIPT = `
local now = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local capacity = tonumber(ARGV[3])
local rate = tonumber(ARGV[4])
local spacing = tonumber(ARGV[5])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'last')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
local last = tonumber(state[3]) or (now - spacing)
local times = {}
for i = 1, n do
  local t = math.max(now, last + spacing)
  if t > at then
    tokens = math.min(capacity, tokens + (t - at) * rate)
    at = t
  end
  if tokens < 1 then
    t = t + (1 - tokens) / rate
    tokens = 1
    at = t
  end
  tokens = tokens - 1
  last = t
  times[i] = math.floor(t)
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(at), 'last', tostring(last))
redis.call('PEXPIRE', KEYS[1], math.floor(last - now) + ${DAY_MS})
return times`;

export class BackfillPacer {
  readonly dailyBudget: number;
  readonly burst: number;
  readonly minSpacingMs: number;

  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
    options: PacingOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.dailyBudget = options.dailyBudget ?? DEFAULT_DAILY_BUDGET;
    this.burst = Math.max(1, options.burst ?? Math.floor(this.dailyBudget / 24));
    this.minSpacingMs = options.minSpacingMs ?? 240;
  }

  /** Books `count` consecutive slots; returns when each job may start (epoch ms). */
  async reserve(count: number): Promise<number[]> {
    if (count === 0) return [];
    const times = await this.redis.eval(
      RESERVE_SCRIPT,
      1,
      `${this.prefix}:backfill:pacing`,
      String(this.now()),
      String(count),
      String(this.burst),
      String(this.dailyBudget / DAY_MS),
      String(this.minSpacingMs),
    );
    return (times as Array<number | string>).map(Number);
  }

  /** How long `count` jobs take from an idle bucket (for the dry run's estimate). */
  durationFor(count: number): number {
    if (count <= 0) return 0;
    const spacingOnly = (count - 1) * this.minSpacingMs;
    const beyondBurst = Math.max(0, count - this.burst);
    return Math.max(spacingOnly, (beyondBurst * DAY_MS) / this.dailyBudget);
  }
}

/** "about 3 hours", "about 2 days", "under a minute". */
export function humanDuration(ms: number): string {
  if (ms < 60_000) return 'under a minute';
  const minutes = Math.round(ms / 60_000);
  if (minutes < 90) return `about ${minutes} minute${minutes === 1 ? '' : 's'}`;
  const hours = Math.round(ms / 3_600_000);
  if (hours < 36) return `about ${hours} hours`;
  return `about ${Math.round(ms / DAY_MS)} days`;
}
