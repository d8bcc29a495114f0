/**
 * The PDF standard security handler (ISO 32000-2, 7.6.4), just far enough to answer one
 * question: does the file open with the empty user password? A file with an owner password
 * only ("permissions" password) does, and readers open it without asking anything; a file
 * with a user password does not. pdf-lib refuses every encrypted file alike, hence this.
 *
 * Revisions 2-4 (RC4 and AES-128, MD5 key derivation, algorithms 2, 4 and 5), revision 5
 * (Adobe's deprecated AES-256 with plain SHA-256) and revision 6 (AES-256, hash algorithm 2.B).
 * When the empty password opens the file we also get the file key, and use it to look inside
 * the encrypted object streams for active content.
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import {
  PDFArray,
  PDFBool,
  PDFDict,
  PDFHexString,
  PDFInvalidObject,
  PDFName,
  PDFNumber,
  PDFString,
  type PDFDocument,
  type PDFObject,
  type PDFRef,
} from 'pdf-lib';

const PASSWORD_PADDING = Buffer.from(
  '28bf4e5e4e758a4164004e56fffa01082e2e00b6d0683e802f0ca9fe6453697a',
  'hex',
);

export type UserPasswordResult =
  | { kind: 'opens'; fileKey: Buffer; cipher: StreamCipher }
  | { kind: 'needs_password' }
  | { kind: 'unsupported' };

type StreamCipher = 'rc4' | 'aes128' | 'aes256' | 'identity';

/** RC4, which OpenSSL 3 no longer offers by default; tiny and only used to check a password. */
export function rc4(key: Buffer, data: Buffer): Buffer {
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
  }
  const out = Buffer.alloc(data.length);
  for (let n = 0, i = 0, j = 0; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    [s[i], s[j]] = [s[j]!, s[i]!];
    out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}

function bytesOf(value: PDFObject | undefined): Buffer | null {
  if (value instanceof PDFString || value instanceof PDFHexString) return Buffer.from(value.asBytes());
  return null;
}

function numberOf(value: PDFObject | undefined): number | null {
  return value instanceof PDFNumber ? value.asNumber() : null;
}

function md5(...parts: Buffer[]): Buffer {
  const h = createHash('md5');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** Algorithm 2: the file key from a password, revisions 2 to 4. */
function legacyFileKey(
  password: Buffer,
  enc: { o: Buffer; p: number; r: number; keyBytes: number; encryptMetadata: boolean },
  id0: Buffer,
): Buffer {
  const padded = Buffer.concat([password.subarray(0, 32), PASSWORD_PADDING]).subarray(0, 32);
  const p = Buffer.alloc(4);
  p.writeInt32LE(enc.p | 0);
  const parts = [padded, enc.o.subarray(0, 32), p, id0];
  if (enc.r >= 4 && !enc.encryptMetadata) parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  let hash = md5(...parts);
  if (enc.r >= 3) for (let i = 0; i < 50; i++) hash = md5(hash.subarray(0, enc.keyBytes));
  return hash.subarray(0, enc.keyBytes);
}

/** Algorithms 4 and 5: the U value a key would produce, compared as the spec says. */
function legacyUserMatches(key: Buffer, u: Buffer, r: number, id0: Buffer): boolean {
  if (r === 2) return rc4(key, PASSWORD_PADDING).equals(u.subarray(0, 32));
  let x = rc4(key, md5(PASSWORD_PADDING, id0));
  for (let i = 1; i <= 19; i++) {
    const k = Buffer.from(key.map((b) => b ^ i));
    x = rc4(k, x);
  }
  return x.equals(u.subarray(0, 16));
}

/** Algorithm 2.B (revision 6): SHA-256/384/512 rounds chosen by AES-128 output. */
export function hash2B(password: Buffer, salt: Buffer, userKey: Buffer): Buffer {
  let k = createHash('sha256').update(password).update(salt).update(userKey).digest();
  let e = Buffer.alloc(0);
  for (let round = 0; round < 64 || e[e.length - 1]! > round - 32; round++) {
    const k1 = Buffer.concat(Array(64).fill(Buffer.concat([password, k, userKey])) as Buffer[]);
    const cipher = createCipheriv('aes-128-cbc', k.subarray(0, 16), k.subarray(16, 32));
    cipher.setAutoPadding(false);
    e = Buffer.concat([cipher.update(k1), cipher.final()]);
    let sum = 0;
    for (let i = 0; i < 16; i++) sum += e[i]!;
    const algorithm = ['sha256', 'sha384', 'sha512'][sum % 3]!;
    k = createHash(algorithm).update(e).digest();
  }
  return k.subarray(0, 32);
}

function aes256FileKey(r: number, u: Buffer, ue: Buffer, password: Buffer): Buffer | null {
  const validationSalt = u.subarray(32, 40);
  const keySalt = u.subarray(40, 48);
  const hash = (salt: Buffer) =>
    r === 5 ? createHash('sha256').update(password).update(salt).digest() : hash2B(password, salt, Buffer.alloc(0));
  if (!hash(validationSalt).equals(u.subarray(0, 32))) return null;
  const decipher = createDecipheriv('aes-256-cbc', hash(keySalt), Buffer.alloc(16));
  decipher.setAutoPadding(false);
  return Buffer.concat([decipher.update(ue.subarray(0, 32)), decipher.final()]);
}

function streamCipherOf(dict: PDFDict, v: number): StreamCipher | null {
  if (v === 1 || v === 2) return 'rc4';
  if (v === 5) return 'aes256';
  if (v !== 4) return null;
  const stmF = dict.get(PDFName.of('StmF'));
  const filterName = stmF instanceof PDFName ? stmF.decodeText() : 'Identity';
  if (filterName === 'Identity') return 'identity';
  const cf = dict.get(PDFName.of('CF'));
  const filter = cf instanceof PDFDict ? cf.get(PDFName.of(filterName)) : undefined;
  const cfm = filter instanceof PDFDict ? filter.get(PDFName.of('CFM')) : undefined;
  const method = cfm instanceof PDFName ? cfm.decodeText() : 'None';
  if (method === 'V2') return 'rc4';
  if (method === 'AESV2') return 'aes128';
  if (method === 'None') return 'identity';
  return null;
}

/**
 * Whether `password` (empty unless a test gives one) opens the file as its user password. The
 * password is taken as bytes: UTF-8 for revision 6 (SASLprep is the identity on ASCII),
 * Latin-1 before.
 */
export function emptyUserPasswordOpens(doc: PDFDocument, password = ''): UserPasswordResult {
  const ctx = doc.context;
  const enc = ctx.lookup(ctx.trailerInfo.Encrypt);
  if (!(enc instanceof PDFDict)) return { kind: 'unsupported' };
  const filter = enc.get(PDFName.of('Filter'));
  if (!(filter instanceof PDFName) || filter.decodeText() !== 'Standard') return { kind: 'unsupported' };
  const v = numberOf(enc.get(PDFName.of('V'))) ?? 0;
  const r = numberOf(enc.get(PDFName.of('R')));
  const o = bytesOf(enc.get(PDFName.of('O')));
  const u = bytesOf(enc.get(PDFName.of('U')));
  const p = numberOf(enc.get(PDFName.of('P')));
  const cipher = streamCipherOf(enc, v);
  if (r === null || !o || !u || p === null || !cipher) return { kind: 'unsupported' };

  if (r === 5 || r === 6) {
    const ue = bytesOf(enc.get(PDFName.of('UE')));
    if (u.length < 48 || !ue || ue.length < 32) return { kind: 'unsupported' };
    const fileKey = aes256FileKey(r, u, ue, Buffer.from(password, 'utf8').subarray(0, 127));
    return fileKey ? { kind: 'opens', fileKey, cipher } : { kind: 'needs_password' };
  }
  if (r < 2 || r > 4 || o.length < 32 || u.length < 32) return { kind: 'unsupported' };
  const idArray = ctx.lookup(ctx.trailerInfo.ID);
  const id0 = idArray instanceof PDFArray ? bytesOf(idArray.get(0)) : null;
  const lengthBits = r === 2 ? 40 : (numberOf(enc.get(PDFName.of('Length'))) ?? 40);
  const keyBytes = Math.min(16, Math.max(5, Math.floor(lengthBits / 8)));
  const encryptMetadataValue = enc.get(PDFName.of('EncryptMetadata'));
  const encryptMetadata = encryptMetadataValue instanceof PDFBool ? encryptMetadataValue.asBoolean() : true;
  const fileKey = legacyFileKey(Buffer.from(password, 'latin1'), { o, p, r, keyBytes, encryptMetadata }, id0 ?? Buffer.alloc(0));
  return legacyUserMatches(fileKey, u, r, id0 ?? Buffer.alloc(0))
    ? { kind: 'opens', fileKey, cipher }
    : { kind: 'needs_password' };
}

/** Algorithm 1: the key that encrypts one object's strings and streams. */
function objectKey(fileKey: Buffer, cipher: StreamCipher, ref: PDFRef): Buffer {
  if (cipher === 'aes256') return fileKey;
  const suffix = Buffer.alloc(5);
  suffix.writeUIntLE(ref.objectNumber, 0, 3);
  suffix.writeUInt16LE(ref.generationNumber, 3);
  const parts = [fileKey, suffix];
  if (cipher === 'aes128') parts.push(Buffer.from('sAlT', 'latin1'));
  return md5(...parts).subarray(0, Math.min(fileKey.length + 5, 16));
}

function decryptStream(data: Buffer, key: Buffer, cipher: StreamCipher): Buffer {
  if (cipher === 'identity') return data;
  if (cipher === 'rc4') return rc4(key, data);
  const algorithm = cipher === 'aes256' ? 'aes-256-cbc' : 'aes-128-cbc';
  const decipher = createDecipheriv(algorithm, key, data.subarray(0, 16));
  return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]);
}

const ACTIVE_TOKENS = /\/(JavaScript|JS|Launch|EmbeddedFiles?|EF|GoToE|RichMedia\w*|XFA|ImportData)(?![A-Za-z0-9#])/;
const MAX_INFLATED = 64 * 1024 * 1024;

/**
 * pdf-lib cannot parse an encrypted object stream, and leaves it as an invalid object. With
 * the file key we decrypt and inflate each one and look for the names that introduce active
 * content. Anything else pdf-lib could not parse makes the file unreadable for us: corrupt.
 */
export function scanEncryptedObjectStreams(doc: PDFDocument, fileKey: Buffer): 'clean' | 'active' | 'corrupt' {
  const result = emptyUserPasswordOpens(doc);
  if (result.kind !== 'opens') return 'corrupt';
  for (const [ref, object] of doc.context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFInvalidObject)) continue;
    const raw = Buffer.from((object as unknown as { data: Uint8Array }).data);
    const streamAt = raw.indexOf('stream', 0, 'latin1');
    if (streamAt < 0) return 'corrupt';
    const dictText = raw.subarray(0, streamAt).toString('latin1');
    if (!/\/Type\s*\/ObjStm\b/.test(dictText)) return 'corrupt';
    const length = /\/Length\s+(\d+)(?!\s+\d+\s+R)/.exec(dictText);
    if (!length) return 'corrupt';
    let start = streamAt + 'stream'.length;
    if (raw[start] === 0x0d) start++;
    if (raw[start] === 0x0a) start++;
    const data = raw.subarray(start, start + Number(length[1]));
    try {
      const plain = decryptStream(data, objectKey(fileKey, result.cipher, ref), result.cipher);
      const inflated = /\/Filter\s*\/FlateDecode\b/.test(dictText)
        ? inflateSync(plain, { maxOutputLength: MAX_INFLATED })
        : plain;
      if (ACTIVE_TOKENS.test(inflated.toString('latin1'))) return 'active';
    } catch {
      return 'corrupt';
    }
  }
  return 'clean';
}
