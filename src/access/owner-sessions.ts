// The dashboard's sessions, kept on the server so that they can end there: signing out, a
// password change, SESSION_IDLE_HOURS without a visit, or SESSION_MAX_DAYS after signing in. The
// browser's cookie carries a random id; the table keeps only its SHA-256 (docs/security.md).
import { createHash, randomBytes } from 'node:crypto';
import type { OwnerSessionRepository } from '../db/owner-sessions.ts';
import type { Transaction } from '../db/transaction.ts';

/** "Last seen" is written at most this often per session, not on every page. */
const TOUCH_EVERY_MS = 60_000;
const SESSION_ID_FORMAT = /^[A-Za-z0-9_-]{43}$/;

export interface SessionLifetimes {
  idleMs: number;
  maxMs: number;
}

function hashOf(sessionId: string): string {
  return createHash('sha256').update(sessionId).digest('hex');
}

export class OwnerSessions {
  constructor(
    private readonly sessions: OwnerSessionRepository,
    private readonly lifetimes: SessionLifetimes,
  ) {}

  /**
   * A new session; the returned id goes into the cookie and nowhere else. Expired rows are pruned
   * here: sessions are only made by a right password, so this keeps the table small.
   */
  async start(tx?: Transaction, now = new Date()): Promise<string> {
    await this.sessions.deleteExpired(new Date(now.getTime() - this.lifetimes.idleMs), new Date(now.getTime() - this.lifetimes.maxMs), tx);
    const id = randomBytes(32).toString('base64url');
    await this.sessions.create(hashOf(id), now, tx);
    return id;
  }

  /** True while the session exists and has not run out; a run-out session is deleted. */
  async isLive(sessionId: string | undefined, now = new Date()): Promise<boolean> {
    if (!sessionId || !SESSION_ID_FORMAT.test(sessionId)) return false;
    const idHash = hashOf(sessionId);
    const session = await this.sessions.find(idHash);
    if (!session) return false;
    const idle = now.getTime() - session.lastSeenAt.getTime() > this.lifetimes.idleMs;
    const old = now.getTime() - session.createdAt.getTime() > this.lifetimes.maxMs;
    if (idle || old) {
      await this.sessions.delete(idHash);
      return false;
    }
    if (now.getTime() - session.lastSeenAt.getTime() > TOUCH_EVERY_MS) await this.sessions.touch(idHash, now);
    return true;
  }

  async end(sessionId: string | undefined): Promise<void> {
    if (sessionId && SESSION_ID_FORMAT.test(sessionId)) await this.sessions.delete(hashOf(sessionId));
  }

  /** Signs every browser out; returns how many sessions there were. */
  endAll(tx?: Transaction): Promise<number> {
    return this.sessions.deleteAll(tx);
  }
}
