/**
 * Password hashes: scrypt at an OWASP-recommended cost. OWASP lists equivalent settings; we take
 * N=2^15, r=8, p=3 (32 MiB per hash) rather than N=2^17, p=1 (128 MiB) so that a login rush
 * on the last night cannot exhaust the server's memory. Format (what `hash-password` prints and
 * campaign files may carry): `scrypt$ln=15,r=8,p=3$SALT$HASH`, SALT and HASH in base64.
 */
import { randomBytes, scrypt as scryptCb, timingSafeEqual, createHash, type ScryptOptions } from 'node:crypto';

export interface ScryptCost {
  /** log2 of N. */
  ln: number;
  r: number;
  p: number;
}

export const OWASP_SCRYPT: ScryptCost = { ln: 15, r: 8, p: 3 };
const KEY_LENGTH = 32;

function scrypt(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  const options: ScryptOptions = {
    N: 2 ** cost.ln,
    r: cost.r,
    p: cost.p,
    maxmem: 128 * 2 ** cost.ln * cost.r * 2 + 1024 * 1024,
  };
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, cost: ScryptCost = OWASP_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, cost);
  return `scrypt$ln=${cost.ln},r=${cost.r},p=${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

interface ParsedHash {
  cost: ScryptCost;
  salt: Buffer;
  key: Buffer;
}

export function parsePasswordHash(text: string): ParsedHash | null {
  const m = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(text);
  if (!m) return null;
  const cost = { ln: Number(m[1]), r: Number(m[2]), p: Number(m[3]) };
  // Bounds keep a hostile campaign file from asking for gigabytes of memory per login.
  if (cost.ln < 1 || cost.ln > 20 || cost.r < 1 || cost.r > 32 || cost.p < 1 || cost.p > 16) return null;
  const salt = Buffer.from(m[4]!, 'base64');
  const key = Buffer.from(m[5]!, 'base64');
  if (salt.length < 8 || key.length < 16) return null;
  return { cost, salt, key };
}

export function isPasswordHash(text: string): boolean {
  return parsePasswordHash(text) !== null;
}

/**
 * The secret one account checks against. A plain `password` (demo and test campaigns) still
 * costs one scrypt per attempt, so that timing tells nothing about which kind an account has,
 * nor whether it exists.
 */
export type Secret = { hash: string } | { plain: string };

const DUMMY_SALT = Buffer.alloc(16, 7);

export async function verifyPassword(secret: Secret | null, password: string, cost: ScryptCost): Promise<boolean> {
  if (secret && 'hash' in secret) {
    const parsed = parsePasswordHash(secret.hash);
    if (parsed) {
      const key = await scrypt(password, parsed.salt, parsed.cost);
      return key.length === parsed.key.length && timingSafeEqual(key, parsed.key);
    }
  }
  await scrypt(password, DUMMY_SALT, cost);
  if (secret && 'plain' in secret) {
    const a = createHash('sha256').update(password.normalize('NFC')).digest();
    const b = createHash('sha256').update(secret.plain.normalize('NFC')).digest();
    return timingSafeEqual(a, b);
  }
  return false;
}
