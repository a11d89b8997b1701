// Campaigns rate limits: per endpoint, per account, several rolling windows, and a lock period
// once any window is exceeded (docs/zoho-api.md, "Rate limits"). Only that endpoint locks; the others keep working.
import type { CampaignsEndpoint, RateLimitRule } from './types.ts';

const MINUTE = 60_000;
const THIRTY_MINUTES = 30 * MINUTE;

export const DEFAULT_LIMITS: Record<CampaignsEndpoint, RateLimitRule> = {
  listsubscribe: {
    windows: [
      { limit: 500, windowMs: MINUTE },
      { limit: 12_500, windowMs: 60 * MINUTE },
      { limit: 75_000, windowMs: 24 * 60 * MINUTE },
    ],
    lockMs: THIRTY_MINUTES,
  },
  listunsubscribe: { windows: [{ limit: 500, windowMs: 5 * MINUTE }], lockMs: THIRTY_MINUTES },
  getmailinglists: { windows: [{ limit: 500, windowMs: 5 * MINUTE }], lockMs: THIRTY_MINUTES },
  getlistsubscribers: { windows: [{ limit: 500, windowMs: 5 * MINUTE }], lockMs: THIRTY_MINUTES },
  allfields: { windows: [{ limit: 100, windowMs: 5 * MINUTE }], lockMs: THIRTY_MINUTES },
  addlistsubscribersinbulk: { windows: [{ limit: 2_000, windowMs: MINUTE }], lockMs: 10 * MINUTE },
};

interface Bucket {
  /** Admitted call times, oldest first (the clock never goes backwards). */
  hits: number[];
  lockedUntil: number;
}

export type Admission = { admitted: true } | { admitted: false; lockedUntil: number };

export class EndpointRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  violations: Partial<Record<CampaignsEndpoint, number>> = {};
  lockouts: Partial<Record<CampaignsEndpoint, number>> = {};
  admitted: Partial<Record<CampaignsEndpoint, number>> = {};

  constructor(
    private readonly rules: Record<CampaignsEndpoint, RateLimitRule>,
    private readonly now: () => number,
  ) {}

  /**
   * Admits the call or refuses it. A refused call counts as a violation but not as a hit, so a
   * client hammering a locked endpoint does not extend the lock [U]: Zoho documents only the
   * lock period.
   */
  admit(account: string, endpoint: CampaignsEndpoint): Admission {
    const rule = this.rules[endpoint];
    const bucket = this.bucket(`${account}|${endpoint}`);
    const now = this.now();
    if (bucket.lockedUntil > now) return this.refuse(endpoint, bucket.lockedUntil);

    const longest = Math.max(...rule.windows.map((w) => w.windowMs));
    dropOlderThan(bucket.hits, now - longest);
    const exceeded = rule.windows.some((w) => countSince(bucket.hits, now - w.windowMs) + 1 > w.limit);
    if (exceeded) {
      bucket.lockedUntil = now + rule.lockMs;
      this.lockouts[endpoint] = (this.lockouts[endpoint] ?? 0) + 1;
      return this.refuse(endpoint, bucket.lockedUntil);
    }
    bucket.hits.push(now);
    this.admitted[endpoint] = (this.admitted[endpoint] ?? 0) + 1;
    return { admitted: true };
  }

  reset(): void {
    this.buckets.clear();
    this.violations = {};
    this.lockouts = {};
    this.admitted = {};
  }

  private refuse(endpoint: CampaignsEndpoint, lockedUntil: number): Admission {
    this.violations[endpoint] = (this.violations[endpoint] ?? 0) + 1;
    return { admitted: false, lockedUntil };
  }

  private bucket(key: string): Bucket {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { hits: [], lockedUntil: 0 };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }
}

/** Index of the first hit strictly after `since` (binary search over sorted times). */
function firstAfter(hits: number[], since: number): number {
  let low = 0;
  let high = hits.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (hits[mid]! > since) high = mid;
    else low = mid + 1;
  }
  return low;
}

function countSince(hits: number[], since: number): number {
  return hits.length - firstAfter(hits, since);
}

function dropOlderThan(hits: number[], since: number): void {
  const first = firstAfter(hits, since);
  if (first > 0) hits.splice(0, first);
}
