/**
 * PostgreSQL storage (node-postgres Pool), for several API servers on one database.
 *
 * Concurrency: READ COMMITTED plus a row lock on the dossier row (`UPDATE ... RETURNING`, which
 * also counts the change in `version`), taken first by every operation that changes a dossier.
 * Every such operation touches exactly one dossier, so this lock serialises exactly the
 * operations that can conflict (an upload racing a closure on the same dossier) and nothing
 * else: no retry loop, no serialization failures between unrelated dossiers under a rush
 * (SERIALIZABLE's predicate locks can produce those on shared index pages), and no deadlock,
 * since each transaction takes one row lock and takes it before anything else. Under READ
 * COMMITTED each statement after the lock sees every transaction committed before it, so the
 * rules are checked against the latest state.
 *
 * Closure, the rush of the last night, first tries a quicker way (closeOnSnapshot: decide on
 * one consistent read, write only if `version` has not moved, which PostgreSQL re-checks on
 * the latest row version) and falls back to the lock when the dossier changed in between.
 *
 * Deadline: decided in JavaScript by ../dossier-rules (hence src-shared/deadline), inside the
 * transaction and after the row lock, against `rules.now`, the API server's clock when the
 * request arrived. Not in SQL against the database's now(): the lock already makes the
 * decision atomic with the write, and one rule on one clock keeps SQLite, PostgreSQL and the
 * upload route's early refusal from ever disagreeing at midnight.
 *
 * Durability: the server's defaults (fsync on, synchronous_commit on), so an answered write
 * has reached the database's disk.
 */
import type pg from 'pg';
import {
  admitDocument,
  admitReplacement,
  closureOf,
  closureWithoutDocuments,
  deletionRefusal,
} from '../dossier-rules';
import { searchKey } from '../../src-shared/search';
import { countQuery, countsOf, listQuery, PIECES_OF_PAGE, type CountRow, type ListDialect } from './list-query';
import { migratePostgres } from './migrations';
import { rowMappers } from './rows';
import type * as Rows from './rows';
import type {
  AddDocumentResult,
  PurgeReport,
  ReviewResult,
  CloseResult,
  CloseRules,
  DeleteDocumentResult,
  LoginAdmission,
  SessionRecord,
  Storage,
  StoredDocument,
} from './types';

export interface PostgresStorage extends Storage {
  /** Shared with the blob store and the receipt key, closed by `close()`. */
  readonly pool: pg.Pool;
}

export interface PostgresOptions {
  /** Connections per server; PostgreSQL's max_connections must cover every server's pool. */
  maxConnections?: number;
}

// node-postgres hands timestamptz back as Date and boolean as boolean, but bigint as text
// (it may exceed 2^53); documents are megabytes, far below that.
type DocumentRow = Rows.DocumentRow<Date, boolean, string>;
type DossierRow = Rows.DossierRow<Date>;
type ReviewRow = Rows.ReviewRow<Date, boolean>;

const postgresDialect: ListDialect = {
  param: (n) => `$${n}`,
  campaigns: (p) => `d.campaign_id = ANY(${p}::text[])`,
  campaignsValue: (ids) => ids,
  openCorrection: 'r.correction_open',
};
const fromRow = rowMappers<Date, boolean, string>({
  instant: (date) => date,
  flag: (value) => value,
  count: (text) => Number(text),
});

const DOCUMENT_COLUMNS =
  'id, dossier, piece_id, filename, media_type, bytes, sha256, uploaded_at, late';
const DOCUMENTS_OF = `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE dossier = $1 ORDER BY uploaded_at, position`;

/** Runs `work` in one transaction on one pooled connection; rolls back on any error. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    await client.query('ROLLBACK').catch((rollbackError: Error) => {
      // A connection that cannot even roll back is not given back to the pool.
      broken = rollbackError;
    });
    throw err;
  } finally {
    client.release(broken);
  }
}

/**
 * Locks the dossier row until the transaction ends and counts one more change to it (which a
 * closure decided on an older snapshot will notice); creates the row first if needed.
 */
async function lockDossier(
  client: pg.PoolClient,
  dossier: string,
  campaignId: string,
): Promise<DossierRow> {
  const lock = 'UPDATE dossiers SET version = version + 1 WHERE dossier = $1 RETURNING *';
  // The row exists from the first upload on: one round trip in the usual case.
  const existing = await client.query<DossierRow>(lock, [dossier]);
  if (existing.rows[0]) return existing.rows[0];
  await client.query(
    'INSERT INTO dossiers (dossier, campaign_id) VALUES ($1, $2) ON CONFLICT (dossier) DO NOTHING',
    [dossier, campaignId],
  );
  const { rows } = await client.query<DossierRow>(lock, [dossier]);
  return rows[0]!;
}

type SnapshotRow = DossierRow & { version: string } & {
  [K in keyof DocumentRow]: DocumentRow[K] | null;
};

export async function openPostgresStorage(
  databaseUrl: string,
  options: PostgresOptions = {},
): Promise<PostgresStorage> {
  // The client (about 15 MB once loaded) is loaded only by a server configured for PostgreSQL.
  const { default: pgModule } = await import('pg');
  const pool = new pgModule.Pool({
    connectionString: databaseUrl,
    max: options.maxConnections ?? 16,
    // A database that does not answer must fail the request, not hang it.
    connectionTimeoutMillis: 10_000,
    application_name: 'assistant-depot',
  });
  // An idle connection dropped by the database (restart, failover) must not crash the server:
  // the pool discards it and opens another on the next query.
  pool.on('error', () => undefined);
  try {
    await migratePostgres(pool);
  } catch (err) {
    await pool.end();
    throw err;
  }

  /** The sure path: decides under the dossier's row lock. */
  function closeUnderLock(dossierId: string, rules: CloseRules): Promise<CloseResult> {
    return inTransaction(pool, async (client): Promise<CloseResult> => {
      const dossier = fromRow.dossier(await lockDossier(client, dossierId, rules.campaignId));
      const settled = closureWithoutDocuments(dossier, rules);
      if (settled) return settled;
      const documents = (await client.query<DocumentRow>(DOCUMENTS_OF, [dossierId])).rows.map(
        fromRow.document,
      );
      const closure = closureOf(documents, rules);
      if (closure.kind === 'closed')
        await client.query(
          'UPDATE dossiers SET closed_at = $1, receipt = $2, documents_at_closure = $3 WHERE dossier = $4 AND closed_at IS NULL',
          [closure.closedAt, closure.receipt, documents.length, dossierId],
        );
      return closure;
    });
  }

  /**
   * The quick path, two round trips and one commit: reads the dossier and its documents in one
   * statement (one snapshot), decides, and writes the closure only if the dossier's change
   * count is still the one read. Closure is final, so a dossier seen closed is answered from
   * that read alone (the retries of the last night cost no write). Null when the dossier has no
   * row yet or changed in between: the locked path then decides.
   */
  async function closeOnSnapshot(
    dossierId: string,
    rules: CloseRules,
  ): Promise<CloseResult | null> {
    const { rows } = await pool.query<SnapshotRow>(
      `SELECT d.dossier, d.campaign_id, d.closed_at, d.receipt, d.documents_at_closure, d.version,
              x.id, x.piece_id, x.filename, x.media_type, x.bytes, x.sha256, x.uploaded_at, x.late
         FROM dossiers d LEFT JOIN documents x ON x.dossier = d.dossier
        WHERE d.dossier = $1
        ORDER BY x.uploaded_at, x.position`,
      [dossierId],
    );
    const head = rows[0];
    if (!head) return null;
    const settled = closureWithoutDocuments(fromRow.dossier(head), rules);
    if (settled) return settled;
    const documents = rows
      .filter((r) => r.id !== null)
      .map((r) => fromRow.document(r as DocumentRow));
    const closure = closureOf(documents, rules);
    if (closure.kind !== 'closed') return closure;
    const written = await pool.query(
      `UPDATE dossiers SET closed_at = $2, receipt = $3, documents_at_closure = $4, version = version + 1
        WHERE dossier = $1 AND version = $5 AND closed_at IS NULL`,
      [dossierId, closure.closedAt, closure.receipt, documents.length, head.version],
    );
    return written.rowCount === 1 ? closure : null;
  }

  let ending: Promise<void> | null = null;
  return {
    pool,
    async getDossier(dossier) {
      const { rows } = await pool.query<DossierRow>('SELECT * FROM dossiers WHERE dossier = $1', [
        dossier,
      ]);
      return rows[0] ? fromRow.dossier(rows[0]) : null;
    },
    async listDocuments(dossier) {
      const { rows } = await pool.query<DocumentRow>(DOCUMENTS_OF, [dossier]);
      return rows.map(fromRow.document);
    },
    async getDocument(dossier, id) {
      const { rows } = await pool.query<DocumentRow>(
        `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE dossier = $1 AND id = $2`,
        [dossier, id],
      );
      return rows[0] ? fromRow.document(rows[0]) : null;
    },
    async findDocument(id) {
      const { rows } = await pool.query<DocumentRow>(`SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE id = $1`, [id]);
      return rows[0] ? fromRow.document(rows[0]) : null;
    },
    async indexDossiers(identities) {
      if (identities.length === 0) return 0;
      // One statement for every dossier, in number order (two servers starting together lock
      // rows in the same order); rows whose names did not change are not rewritten.
      const sorted = [...identities].sort((a, b) => (a.dossier < b.dossier ? -1 : a.dossier > b.dossier ? 1 : 0));
      const result = await pool.query(
        `INSERT INTO dossiers (dossier, campaign_id, last_name, first_name, search)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
         ON CONFLICT (dossier) DO UPDATE SET last_name = excluded.last_name, first_name = excluded.first_name,
           search = excluded.search
         WHERE dossiers.search IS DISTINCT FROM excluded.search
            OR dossiers.last_name IS DISTINCT FROM excluded.last_name
            OR dossiers.first_name IS DISTINCT FROM excluded.first_name`,
        [
          sorted.map((w) => w.dossier),
          sorted.map((w) => w.campaignId),
          sorted.map((w) => w.lastName),
          sorted.map((w) => w.firstName),
          sorted.map((w) => searchKey(`${w.dossier} ${w.lastName} ${w.firstName}`)),
        ],
      );
      return result.rowCount ?? 0;
    },
    async listDossiers(filter) {
      const { sql, params } = listQuery(filter, postgresDialect);
      const { rows } = await pool.query<Rows.ListedDossierRow<Date>>(sql, params);
      if (rows.length === 0) return [];
      const ids = rows.map((r) => r.dossier);
      const [corrections, held, toReview] = await Promise.all([
        pool.query<{ dossier: string; piece_id: string }>(
          `SELECT dossier, piece_id FROM reviews r WHERE ${PIECES_OF_PAGE.corrections(postgresDialect)} AND dossier = ANY($1::text[]) ORDER BY dossier, piece_id`,
          [ids],
        ),
        pool.query<{ dossier: string; piece_id: string }>(
          'SELECT DISTINCT dossier, piece_id FROM documents WHERE dossier = ANY($1::text[])',
          [ids],
        ),
        pool.query<{ dossier: string; piece_id: string }>(
          `SELECT dossier, piece_id FROM reviews r WHERE ${PIECES_OF_PAGE.toReview()} AND dossier = ANY($1::text[]) ORDER BY dossier, piece_id`,
          [ids],
        ),
      ]);
      return fromRow.listed(rows, corrections.rows, held.rows, toReview.rows);
    },
    async countDossiers(campaignIds) {
      const { sql, params } = countQuery(campaignIds, postgresDialect);
      // COUNT is bigint, which node-postgres hands back as text.
      return countsOf((await pool.query<CountRow<string>>(sql, params)).rows, Number);
    },
    async listReviews(dossier) {
      const { rows } = await pool.query<ReviewRow>('SELECT * FROM reviews WHERE dossier = $1 ORDER BY piece_id', [dossier]);
      return rows.map(fromRow.review);
    },
    reviewPiece(dossierId, pieceId, review, rules) {
      return inTransaction(pool, async (client): Promise<ReviewResult> => {
        // The dossier's lock orders this review with uploads and deletions on the same dossier:
        // the documents read below are the ones the review is about.
        await lockDossier(client, dossierId, rules.campaignId);
        const documents = (await client.query<DocumentRow>(DOCUMENTS_OF, [dossierId])).rows.map(fromRow.document);
        const reviews = (await client.query<ReviewRow>('SELECT * FROM reviews WHERE dossier = $1 ORDER BY piece_id', [dossierId])).rows.map(
          fromRow.review,
        );
        if (rules.expectedTag !== null && rules.expectedTag !== rules.tagOf(documents, reviews))
          return { kind: 'refused', code: 'review_outdated' };
        const correctionOpen = review.decision === 'correction_requested';
        await client.query(
          `INSERT INTO reviews (dossier, piece_id, decision, reason, reviewed_at, reviewer, correction_open)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (dossier, piece_id) DO UPDATE SET decision = excluded.decision, reason = excluded.reason,
             reviewed_at = excluded.reviewed_at, reviewer = excluded.reviewer, correction_open = excluded.correction_open`,
          [dossierId, pieceId, review.decision, review.reason, review.reviewedAt, review.reviewer, correctionOpen],
        );
        return { kind: 'reviewed', review: { dossier: dossierId, pieceId, ...review, correctionOpen } };
      });
    },
    async recordAudit(entries) {
      if (entries.length === 0) return;
      await pool.query(
        `INSERT INTO staff_audit (at, staff, action, dossier, piece_id, document_id, decision, reason)
         SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])`,
        [
          entries.map((e) => e.at),
          entries.map((e) => e.staff),
          entries.map((e) => e.action),
          entries.map((e) => e.dossier),
          entries.map((e) => e.pieceId),
          entries.map((e) => e.documentId),
          entries.map((e) => e.decision),
          entries.map((e) => e.reason),
        ],
      );
    },
    async listAudit(dossier) {
      const { rows } = await pool.query<Rows.AuditRow<Date>>(
        'SELECT at, staff, action, dossier, piece_id, document_id, decision, reason FROM staff_audit WHERE dossier = $1 ORDER BY at, id',
        [dossier],
      );
      return rows.map(fromRow.audit);
    },
    purgeCampaign(campaignId, before, dryRun) {
      return inTransaction(pool, async (client): Promise<PurgeReport | null> => {
        const ofCampaign = 'SELECT dossier FROM dossiers WHERE campaign_id = $1';
        const { rows: counted } = await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM (${ofCampaign}) c`, [campaignId]);
        const dossiers = Number(counted[0]!.n);
        if (dossiers === 0) return null;
        const where = {
          documents: `dossier IN (${ofCampaign}) AND uploaded_at < $2`,
          sessions: `kind = 'candidate' AND subject IN (${ofCampaign})`,
          audit: `dossier IN (${ofCampaign}) AND at < $2`,
          reviews: `dossier IN (${ofCampaign}) AND reviewed_at < $2`,
        };
        const count = async (table: string, condition: string, params: unknown[]) =>
          dryRun
            ? Number((await client.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${condition}`, params)).rows[0]!.n)
            : ((await client.query(`DELETE FROM ${table} WHERE ${condition}`, params)).rowCount ?? 0);
        const { rows: documents } = await client.query<{ id: string; bytes: string }>(
          `SELECT id, bytes FROM documents WHERE ${where.documents}`,
          [campaignId, before],
        );
        const report: PurgeReport = {
          dossiers,
          documentIds: documents.map((d) => d.id),
          documentBytes: documents.reduce((sum, d) => sum + Number(d.bytes), 0),
          sessions: await count('sessions', where.sessions, [campaignId]),
          deviceTokens: await count('device_tokens', `dossier IN (${ofCampaign})`, [campaignId]),
          auditEntries: await count('staff_audit', where.audit, [campaignId, before]),
          reviews: await count('reviews', where.reviews, [campaignId, before]),
        };
        if (!dryRun && documents.length > 0) {
          const ids = report.documentIds;
          await client.query('DELETE FROM documents WHERE id = ANY($1::text[])', [ids]);
          // The bytes live in this database too: they go in the same transaction.
          await client.query('DELETE FROM blobs WHERE id = ANY($1::text[])', [ids]);
        }
        return report;
      });
    },
    async allDocumentIds() {
      const { rows } = await pool.query<{ id: string }>('SELECT id FROM documents');
      return new Set(rows.map((r) => r.id));
    },

    addDocument(doc, rules) {
      return inTransaction(pool, async (client): Promise<AddDocumentResult> => {
        const dossier = fromRow.dossier(await lockDossier(client, doc.dossier, rules.campaignId));
        const same = await client.query<DocumentRow>(
          `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE dossier = $1 AND piece_id = $2 AND sha256 = $3`,
          [doc.dossier, doc.pieceId, doc.sha256],
        );
        let replaced: StoredDocument | undefined;
        if (rules.replaces !== undefined) {
          const old = await client.query<DocumentRow>(
            `SELECT ${DOCUMENT_COLUMNS} FROM documents WHERE dossier = $1 AND id = $2`,
            [doc.dossier, rules.replaces],
          );
          replaced = old.rows[0] ? fromRow.document(old.rows[0]) : undefined;
        }
        if (same.rows[0] && !replaced) return { kind: 'existing', document: fromRow.document(same.rows[0]) };
        const review = await client.query<{ correction_open: boolean }>(
          'SELECT correction_open FROM reviews WHERE dossier = $1 AND piece_id = $2',
          [doc.dossier, doc.pieceId],
        );
        const admit = rules.replaces === undefined ? admitDocument : admitReplacement;
        const admission = admit(dossier.closedAt, {
          ...rules,
          correctionOpen: review.rows[0]?.correction_open ?? false,
        });
        if (admission.kind === 'refused') return admission;
        const late = admission.late;
        if (rules.replaces !== undefined && !replaced) return { kind: 'not_found' };
        if (replaced && replaced.pieceId !== doc.pieceId) return { kind: 'refused', code: 'replaced_other_piece' };
        if (same.rows[0]) return { kind: 'refused', code: 'already_stored' };
        if (rules.single) {
          const held = await client.query(
            'SELECT 1 FROM documents WHERE dossier = $1 AND piece_id = $2 AND id IS DISTINCT FROM $3 LIMIT 1',
            [doc.dossier, doc.pieceId, replaced?.id ?? null],
          );
          if (held.rowCount) return { kind: 'refused', code: 'piece_full' };
        }
        if (replaced)
          await client.query('DELETE FROM documents WHERE dossier = $1 AND id = $2', [doc.dossier, replaced.id]);
        const stored: StoredDocument = { ...doc, late };
        await client.query(
          `INSERT INTO documents (id, dossier, piece_id, filename, media_type, bytes, sha256, uploaded_at, late)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
          [
            stored.id,
            stored.dossier,
            stored.pieceId,
            stored.filename,
            stored.mediaType,
            stored.bytes,
            stored.sha256,
            stored.uploadedAt,
            late,
          ],
        );
        if (review.rows[0])
          await client.query(
            `UPDATE reviews SET decision = NULL, reason = NULL, reviewed_at = NULL, reviewer = NULL
              WHERE dossier = $1 AND piece_id = $2`,
            [doc.dossier, doc.pieceId],
          );
        return replaced ? { kind: 'created', document: stored, replaced } : { kind: 'created', document: stored };
      });
    },

    deleteDocument(dossierId, id, rules) {
      return inTransaction(pool, async (client): Promise<DeleteDocumentResult> => {
        // No row, no documents: nothing to lock, and the lookup below answers not_found.
        const { rows } = await client.query<DossierRow>(
          'UPDATE dossiers SET version = version + 1 WHERE dossier = $1 RETURNING *',
          [dossierId],
        );
        const target = await client.query<{ correction_open: boolean | null }>(
          `SELECT r.correction_open FROM documents x
             LEFT JOIN reviews r ON r.dossier = x.dossier AND r.piece_id = x.piece_id
            WHERE x.dossier = $1 AND x.id = $2`,
          [dossierId, id],
        );
        const correctionOpen = target.rows[0]?.correction_open ?? false;
        const refusal = deletionRefusal(rows[0] ? fromRow.dossier(rows[0]).closedAt : null, rules, correctionOpen);
        if (refusal) return refusal;
        const deleted = await client.query<DocumentRow>(
          `DELETE FROM documents WHERE dossier = $1 AND id = $2 RETURNING ${DOCUMENT_COLUMNS}`,
          [dossierId, id],
        );
        return deleted.rows[0]
          ? { kind: 'deleted', document: fromRow.document(deleted.rows[0]) }
          : { kind: 'not_found' };
      });
    },

    async closeDossier(dossierId, rules) {
      return (await closeOnSnapshot(dossierId, rules)) ?? closeUnderLock(dossierId, rules);
    },

    async listClosures(campaignIds) {
      const { rows } = await pool.query<DossierRow>(
        `SELECT * FROM dossiers WHERE closed_at IS NOT NULL AND campaign_id = ANY($1::text[])
         ORDER BY closed_at, dossier`,
        [campaignIds],
      );
      return rows.map(fromRow.closure);
    },

    async createSession(tokenHash, session) {
      await pool.query(
        'INSERT INTO sessions (token_hash, kind, subject, expires_at) VALUES ($1, $2, $3, $4)',
        [tokenHash, session.kind, session.subject, session.expiresAt],
      );
    },
    async findSession(tokenHash, now): Promise<SessionRecord | null> {
      const { rows } = await pool.query<Rows.SessionRow<Date>>(
        'SELECT kind, subject, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2',
        [tokenHash, now],
      );
      return rows[0] ? fromRow.session(rows[0]) : null;
    },
    async deleteSession(tokenHash) {
      await pool.query('DELETE FROM sessions WHERE token_hash = $1', [tokenHash]);
    },
    async purgeExpiredSessions(now) {
      return (await pool.query('DELETE FROM sessions WHERE expires_at <= $1', [now])).rowCount ?? 0;
    },

    // Throttles are shared, so that a candidate's attempts count the same whichever server the
    // load balancer picks. Their commits skip the wait for the disk: losing the last attempts
    // in a database crash only ever favours the candidates, as on SQLite where they live in
    // memory.
    admitLoginAttempt(key, now, delayFor) {
      return inTransaction(pool, async (client): Promise<LoginAdmission> => {
        await client.query('SET LOCAL synchronous_commit = off');
        await client.query(
          'INSERT INTO login_throttles (key, attempts, last_attempt) VALUES ($1, 0, $2) ON CONFLICT (key) DO NOTHING',
          [key, now],
        );
        const { rows } = await client.query<{ attempts: number; blocked_until: Date | null }>(
          'SELECT attempts, blocked_until FROM login_throttles WHERE key = $1 FOR UPDATE',
          [key],
        );
        const row = rows[0]!;
        if (row.blocked_until !== null && row.blocked_until.getTime() > now.getTime())
          return { admitted: false, retryAt: row.blocked_until };
        const attempts = row.attempts + 1;
        const delay = delayFor(attempts);
        await client.query(
          'UPDATE login_throttles SET attempts = $2, blocked_until = $3, last_attempt = $4 WHERE key = $1',
          [key, attempts, delay > 0 ? new Date(now.getTime() + delay) : null, now],
        );
        return { admitted: true, attempts };
      });
    },
    async clearLoginThrottle(key) {
      await pool.query('DELETE FROM login_throttles WHERE key = $1', [key]);
    },
    async purgeLoginThrottles(before) {
      const result = await pool.query(
        'DELETE FROM login_throttles WHERE last_attempt < $1 AND (blocked_until IS NULL OR blocked_until < $1)',
        [before],
      );
      return result.rowCount ?? 0;
    },

    async createDeviceToken(tokenHash, device) {
      await pool.query('INSERT INTO device_tokens (token_hash, dossier, expires_at) VALUES ($1, $2, $3)', [
        tokenHash,
        device.dossier,
        device.expiresAt,
      ]);
    },
    async findDeviceToken(tokenHash, now) {
      const { rows } = await pool.query<Rows.DeviceTokenRow<Date>>(
        'SELECT dossier, expires_at FROM device_tokens WHERE token_hash = $1 AND expires_at > $2',
        [tokenHash, now],
      );
      return rows[0] ? fromRow.device(rows[0]) : null;
    },
    async purgeExpiredDeviceTokens(now) {
      return (await pool.query('DELETE FROM device_tokens WHERE expires_at <= $1', [now])).rowCount ?? 0;
    },
    async createDownloadTicket(tokenHash, ticket) {
      await pool.query('INSERT INTO download_tickets (token_hash, staff, target, expires_at) VALUES ($1, $2, $3, $4)', [
        tokenHash,
        ticket.staff,
        ticket.target,
        ticket.expiresAt,
      ]);
    },
    async takeDownloadTicket(tokenHash) {
      const { rows } = await pool.query<{ staff: string; target: string; expires_at: Date }>(
        'DELETE FROM download_tickets WHERE token_hash = $1 RETURNING staff, target, expires_at',
        [tokenHash],
      );
      const row = rows[0];
      return row ? { staff: row.staff, target: row.target, expiresAt: row.expires_at } : null;
    },
    async purgeExpiredDownloadTickets(now) {
      return (await pool.query('DELETE FROM download_tickets WHERE expires_at <= $1', [now])).rowCount ?? 0;
    },
    async close() {
      ending ??= pool.end();
      await ending;
    },
  };
}
