// The one-time setup code that claims the dashboard while no password exists (as Jenkins and
// Grafana do). Twenty characters from an alphabet without look-alikes (no 0/O, 1/I/L, U), in
// groups of five: about 98 bits, yet easy to read from a log and type. Only its SHA-256 is stored:
// with that much entropy a slow hash adds nothing.
import { createHash, randomInt } from 'node:crypto';

const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 4;
const GROUP_LENGTH = 5;

export function newSetupCode(): string {
  const groups: string[] = [];
  for (let group = 0; group < GROUPS; group++) {
    let text = '';
    for (let index = 0; index < GROUP_LENGTH; index++) text += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(text);
  }
  return groups.join('-');
}

/** The same for "abcde-fghij…", "ABCDE FGHIJ…" and "ABCDEFGHIJ…": people retype codes loosely. */
export function setupCodeHash(typed: string): string {
  const normalised = typed.toUpperCase().replace(/[^0-9A-Z]/g, '');
  return createHash('sha256').update(`setup-code:${normalised}`).digest('hex');
}
