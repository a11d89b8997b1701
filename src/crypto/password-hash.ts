// The owner's password, hashed with scrypt from node:crypto (no native add-on to build). The
// stored form carries its parameters, "scrypt$N$r$p$salt$hash", so they can be raised later: old
// hashes still verify, and say that they should be replaced (`stale`) on the next sign-in.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import pLimit from 'p-limit';

/**
 * OWASP's Password Storage Cheat Sheet's scrypt cost: N=2^17, r=8, p=1. Each hash takes
 * 128 × N × r = 128 MiB for a few hundred milliseconds (docs/security.md).
 */
export const PASSWORD_HASH_PARAMS = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });
const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Highest N a stored hash may ask for: a damaged or planted hash must not allocate gigabytes. */
const MAX_N = 2 ** 20;
/** One hash at a time per process: a burst of sign-ins queues instead of taking 128 MiB each. */
const oneAtATime = pLimit(1);

type Params = { N: number; r: number; p: number };

function derive(password: string, salt: Buffer, params: Params, keyBytes = KEY_BYTES): Promise<Buffer> {
  // Node refuses scrypt above maxmem (32 MiB by default); this allows the cost asked for, with room.
  const options: ScryptOptions = { ...params, maxmem: 128 * params.N * params.r * params.p * 2 };
  return oneAtATime(
    () =>
      new Promise<Buffer>((resolve, reject) => {
        scrypt(password.normalize('NFC'), salt, keyBytes, options, (error, key) => (error ? reject(error) : resolve(key)));
      }),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const key = await derive(password, salt, PASSWORD_HASH_PARAMS);
  const { N, r, p } = PASSWORD_HASH_PARAMS;
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export interface Verdict {
  matches: boolean;
  /** The password is right and its hash weaker than today's cost: hash it again. */
  stale: boolean;
}

/** Checks `password` against a stored hash; a hash this code cannot read never matches (never throws). */
export async function checkPassword(password: string, stored: string): Promise<Verdict> {
  const no = { matches: false, stale: false };
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return no;
  const expected = Buffer.from(hash, 'base64url');
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  // A shorter stored hash would verify against a prefix of the derived key: refuse it.
  if (![params.N, params.r, params.p].every(Number.isSafeInteger) || params.N > MAX_N || expected.length < KEY_BYTES) return no;
  const actual = await derive(password, Buffer.from(salt, 'base64url'), params, expected.length).catch(() => undefined);
  if (actual === undefined || !timingSafeEqual(actual, expected)) return no;
  const target = PASSWORD_HASH_PARAMS;
  return { matches: true, stale: params.N < target.N || params.r < target.r || params.p < target.p };
}

/** True for the right password only. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  return (await checkPassword(password, stored)).matches;
}
