/**
 * PostgreSQL mode beyond the storage contract: document bytes in the database (chunked copy,
 * digest checked on the way in and on the way out, orphans swept only once old), the one
 * receipt key every server shares, and migrations run by servers starting together.
 */
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { buffer } from 'node:stream/consumers';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { migratePostgres, POSTGRES_MIGRATIONS } from '../../../../src-server/storage/migrations';
import { openPostgresStorage, type PostgresStorage } from '../../../../src-server/storage/postgres';
import { CHUNK_BYTES, PostgresBlobStore } from '../../../../src-server/storage/postgres-blobs';
import { sharedReceiptKeyPem } from '../../../../src-server/storage/postgres-receipt-key';
import { signerFromPem, verifyReceipt } from '../../../../src-server/receipts';
import { tempDir } from '../../../support/server-helpers';
import { postgresAvailable, startPostgres, type PostgresCluster } from '../../../support/postgres';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.runIf(postgresAvailable)(
  'PostgreSQL mode: bytes, receipt key, closure race, migrations',
  () => {
    let cluster: PostgresCluster;
    let storage: PostgresStorage;
    let blobs: PostgresBlobStore;
    const temps: { dir: string; remove(): void }[] = [];

    beforeAll(async () => {
      cluster = await startPostgres();
    });
    afterAll(async () => {
      await cluster?.stop();
      for (const t of temps) t.remove();
    });
    beforeEach(async () => {
      storage = await openPostgresStorage(await cluster.freshDatabaseUrl());
      const temp = tempDir('depot-pg-blobs-');
      temps.push(temp);
      blobs = new PostgresBlobStore(temp.dir, storage.pool);
      return () => storage.close();
    });

    /** Writes `bytes` as an upload's temporary file would be, then commits it. */
    async function store(id: string, bytes: Buffer, declared = sha(bytes)) {
      const tmp = path.join(temps.at(-1)!.dir, 'tmp', `${id}.part`);
      writeFileSync(tmp, bytes);
      await blobs.commit(tmp, id, declared);
      return tmp;
    }

    it('keeps bytes of several chunks exactly, and serves them back', async () => {
      const bytes = randomBytes(2 * CHUNK_BYTES + 12_345);
      await store('b1', bytes);
      expect(await blobs.size('b1')).toBe(bytes.length);
      expect(sha(await buffer(blobs.read('b1')))).toBe(sha(bytes));
      const { rows } = await storage.pool.query(
        'SELECT count(*)::int AS n FROM blob_chunks WHERE blob_id = $1',
        ['b1'],
      );
      expect(rows[0].n).toBe(3);
      await blobs.remove('b1');
      expect(await blobs.size('b1')).toBeNull();
      expect(
        (await storage.pool.query('SELECT 1 FROM blob_chunks WHERE blob_id = $1', ['b1'])).rowCount,
      ).toBe(0);
    });

    it('refuses to store bytes that are not the ones whose digest was checked', async () => {
      const bytes = randomBytes(1000);
      await expect(store('b2', bytes, sha(Buffer.from('other')))).rejects.toThrow(
        /changed after its digest/,
      );
      expect(await blobs.size('b2')).toBeNull();
    });

    it('never serves a damaged copy whole: the stream fails before its last chunk', async () => {
      const bytes = randomBytes(CHUNK_BYTES + 100);
      await store('b3', bytes);
      await storage.pool.query(
        "UPDATE blob_chunks SET data = overlay(data placing '\\x00'::bytea from 10) WHERE blob_id = 'b3' AND seq = 1",
      );
      const received: Buffer[] = [];
      const stream = blobs.read('b3');
      stream.on('data', (c: Buffer) => received.push(c));
      await expect(
        new Promise((resolve, reject) => stream.on('end', resolve).on('error', reject)),
      ).rejects.toThrow(/do not match their digest/);
      expect(Buffer.concat(received).length).toBeLessThan(bytes.length);
    });

    it('sweeps bytes without a document only once they are old: another server may be finishing', async () => {
      await store('young', randomBytes(10));
      await store('old', randomBytes(10));
      await store('kept', randomBytes(10));
      await storage.pool.query(
        "UPDATE blobs SET created_at = now() - interval '2 hours' WHERE id IN ('old', 'kept')",
      );
      await storage.addDocument(
        {
          id: 'kept',
          dossier: 'D-1',
          pieceId: 'p',
          filename: 'f.pdf',
          mediaType: 'application/pdf',
          bytes: 10,
          sha256: 'a'.repeat(64),
          uploadedAt: new Date(),
          late: false,
        },
        {
          campaignId: 'c',
          now: new Date(),
          deadline: new Date(Date.now() + 60_000),
          lateAllowed: false,
          single: false,
        },
      );
      expect(await blobs.sweep()).toBe(1);
      expect(await blobs.size('young')).toBe(10);
      expect(await blobs.size('old')).toBeNull();
      expect(await blobs.size('kept')).toBe(10);
    });

    it('gives every server the same receipt key, even when they start together', async () => {
      const pems = await Promise.all([1, 2, 3].map(() => sharedReceiptKeyPem(storage.pool)));
      expect(new Set(pems).size).toBe(1);
      const [a, b] = [signerFromPem(pems[0]!), signerFromPem(pems[1]!)];
      expect(a.publicKey).toEqual(b.publicKey);
      const body = {
        version: 1 as const,
        campaignId: 'c',
        dossier: 'D',
        lastName: 'N',
        firstName: 'P',
        closedAt: new Date().toISOString(),
        documents: [],
      };
      expect(verifyReceipt(a.sign(body), b.publicKey.publicKey)).toBe(true);
    });

    it('a closure decided on a snapshot yields to an upload committed meanwhile, and includes it', async () => {
      const T = new Date('2027-04-01T10:00:00Z');
      const rules = {
        campaignId: 'c',
        now: T,
        deadline: new Date('2027-05-01T00:00:00Z'),
        lateAllowed: false,
        single: false,
      };
      const doc = (id: string) => ({
        id,
        dossier: 'D-1',
        pieceId: 'p',
        filename: `${id}.pdf`,
        mediaType: 'application/pdf' as const,
        bytes: 1,
        sha256: id.repeat(64).slice(0, 64),
        uploadedAt: T,
        late: false,
      });
      await storage.addDocument(doc('a'), rules);
      // Another server's upload, mid-transaction: it holds the dossier row and a new document.
      const other = await storage.pool.connect();
      await other.query('BEGIN');
      await other.query("UPDATE dossiers SET version = version + 1 WHERE dossier = 'D-1'");
      await other.query(
        "INSERT INTO documents (id, dossier, piece_id, filename, media_type, bytes, sha256, uploaded_at, late) VALUES ('b', 'D-1', 'p', 'b.pdf', 'application/pdf', 1, $1, $2, false)",
        ['b'.repeat(64), new Date(T.getTime() + 1)],
      );
      const decisions: string[][] = [];
      const closing = storage.closeDossier('D-1', {
        campaignId: 'c',
        now: T,
        deadline: rules.deadline,
        blockingPieces: ['p'],
        buildReceipt: (_at, documents) => {
          decisions.push(documents.map((d) => d.id));
          return JSON.stringify(documents.map((d) => d.id));
        },
      });
      // The closure has read (without 'b') and now waits on the row; the upload commits.
      for (let waited = 0; ; waited += 20) {
        const { rowCount } = await storage.pool.query(
          "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'UPDATE dossiers SET closed_at%'",
        );
        if (rowCount) break;
        if (waited > 20_000) throw new Error('the closure never waited on the dossier row');
        await new Promise((r) => setTimeout(r, 20));
      }
      await other.query('COMMIT');
      other.release();
      const result = await closing;
      expect(decisions).toEqual([['a'], ['a', 'b']]);
      expect(result).toMatchObject({ kind: 'closed', receipt: JSON.stringify(['a', 'b']) });
      expect((await storage.getDossier('D-1'))?.documentsAtClosure).toBe(2);
    });

    it('migrates once when servers start together, then finds nothing to do', async () => {
      const url = await cluster.freshDatabaseUrl();
      const pools = [1, 2, 3].map(() => new pg.Pool({ connectionString: url, max: 2 }));
      try {
        const applied = await Promise.all(pools.map((p) => migratePostgres(p)));
        expect(applied.sort()).toEqual([0, 0, POSTGRES_MIGRATIONS.length]);
        expect(await migratePostgres(pools[0]!)).toBe(0);
        const { rows } = await pools[0]!.query(
          'SELECT version FROM schema_migrations ORDER BY version',
        );
        expect(rows.map((r: { version: number }) => r.version)).toEqual(
          POSTGRES_MIGRATIONS.map((m) => m.version),
        );
      } finally {
        await Promise.all(pools.map((p) => p.end()));
      }
    });

    it('refuses a database migrated by a newer server', async () => {
      const url = await cluster.freshDatabaseUrl();
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      try {
        await migratePostgres(pool);
        await pool.query(
          "INSERT INTO schema_migrations (version, name) VALUES (99, 'from the future')",
        );
        await expect(migratePostgres(pool)).rejects.toThrow(/newer than this server/);
      } finally {
        await pool.end();
      }
    });
  },
);
