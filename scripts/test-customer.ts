// Who `npm run send-test-delivery` sends: the same email is always the same customer (its id comes
// from the email, as the README's curl example shows), and names not given come from the email,
// so that people differ: "zoe.muller@…" is Zoe Muller, "ana@…" is Ana with a surname picked for her.
import { createHash } from 'node:crypto';

const LAST_NAMES = ['Müller', 'Álvarez', 'Ng', 'Kowalski', 'Jørgensen', 'Dubois', 'Ó Briain', 'Yılmaz', 'García', 'Lefèvre'];
const CITIES: Array<[string, string, string]> = [
  ['Berlin', '10115', 'DE'],
  ['Sevilla', '41001', 'ES'],
  ['Kraków', '30-001', 'PL'],
  ['Lyon', '69001', 'FR'],
  ['Dublin', 'D01', 'IE'],
];

export interface TestCustomer {
  id: number;
  firstName: string;
  lastName: string;
  city: string;
  postcode: string;
  country: string;
}

export function testCustomer(
  email: string,
  given: { id?: string | undefined; firstName?: string | undefined; lastName?: string | undefined } = {},
): TestCustomer {
  const seed = createHash('sha256').update(email.trim().toLowerCase()).digest().readUInt32BE(0);
  const pick = <T>(list: T[], salt: number): T => list[(seed + salt) % list.length]!;
  const [first, last] = email
    .split('@')[0]!
    .split(/[._-]+/)
    .filter(Boolean)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1));
  const [city, postcode, country] = pick(CITIES, 3);
  return {
    id: given.id ? Number(given.id) : (seed % 900_000) + 100,
    firstName: given.firstName ?? first ?? 'Customer',
    lastName: given.lastName ?? last ?? pick(LAST_NAMES, 7),
    city,
    postcode,
    country,
  };
}
