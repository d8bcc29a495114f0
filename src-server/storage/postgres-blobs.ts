/**
 * Document bytes in PostgreSQL, so that every API server behind the load balancer can serve
 * every document. The upload path is the one of the disk store (blobs.ts): the body streams to
 * a local temporary file, digest and size checked on the way; `commit` then copies that file
 * into the database in 256 KiB chunks, within one transaction, re-hashing what it copies, so
 * the bytes are durable (committed) before the document row is, as on disk. Reading re-checks
 * size and SHA-256 before the last chunk leaves: a damaged copy is cut short, never served
 * whole as if it were right.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import type pg from 'pg';
import { BlobStore } from '../blobs';
import { inTransaction } from './postgres';

export const CHUNK_BYTES = 256 * 1024;

/**
 * Bytes committed without a document row (a server stopped between the two commits) are
 * removed at start once this old: any younger may belong to an upload another server is
 * finishing right now.
 */
const ORPHAN_GRACE_MS = 60 * 60 * 1000;

export class PostgresBlobStore extends BlobStore {
  /** `tmpRoot`: a local folder of this server only, for uploads in flight. */
  constructor(
    tmpRoot: string,
    private readonly pool: pg.Pool,
  ) {
    super(tmpRoot);
  }

  override async commit(tmpPath: string, id: string, sha256?: string): Promise<void> {
    const file = await open(tmpPath, 'r');
    try {
      await inTransaction(this.pool, async (client) => {
        const hash = createHash('sha256');
        let bytes = 0;
        let seq = 0;
        await client.query('INSERT INTO blobs (id, bytes, sha256, chunks) VALUES ($1, 0, $2, 0)', [id, '0'.repeat(64)]);
        for (;;) {
          const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
          const { bytesRead } = await file.read(buffer, 0, CHUNK_BYTES, bytes);
          if (bytesRead === 0) break;
          const chunk = buffer.subarray(0, bytesRead);
          hash.update(chunk);
          bytes += bytesRead;
          await client.query('INSERT INTO blob_chunks (blob_id, seq, data) VALUES ($1, $2, $3)', [id, seq++, chunk]);
        }
        const digest = hash.digest('hex');
        if (sha256 !== undefined && digest !== sha256)
          throw new Error(`blob ${id}: the temporary file changed after its digest was checked`);
        await client.query('UPDATE blobs SET bytes = $2, sha256 = $3, chunks = $4 WHERE id = $1', [id, bytes, digest, seq]);
      });
    } finally {
      await file.close();
    }
    await this.discardTemp(tmpPath);
  }

  override async remove(id: string): Promise<void> {
    await this.pool.query('DELETE FROM blobs WHERE id = $1', [id]);
  }

  override async size(id: string): Promise<number | null> {
    const { rows } = await this.pool.query<{ bytes: string }>('SELECT bytes FROM blobs WHERE id = $1', [id]);
    return rows[0] ? Number(rows[0].bytes) : null;
  }

  override read(id: string): Readable {
    const pool = this.pool;
    async function* chunks(): AsyncGenerator<Buffer> {
      const { rows } = await pool.query<{ bytes: string; sha256: string; chunks: number }>(
        'SELECT bytes, sha256, chunks FROM blobs WHERE id = $1',
        [id],
      );
      const meta = rows[0];
      if (!meta) throw new Error(`blob ${id} not found`);
      const hash = createHash('sha256');
      let bytes = 0;
      // One chunk per query: memory stays at one chunk whatever the document's size, and a
      // slow client holds no database connection between chunks.
      for (let seq = 0; seq < meta.chunks; seq++) {
        const part = await pool.query<{ data: Buffer }>('SELECT data FROM blob_chunks WHERE blob_id = $1 AND seq = $2', [id, seq]);
        const data = part.rows[0]?.data;
        if (!data) throw new Error(`blob ${id}: chunk ${seq} missing`);
        hash.update(data);
        bytes += data.length;
        if (seq === meta.chunks - 1 && (bytes !== Number(meta.bytes) || hash.digest('hex') !== meta.sha256))
          throw new Error(`blob ${id}: stored bytes do not match their digest`);
        yield data;
      }
    }
    return Readable.from(chunks(), { objectMode: false });
  }

  /** Local temporary files of this server, and old bytes no document row names. */
  override async sweep(): Promise<number> {
    const local = await super.sweep(new Set());
    const { rowCount } = await this.pool.query(
      `DELETE FROM blobs b WHERE b.created_at < now() - make_interval(secs => $1)
         AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.id = b.id)`,
      [ORPHAN_GRACE_MS / 1000],
    );
    return local + (rowCount ?? 0);
  }
}
