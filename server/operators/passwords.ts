/** Operator passwords: scrypt with a random salt per password, compared in constant time. */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** Shortest password an operator may set (`DM_POLICY_ADMIN_PASSWORD` included). */
export const minPasswordLength = 12;
/** Longest password accepted anywhere, so that hashing stays cheap for every caller. */
export const maxPasswordLength = 256;

// The parameters travel with each hash, so raising them later keeps old hashes verifiable.
const cost = { N: 2 ** 15, r: 8, p: 1 };
const keyLength = 32;
const saltLength = 16;
const scheme = 'scrypt';

function derive(password: string, salt: Buffer, params: { N: number; r: number; p: number }): Promise<Buffer> {
  // scrypt needs 128 · N · r bytes; the default maxmem (32 MiB) is exactly that for N = 2^15.
  const options: ScryptOptions = { ...params, maxmem: 256 * params.N * params.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Hashes `password` into a self-describing string: `scrypt$N$r$p$<salt>$<key>` (base64url).
 * @example const stored = await hashPassword('correct horse battery'); await verifyPassword('correct horse battery', stored) // true
 */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(saltLength);
  const key = await derive(password, salt, cost);
  return [scheme, cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when `password` matches `stored`; a malformed `stored` never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== scheme) return false;
  const [N, r, p] = parts.slice(1, 4).map(Number);
  if (![N, r, p].every((n) => Number.isSafeInteger(n) && n > 0)) return false;
  const expected = Buffer.from(parts[5], 'base64url');
  const actual = await derive(password, Buffer.from(parts[4], 'base64url'), { N, r, p });
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

let decoy: Promise<string> | null = null;

/**
 * A hash no password matches, to verify against when the username is unknown: the answer then
 * takes as long as for a wrong password, so timing does not tell which usernames exist.
 */
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(32).toString('base64url'));
  return decoy;
}

/** A password for the first admin when none is configured: 144 random bits. */
export const generatePassword = () => randomBytes(18).toString('base64url');
