// A small mutual-exclusion lock on one Redis key: SET NX PX to take it, compare-and-delete to
// release it, so a holder whose lease expired never releases someone else's lock.
import { randomUUID } from 'node:crypto';
import type { RedisClient } from './connection.ts';

const RELEASE_SCRIPT = `
if redis.call("get", KEYS[1]) == ARGV[1] then
  return redis.call("del", KEYS[1])
end
return 0`;

const EXTEND_SCRIPT = `
if redis.call("get", KEYS[1]) == ARGV[1] then
  return redis.call("pexpire", KEYS[1], ARGV[2])
end
return 0`;

export interface HeldLock {
  release(): Promise<void>;
  /** Renews the lease; false when the lock was lost (the lease ran out and someone else took it). */
  extend(leaseMs: number): Promise<boolean>;
}

export async function tryLock(redis: RedisClient, key: string, leaseMs: number): Promise<HeldLock | undefined> {
  const token = randomUUID();
  const taken = await redis.set(key, token, 'PX', leaseMs, 'NX');
  if (taken !== 'OK') return undefined;
  return {
    async release() {
      await redis.eval(RELEASE_SCRIPT, 1, key, token);
    },
    async extend(ms) {
      return Number(await redis.eval(EXTEND_SCRIPT, 1, key, token, String(ms))) === 1;
    },
  };
}
