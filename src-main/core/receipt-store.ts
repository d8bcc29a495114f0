/**
 * The closure receipt kept on this computer (design.md: "no proof of closure when the portal
 * later loses data"): the signed JSON and the printable PDF in the dossier's folder, and the
 * server's receipt key as first seen, so that a receipt can be checked even offline and a key
 * swapped later on the server cannot vouch for a forged receipt.
 */
import canonicalize from 'canonicalize';
import { createPublicKey, verify } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { ReceiptKey, SignedReceipt } from '../../src-shared/contract';
import { writeDurably } from './durable-file';

/** DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): the raw 32-byte key follows. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** Whether `signed` carries a valid Ed25519 signature by `key` over the RFC 8785 form of its body. */
export function verifyReceipt(signed: SignedReceipt, key: ReceiptKey): boolean {
  try {
    if (key.algorithm !== 'Ed25519' || signed.keyId !== key.keyId) return false;
    const raw = Buffer.from(key.publicKey, 'base64');
    if (raw.length !== 32) return false;
    const publicKey = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
    const text = canonicalize(signed.receipt);
    if (text === undefined) return false;
    return verify(null, Buffer.from(text, 'utf8'), publicKey, Buffer.from(signed.signature, 'base64'));
  } catch {
    return false;
  }
}

export class ReceiptStore {
  /** `dir`: the dossier's folder; `keysFile`: the keys of the server, shared by its dossiers. */
  constructor(
    private readonly dir: string,
    private readonly keysFile: string,
  ) {}

  private file(name: string): string {
    return path.join(this.dir, name);
  }

  async saveReceipt(signed: SignedReceipt): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeDurably(this.file('receipt.json'), Buffer.from(JSON.stringify(signed, null, 2)));
  }

  async receipt(): Promise<SignedReceipt | null> {
    return readJson<SignedReceipt>(this.file('receipt.json'));
  }

  async savePdf(bytes: Uint8Array): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    await writeDurably(this.file('receipt.pdf'), bytes);
  }

  async pdf(): Promise<Uint8Array | null> {
    return readFile(this.file('receipt.pdf')).then((b) => new Uint8Array(b), () => null);
  }

  /** Keys by id, as first seen (trust on first use). */
  async knownKey(keyId: string): Promise<ReceiptKey | null> {
    const keys = (await readJson<Record<string, ReceiptKey>>(this.keysFile)) ?? {};
    return keys[keyId] ?? null;
  }

  async rememberKey(key: ReceiptKey): Promise<void> {
    const keys = (await readJson<Record<string, ReceiptKey>>(this.keysFile)) ?? {};
    if (keys[key.keyId]) return;
    keys[key.keyId] = key;
    await mkdir(path.dirname(this.keysFile), { recursive: true });
    await writeDurably(this.keysFile, Buffer.from(JSON.stringify(keys, null, 2)));
  }
}

async function readJson<T>(file: string): Promise<T | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as T;
  } catch {
    return null;
  }
}
