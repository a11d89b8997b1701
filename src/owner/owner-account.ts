// The store owner's sign-in: one password per bridge, chosen in the browser on first run or given
// as ADMIN_PASSWORD. Sessions carry a fingerprint of the stored hash, so changing the password
// signs out every browser that signed in with the old one.
import { createHash } from 'node:crypto';
import { hashPassword, verifyPassword } from '../crypto/password-hash.ts';
import type { AdminAccountRepository } from '../db/admin-account.ts';

/** Same minimum as ADMIN_PASSWORD in config.ts. */
export const MIN_PASSWORD_LENGTH = 10;

export type ChooseResult = 'set' | 'already-set' | 'too-short';

export class OwnerAccount {
  constructor(private readonly accounts: AdminAccountRepository) {}

  async hasPassword(): Promise<boolean> {
    return (await this.accounts.get()) !== null;
  }

  /** First run only: never replaces an existing password. */
  async choosePassword(password: string): Promise<ChooseResult> {
    if (password.length < MIN_PASSWORD_LENGTH) return 'too-short';
    return (await this.accounts.createIfAbsent(await hashPassword(password))) ? 'set' : 'already-set';
  }

  /** The session fingerprint when `password` is right, otherwise undefined. */
  async signIn(password: string): Promise<string | undefined> {
    const account = await this.accounts.get();
    if (!account || !(await verifyPassword(password, account.passwordHash))) return undefined;
    return fingerprintOf(account.passwordHash);
  }

  /** Fingerprint of the current password, for checking a session on every request. */
  async currentFingerprint(): Promise<string | undefined> {
    const account = await this.accounts.get();
    return account ? fingerprintOf(account.passwordHash) : undefined;
  }

  /** ADMIN_PASSWORD wins over a password chosen in the browser; re-hashed only when it changed. */
  async applyConfiguredPassword(password: string): Promise<'unchanged' | 'set'> {
    const account = await this.accounts.get();
    if (account && (await verifyPassword(password, account.passwordHash))) return 'unchanged';
    await this.accounts.setPasswordHash(await hashPassword(password));
    return 'set';
  }
}

function fingerprintOf(passwordHash: string): string {
  return createHash('sha256').update(passwordHash).digest('base64url').slice(0, 22);
}
