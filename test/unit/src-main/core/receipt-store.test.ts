import canonicalize from 'canonicalize';
import { generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyReceipt } from '../../../../src-main/core/receipt-store';
import type { ReceiptKey, SignedReceipt } from '../../../../src-shared/contract';

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
const key: ReceiptKey = { keyId: 'k1', algorithm: 'Ed25519', publicKey: raw.toString('base64') };

function signed(body: SignedReceipt['receipt']): SignedReceipt {
  const signature = sign(null, Buffer.from(canonicalize(body)!, 'utf8'), privateKey).toString('base64');
  return { receipt: body, keyId: 'k1', signature };
}

const body: SignedReceipt['receipt'] = {
  version: 1,
  campaignId: 'demo',
  dossier: 'DEMO-00001',
  lastName: 'Martin',
  firstName: 'Léa',
  closedAt: '2027-04-27T10:00:00.000Z',
  documents: [{ pieceId: 'identite', filename: 'carte.jpg', sha256: 'a'.repeat(64), bytes: 1000 }],
};

describe('receipt verification (Ed25519 over RFC 8785)', () => {
  it('accepts a genuine receipt whatever the order of its keys', () => {
    const reordered = JSON.parse(JSON.stringify({ ...signed(body) }));
    reordered.receipt = Object.fromEntries(Object.entries(reordered.receipt).reverse());
    expect(verifyReceipt(reordered, key)).toBe(true);
  });

  it.each([
    ['a changed document list', (r: SignedReceipt) => ({ ...r, receipt: { ...r.receipt, documents: [] } })],
    ['a changed closing time', (r: SignedReceipt) => ({ ...r, receipt: { ...r.receipt, closedAt: '2027-04-28T10:00:00.000Z' } })],
    ['another key id', (r: SignedReceipt) => ({ ...r, keyId: 'k2' })],
    ['a garbled signature', (r: SignedReceipt) => ({ ...r, signature: 'AAAA' })],
  ])('refuses %s', (_name, tamper) => {
    expect(verifyReceipt(tamper(signed(body)), key)).toBe(false);
  });

  it('refuses a key that is not a 32-byte Ed25519 key', () => {
    expect(verifyReceipt(signed(body), { ...key, publicKey: Buffer.alloc(31).toString('base64') })).toBe(false);
  });
});
