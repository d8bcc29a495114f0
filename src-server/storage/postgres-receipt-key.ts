/**
 * The receipt signing key, one for every server on the database: the first server to start
 * stores a new key, every other one reads that key. A receipt signed by any server then checks
 * against the one public key GET /keys/receipt gives.
 */
import type pg from 'pg';
import { newReceiptKeyPem } from '../receipts';

export async function sharedReceiptKeyPem(pool: pg.Pool): Promise<string> {
  // Two servers starting together both try; the primary key keeps the first, both read it.
  await pool.query('INSERT INTO receipt_key (id, private_key_pem) VALUES (1, $1) ON CONFLICT (id) DO NOTHING', [
    newReceiptKeyPem(),
  ]);
  const { rows } = await pool.query<{ private_key_pem: string }>('SELECT private_key_pem FROM receipt_key WHERE id = 1');
  return rows[0]!.private_key_pem;
}
