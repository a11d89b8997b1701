// The owner's password, hashed with scrypt from node:crypto (no native add-on to build). The
// stored form carries its parameters, "scrypt$N$r$p$salt$hash", so they can be raised later and
// old hashes still verify.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** 2^15 × 8 × 128 B = 32 MiB and ~50-100 ms per guess: slow for an attacker, fine for a sign-in. */
const DEFAULT_PARAMS = { N: 2 ** 15, r: 8, p: 1 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }, keyBytes = KEY_BYTES): Promise<Buffer> {
  const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * 2 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, DEFAULT_PARAMS);
  const { N, r, p } = DEFAULT_PARAMS;
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** False for a wrong password or a hash this code cannot read (never throws on bad input). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  // A shorter stored hash would verify against a prefix of the derived key: refuse it.
  if (![params.N, params.r, params.p].every(Number.isSafeInteger) || expected.length < KEY_BYTES) return false;
  const actual = await derive(password, Buffer.from(salt, 'base64url'), params, expected.length).catch(() => undefined);
  return actual !== undefined && timingSafeEqual(actual, expected);
}
