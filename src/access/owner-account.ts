// The store owner's sign-in: one password per bridge, given as ADMIN_PASSWORD or chosen in the
// browser by whoever holds the one-time setup code (src/access/setup-code.ts). Every way the
// password changes ends every session (docs/security.md).
import { checkPassword, hashPassword } from '../crypto/password-hash.ts';
import type { AdminAccountRepository } from '../db/admin-account.ts';
import type { OwnerSetupCodeRepository } from '../db/owner-setup-codes.ts';
import type { Transactions } from '../db/transaction.ts';
import type { OwnerSessions } from './owner-sessions.ts';
import { setupCodeHash } from './setup-code.ts';

/** Same minimum as ADMIN_PASSWORD in config.ts. */
export const MIN_PASSWORD_LENGTH = 10;

export type ClaimResult = { outcome: 'claimed'; sessionId: string } | { outcome: 'wrong-code' | 'already-set' | 'too-short' };

export type ChangeResult = { outcome: 'changed'; sessionId: string; endedSessions: number } | { outcome: 'wrong-password' | 'too-short' };

export class OwnerAccount {
  constructor(
    private readonly transactions: Transactions,
    private readonly accounts: AdminAccountRepository,
    private readonly setupCodes: OwnerSetupCodeRepository,
    readonly sessions: OwnerSessions,
  ) {}

  async hasPassword(): Promise<boolean> {
    return (await this.accounts.get()) !== null;
  }

  /** The time zone the owner chose in Settings, if any (the pages use UTC without one). */
  async timeZone(): Promise<string | undefined> {
    return (await this.accounts.get())?.timeZone ?? undefined;
  }

  async chooseTimeZone(timeZone: string | undefined): Promise<void> {
    await this.accounts.setTimeZone(timeZone && timeZone !== 'UTC' ? timeZone : null);
  }

  /** Stores a new setup code's hash for `holder` (one server process), replacing its previous one. */
  async offerSetupCode(holder: string, code: string): Promise<void> {
    await this.setupCodes.replace(holder, setupCodeHash(code));
  }

  /**
   * First run: the holder of a setup code chooses the password. The code is used up, every other
   * code with it, and the owner is signed in. Never replaces an existing password.
   */
  async claim(code: string, password: string): Promise<ClaimResult> {
    if (password.length < MIN_PASSWORD_LENGTH) return { outcome: 'too-short' };
    const passwordHash = await hashPassword(password);
    return this.transactions.run(async (tx): Promise<ClaimResult> => {
      if (!(await this.setupCodes.take(setupCodeHash(code), tx))) {
        return { outcome: (await this.accounts.lockedHash(tx)) ? 'already-set' : 'wrong-code' };
      }
      if (!(await this.accounts.createIfAbsent(passwordHash, tx))) return { outcome: 'already-set' };
      await this.setupCodes.deleteAll(tx);
      await this.sessions.endAll(tx);
      return { outcome: 'claimed', sessionId: await this.sessions.start(tx) };
    });
  }

  /**
   * A new session when `password` is right, otherwise undefined. A hash made at a lower cost than
   * today's is replaced while the password is at hand.
   */
  async signIn(password: string): Promise<string | undefined> {
    const account = await this.accounts.get();
    if (!account) return undefined;
    const verdict = await checkPassword(password, account.passwordHash);
    if (!verdict.matches) return undefined;
    let checked = account.passwordHash;
    if (verdict.stale) {
      checked = await hashPassword(password);
      await this.accounts.upgradeHash(account.passwordHash, checked);
    }
    return this.transactions.run(async (tx) => {
      // Changed while this sign-in was checking it: the old password opens nothing.
      if ((await this.accounts.lockedHash(tx)) !== checked) return undefined;
      return this.sessions.start(tx);
    });
  }

  /** On the dashboard: the owner, knowing the current password, picks another. Signs out every browser. */
  async changePassword(current: string, next: string): Promise<ChangeResult> {
    const account = await this.accounts.get();
    if (!account || !(await checkPassword(current, account.passwordHash)).matches) return { outcome: 'wrong-password' };
    if (next.length < MIN_PASSWORD_LENGTH) return { outcome: 'too-short' };
    const { endedSessions, sessionId } = await this.#replacePassword(await hashPassword(next), true);
    return { outcome: 'changed', sessionId: sessionId!, endedSessions };
  }

  /** ADMIN_PASSWORD wins over a password chosen in the browser; re-hashed, and sessions ended, only when it changed. */
  async applyConfiguredPassword(password: string): Promise<{ outcome: 'unchanged' } | { outcome: 'set'; endedSessions: number }> {
    const account = await this.accounts.get();
    if (account) {
      const verdict = await checkPassword(password, account.passwordHash);
      if (verdict.matches && verdict.stale) await this.accounts.upgradeHash(account.passwordHash, await hashPassword(password));
      if (verdict.matches) {
        await this.setupCodes.deleteAll();
        return { outcome: 'unchanged' };
      }
    }
    const { endedSessions } = await this.#replacePassword(await hashPassword(password), false);
    return { outcome: 'set', endedSessions };
  }

  async #replacePassword(passwordHash: string, startSession: boolean): Promise<{ endedSessions: number; sessionId?: string }> {
    return this.transactions.run(async (tx) => {
      await this.accounts.setPasswordHash(passwordHash, tx);
      await this.setupCodes.deleteAll(tx);
      const endedSessions = await this.sessions.endAll(tx);
      return { endedSessions, sessionId: startSession ? await this.sessions.start(tx) : undefined };
    });
  }
}
