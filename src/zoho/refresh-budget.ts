// Counts token refreshes per rolling 10 minutes across all processes. Zoho mints at most 10
// access tokens per refresh token in 10 minutes and then blocks (docs/zoho-api.md, "Token limits"); the bridge keeps
// one in reserve for the owner's own actions.
import type { RedisClient } from '../redis/connection.ts';

const WINDOW_MS = 10 * 60_000;
export const REFRESHES_PER_WINDOW = 9;

export class RefreshBudget {
  constructor(
    private readonly redis: RedisClient,
    private readonly key: string,
    private readonly now: () => number,
  ) {}

  /** Takes one refresh from the budget; returns 0, or how long to wait for one to free up. */
  async reserve(): Promise<number> {
    const now = this.now();
    await this.redis.zremrangebyscore(this.key, '-inf', now - WINDOW_MS);
    // Members start with their timestamp, which avoids depending on the WITHSCORES reply shape.
    const members = await this.redis.zrange(this.key, 0, '-1');
    const timestamps = members.map((member) => Number(member.split(':', 1)[0]));
    if (timestamps.length >= REFRESHES_PER_WINDOW) {
      const oldest = Math.min(...timestamps);
      return Math.max(1, oldest + WINDOW_MS - now);
    }
    await this.redis
      .multi()
      .zadd(this.key, now, `${now}:${Math.random().toString(36).slice(2)}`)
      .pexpire(this.key, WINDOW_MS)
      .exec();
    return 0;
  }

  /** How many refreshes were made in the current window (for health and metrics). */
  async used(): Promise<number> {
    await this.redis.zremrangebyscore(this.key, '-inf', this.now() - WINDOW_MS);
    return this.redis.zcard(this.key);
  }
}
