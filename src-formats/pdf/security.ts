/**
 * The PDF standard security handler (ISO 32000-2, 7.6.4), only as far as the engine needs:
 * does the empty user password open the file, and if so, what is the file key. A PDF with
 * an owner password only (permissions) opens without a password and must be accepted; one
 * with a user password must be refused. Self-contained on purpose (node:crypto only): the
 * server's PDF check (src-server/pdf-check.ts) uses it too.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';

export interface StandardSecurity {
  /** /Filter: only "Standard" can be opened without a certificate. */
  filter: string;
  /** /V, /R */
  v: number;
  r: number;
  /** /Length in bits (R2: 40). */
  lengthBits: number;
  o: Uint8Array;
  u: Uint8Array;
  /** /OE and /UE (R6 only). */
  oe?: Uint8Array;
  ue?: Uint8Array;
  p: number;
  encryptMetadata: boolean;
  /** First element of the trailer /ID (empty when absent). */
  id0: Uint8Array;
  /** Crypt filter method of streams and strings: 'RC4', 'AESV2', 'AESV3', or 'Identity'. */
  streamMethod: string;
  stringMethod: string;
}

const PADDING = Uint8Array.from([
  0x28, 0xbf, 0x4e, 0x5e, 0x4e, 0x75, 0x8a, 0x41, 0x64, 0x00, 0x4e, 0x56, 0xff, 0xfa, 0x01, 0x08, 0x2e, 0x2e, 0x00, 0xb6,
  0xd0, 0x68, 0x3e, 0x80, 0x2f, 0x0c, 0xa9, 0xfe, 0x64, 0x53, 0x69, 0x7a,
]);

function md5(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('md5');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

/** RC4 is not in OpenSSL 3's default provider, and it is a dozen lines. */
export function rc4(key: Uint8Array, data: Uint8Array): Uint8Array {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = new Uint8Array(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

function int32le(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setInt32(0, value, true);
  return out;
}

/** Algorithm 2: the file key from a (padded) user password, revisions 2 to 4. */
function legacyFileKey(sec: StandardSecurity, password: Uint8Array): Uint8Array {
  const padded = new Uint8Array(32);
  padded.set(password.subarray(0, 32));
  padded.set(PADDING.subarray(0, 32 - Math.min(32, password.length)), Math.min(32, password.length));
  const n = sec.r === 2 ? 5 : Math.max(5, Math.min(16, Math.floor(sec.lengthBits / 8)));
  const parts = [padded, sec.o.subarray(0, 32), int32le(sec.p), sec.id0];
  if (sec.r >= 4 && !sec.encryptMetadata) parts.push(Uint8Array.from([0xff, 0xff, 0xff, 0xff]));
  let key = md5(...parts);
  if (sec.r >= 3) for (let i = 0; i < 50; i++) key = md5(key.subarray(0, n));
  return key.subarray(0, n);
}

/** Algorithms 4 and 5: does this key reproduce /U? */
function legacyUserKeyMatches(sec: StandardSecurity, key: Uint8Array): boolean {
  if (sec.r === 2) return equal(rc4(key, PADDING), sec.u.subarray(0, 32));
  let x = rc4(key, md5(PADDING, sec.id0));
  for (let i = 1; i <= 19; i++) x = rc4(key.map((b) => b ^ i), x);
  return equal(x.subarray(0, 16), sec.u.subarray(0, 16));
}

/** Algorithm 2.B (revision 6): the hardened hash of a password with a salt. */
function hash2B(password: Uint8Array, salt: Uint8Array, userKey: Uint8Array): Uint8Array {
  let k = new Uint8Array(createHash('sha256').update(password).update(salt).update(userKey).digest());
  for (let round = 0; ; round++) {
    const unit = new Uint8Array(password.length + k.length + userKey.length);
    unit.set(password, 0);
    unit.set(k, password.length);
    unit.set(userKey, password.length + k.length);
    const k1 = new Uint8Array(unit.length * 64);
    for (let i = 0; i < 64; i++) k1.set(unit, i * unit.length);
    const cipher = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32));
    cipher.setAutoPadding(false);
    const e = new Uint8Array(Buffer.concat([cipher.update(k1), cipher.final()]));
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i]!;
    const algorithm = ['sha256', 'sha384', 'sha512'][sum % 3]!;
    k = new Uint8Array(createHash(algorithm).update(e).digest());
    if (round >= 63 && e[e.length - 1]! <= round - 31) break;
  }
  return k.subarray(0, 32);
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * The file key when `password` (UTF-8 for revisions 5-6, Latin-1 bytes before) is the user
 * password; undefined when it is not (or the handler is not the standard one).
 */
export function fileKeyForUserPassword(sec: StandardSecurity, password: Uint8Array): Uint8Array | undefined {
  if (sec.filter !== 'Standard') return undefined;
  if (sec.r >= 2 && sec.r <= 4) {
    const key = legacyFileKey(sec, password);
    return legacyUserKeyMatches(sec, key) ? key : undefined;
  }
  if (sec.r === 5 || sec.r === 6) {
    if (sec.u.length < 48) return undefined;
    const pw = password.subarray(0, 127);
    const empty = new Uint8Array(0);
    const hash = sec.r === 6 ? hash2B : (p: Uint8Array, s: Uint8Array) => new Uint8Array(createHash('sha256').update(p).update(s).digest());
    if (!equal(hash(pw, sec.u.subarray(32, 40), empty), sec.u.subarray(0, 32))) return undefined;
    if (!sec.ue || sec.ue.length < 32) return undefined;
    const intermediate = hash(pw, sec.u.subarray(40, 48), empty);
    const decipher = createDecipheriv('aes-256-cbc', intermediate, Buffer.alloc(16));
    decipher.setAutoPadding(false);
    return new Uint8Array(Buffer.concat([decipher.update(sec.ue.subarray(0, 32)), decipher.final()]));
  }
  return undefined;
}

/** The file key when the empty user password opens the file (an owner password at most). */
export function fileKeyWithoutPassword(sec: StandardSecurity): Uint8Array | undefined {
  return fileKeyForUserPassword(sec, new Uint8Array(0));
}

/** True when the file opens without a password (an owner password at most). */
export function opensWithoutPassword(sec: StandardSecurity): boolean {
  return fileKeyWithoutPassword(sec) !== undefined;
}

/**
 * Decrypts one string or stream of object (num, gen) once the file key is known
 * (Algorithm 1 for RC4/AESV2; AESV3 uses the file key as it is).
 */
export function decryptObjectData(
  sec: StandardSecurity,
  fileKey: Uint8Array,
  method: string,
  num: number,
  gen: number,
  data: Uint8Array,
): Uint8Array {
  if (method === 'Identity' || method === 'None') return data;
  let key = fileKey;
  if (method !== 'AESV3') {
    const salt = new Uint8Array(method === 'AESV2' ? 9 : 5);
    salt.set([num & 0xff, (num >> 8) & 0xff, (num >> 16) & 0xff, gen & 0xff, (gen >> 8) & 0xff]);
    if (method === 'AESV2') salt.set([0x73, 0x41, 0x6c, 0x54], 5); // "sAlT"
    key = md5(fileKey, salt).subarray(0, Math.min(16, fileKey.length + 5));
  }
  if (method === 'RC4' || method === 'V2') return rc4(key, data);
  if (data.length < 32 || data.length % 16 !== 0) return new Uint8Array(0);
  const decipher = createDecipheriv(method === 'AESV3' ? 'aes-256-cbc' : 'aes-128-cbc', key, data.subarray(0, 16));
  try {
    return new Uint8Array(Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]));
  } catch {
    // Bad padding: the wrong key or damaged data. (The decipher cannot be reused after
    // final(), so there is nothing more to try.)
    return new Uint8Array(0);
  }
}
