/**
 * Closure receipts: Ed25519 over the RFC 8785 (JCS) canonical JSON of the receipt body, so
 * anyone holding the public key (GET /keys/receipt) can check a receipt years later, whatever
 * JSON library re-serialised it. The key pair is made on first start and kept in the data
 * folder (private key file readable by the server's user only).
 */
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import path from 'node:path';
import canonicalize from 'canonicalize';
import type { ReceiptBody, ReceiptKey, SignedReceipt } from '../src-shared/contract';

export interface ReceiptSigner {
  readonly publicKey: ReceiptKey;
  sign(body: ReceiptBody): SignedReceipt;
}

const KEY_FILE = 'receipt-key.pem';

function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  return Buffer.from(jwk.x!, 'base64url');
}

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value cannot be canonicalised');
  return text;
}

function loadOrCreateKey(dataDir: string): KeyObject {
  const file = path.join(dataDir, KEY_FILE);
  try {
    return createPrivateKey(readFileSync(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, pem);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return privateKey;
}

/** A new private key, as PEM (PKCS#8), for a store other than the data folder. */
export function newReceiptKeyPem(): string {
  return generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

export function receiptSigner(dataDir: string): ReceiptSigner {
  return signerFromKey(loadOrCreateKey(dataDir));
}

/** Signs with a given private key (PEM), e.g. the one every server reads from PostgreSQL. */
export function signerFromPem(pem: string): ReceiptSigner {
  return signerFromKey(createPrivateKey(pem));
}

function signerFromKey(privateKey: KeyObject): ReceiptSigner {
  const raw = rawPublicKey(createPublicKey(privateKey));
  const keyId = `ed25519-${createHash('sha256').update(raw).digest('hex').slice(0, 16)}`;
  return {
    publicKey: { keyId, algorithm: 'Ed25519', publicKey: raw.toString('base64') },
    sign(body) {
      const signature = sign(null, Buffer.from(canonicalJson(body), 'utf8'), privateKey);
      return { receipt: body, keyId, signature: signature.toString('base64') };
    },
  };
}

/** Checks an envelope against a public key as GET /keys/receipt gives it. */
export function verifyReceipt(envelope: SignedReceipt, publicKeyBase64: string): boolean {
  const key = createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(publicKeyBase64, 'base64').toString('base64url') },
    format: 'jwk',
  });
  return verify(
    null,
    Buffer.from(canonicalJson(envelope.receipt), 'utf8'),
    key,
    Buffer.from(envelope.signature, 'base64'),
  );
}
