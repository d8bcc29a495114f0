/** Checks a signed receipt the way anyone outside would: the server's public key, JCS, Ed25519. */
import { createPublicKey, verify } from 'node:crypto';
import canonicalize from 'canonicalize';
import type { SignedReceipt } from '../../src-shared/contract';

/** The DER prefix of an Ed25519 SubjectPublicKeyInfo, before the 32 raw bytes. */
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export async function receiptVerifies(apiUrl: string, receipt: SignedReceipt): Promise<boolean> {
  const key = (await (await fetch(`${apiUrl}/api/v1/keys/receipt`)).json()) as { keyId: string; publicKey: string };
  if (key.keyId !== receipt.keyId) return false;
  const publicKey = createPublicKey({
    key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(key.publicKey, 'base64')]),
    format: 'der',
    type: 'spki',
  });
  return verify(null, Buffer.from(canonicalize(receipt.receipt)!), publicKey, Buffer.from(receipt.signature, 'base64'));
}
