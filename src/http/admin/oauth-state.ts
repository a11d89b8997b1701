// The OAuth `state`: proof that a callback answers a connection this browser started here. Kept
// in Redis, bound to the owner's session id, short-lived and taken exactly once (GETDEL), so a
// callback cannot be forged, replayed from another browser, or exchanged twice.
import { createHash, randomBytes } from 'node:crypto';
import type { RedisClient } from '../../redis/connection.ts';

/** Long enough to sign in to Zoho (with two-factor) and approve; Zoho's code lasts minutes after. */
const STATE_TTL_MS = 15 * 60_000;
/** A used state is remembered this long, to tell a reloaded callback page from a forged one. */
const USED_TTL_MS = 60 * 60_000;
const STATE_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export type StateCheck =
  /** Issued to this session and not used before. */
  | 'valid'
  /** Already used by this session: the callback page was reloaded or opened twice. */
  | 'used'
  /** Never issued, expired, or issued to another browser. */
  | 'unknown';

export class OAuthStates {
  constructor(
    private readonly redis: RedisClient,
    private readonly prefix: string,
  ) {}

  async issue(sessionId: string): Promise<string> {
    const state = randomBytes(32).toString('base64url');
    await this.redis.set(this.#key('pending', state), sessionId, 'PX', STATE_TTL_MS);
    return state;
  }

  async take(state: string | undefined, sessionId: string | undefined): Promise<StateCheck> {
    if (!state || !sessionId || !STATE_FORMAT.test(state)) return 'unknown';
    const issuedTo = await this.redis.getdel(this.#key('pending', state));
    if (issuedTo === sessionId) {
      await this.redis.set(this.#key('used', state), sessionId, 'PX', USED_TTL_MS);
      return 'valid';
    }
    // Presented by another browser: it is burnt either way.
    if (issuedTo !== null) return 'unknown';
    return (await this.redis.get(this.#key('used', state))) === sessionId ? 'used' : 'unknown';
  }

  /** Keys hold a hash: the state is attacker-supplied input of any length. */
  #key(kind: 'pending' | 'used', state: string): string {
    return `${this.prefix}:oauth-state:${kind}:${createHash('sha256').update(state).digest('base64url')}`;
  }
}
