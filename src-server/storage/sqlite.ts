/**
 * SQLite storage (better-sqlite3): WAL with synchronous=FULL, so a committed transaction
 * survives a power cut, not only a crash. better-sqlite3 is synchronous and the process is
 * single-threaded, so each operation below runs to its end inside one `transaction()` without
 * any other request interleaving.
 */
import Database from 'better-sqlite3';
import { admitDocument, admitReplacement, closureOf, closureWithoutDocuments, deletionRefusal } from '../dossier-rules';
import { migrateSqlite } from './migrations';
import { rowMappers } from './rows';
import type * as Rows from './rows';
import { countQuery, countsOf, listQuery, PIECES_OF_PAGE, type CountRow, type ListDialect } from './list-query';
import type {
  AddDocumentResult,
  AddDocumentRules,
  CloseResult,
  CloseRules,
  DeleteDocumentResult,
  DossierIdentity,
  DossierListFilter,
  LoginAdmission,
  PurgeReport,
  ReviewResult,
  ReviewRules,
  ReviewWrite,
  SessionRecord,
  Storage,
  StoredDocument,
} from './types';
import { searchKey } from '../../src-shared/search';

// SQLite keeps instants as epoch milliseconds and booleans as 0 or 1.
type DocumentRow = Rows.DocumentRow<number, number, number>;
type DossierRow = Rows.DossierRow<number>;
type ReviewRow = Rows.ReviewRow<number, number>;
const fromRow = rowMappers<number, number, number>({
  instant: (ms) => new Date(ms),
  flag: (value) => value === 1,
  count: (value) => value,
});

const sqliteDialect: ListDialect = {
  param: () => '?',
  campaigns: (p: string) => `d.campaign_id IN (SELECT value FROM json_each(${p}))`,
  campaignsValue: (ids: string[]) => JSON.stringify(ids),
  openCorrection: 'r.correction_open = 1',
};

export function openSqliteStorage(file: string): Storage {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrateSqlite(db);

  const q = {
    dossier: db.prepare<[string], DossierRow>('SELECT * FROM dossiers WHERE dossier = ?'),
    ensureDossier: db.prepare('INSERT OR IGNORE INTO dossiers (dossier, campaign_id) VALUES (?, ?)'),
    documents: db.prepare<[string], DocumentRow>(
      'SELECT * FROM documents WHERE dossier = ? ORDER BY uploaded_at, rowid',
    ),
    document: db.prepare<[string, string], DocumentRow>('SELECT * FROM documents WHERE dossier = ? AND id = ?'),
    documentById: db.prepare<[string], DocumentRow>('SELECT * FROM documents WHERE id = ?'),
    review: db.prepare<[string, string], ReviewRow>('SELECT * FROM reviews WHERE dossier = ? AND piece_id = ?'),
    reviews: db.prepare<[string], ReviewRow>('SELECT * FROM reviews WHERE dossier = ? ORDER BY piece_id'),
    resetReview: db.prepare(
      `UPDATE reviews SET decision = NULL, reason = NULL, reviewed_at = NULL, reviewer = NULL
        WHERE dossier = ? AND piece_id = ?`,
    ),
    writeReview: db.prepare(
      `INSERT INTO reviews (dossier, piece_id, decision, reason, reviewed_at, reviewer, correction_open)
       VALUES (@dossier, @pieceId, @decision, @reason, @reviewedAt, @reviewer, @correctionOpen)
       ON CONFLICT (dossier, piece_id) DO UPDATE SET decision = excluded.decision, reason = excluded.reason,
         reviewed_at = excluded.reviewed_at, reviewer = excluded.reviewer, correction_open = excluded.correction_open`,
    ),
    indexDossier: db.prepare(
      `INSERT INTO dossiers (dossier, campaign_id, last_name, first_name, search) VALUES (@dossier, @campaignId, @lastName, @firstName, @search)
       ON CONFLICT (dossier) DO UPDATE SET last_name = excluded.last_name, first_name = excluded.first_name, search = excluded.search
        WHERE dossiers.search IS NOT excluded.search OR dossiers.last_name IS NOT excluded.last_name
           OR dossiers.first_name IS NOT excluded.first_name`,
    ),
    documentIds: db.prepare<[], { id: string }>('SELECT id FROM documents'),
    sameBytes: db.prepare<[string, string, string], DocumentRow>(
      'SELECT * FROM documents WHERE dossier = ? AND piece_id = ? AND sha256 = ?',
    ),
    pieceCount: db.prepare<[string, string], { n: number }>(
      'SELECT COUNT(*) AS n FROM documents WHERE dossier = ? AND piece_id = ?',
    ),
    insertDocument: db.prepare(
      `INSERT INTO documents (id, dossier, piece_id, filename, media_type, bytes, sha256, uploaded_at, late)
       VALUES (@id, @dossier, @pieceId, @filename, @mediaType, @bytes, @sha256, @uploadedAt, @late)`,
    ),
    deleteDocument: db.prepare('DELETE FROM documents WHERE dossier = ? AND id = ?'),
    close: db.prepare(
      'UPDATE dossiers SET closed_at = ?, receipt = ?, documents_at_closure = ? WHERE dossier = ? AND closed_at IS NULL',
    ),
    closures: db.prepare<[], DossierRow>(
      'SELECT * FROM dossiers WHERE closed_at IS NOT NULL ORDER BY closed_at, dossier',
    ),
    insertSession: db.prepare(
      'INSERT INTO sessions (token_hash, kind, subject, expires_at) VALUES (?, ?, ?, ?)',
    ),
    session: db.prepare<[string, number], Rows.SessionRow<number>>(
      'SELECT kind, subject, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?',
    ),
    deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    purgeSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
    insertDevice: db.prepare('INSERT INTO device_tokens (token_hash, dossier, expires_at) VALUES (?, ?, ?)'),
    device: db.prepare<[string, number], Rows.DeviceTokenRow<number>>(
      'SELECT dossier, expires_at FROM device_tokens WHERE token_hash = ? AND expires_at > ?',
    ),
    purgeDevices: db.prepare('DELETE FROM device_tokens WHERE expires_at <= ?'),
    insertTicket: db.prepare('INSERT INTO download_tickets (token_hash, staff, target, expires_at) VALUES (?, ?, ?, ?)'),
    takeTicket: db.prepare<[string], { staff: string; target: string; expires_at: number }>(
      'DELETE FROM download_tickets WHERE token_hash = ? RETURNING staff, target, expires_at',
    ),
    purgeTickets: db.prepare('DELETE FROM download_tickets WHERE expires_at <= ?'),
    insertAudit: db.prepare(
      `INSERT INTO staff_audit (at, staff, action, dossier, piece_id, document_id, decision, reason)
       VALUES (@at, @staff, @action, @dossier, @pieceId, @documentId, @decision, @reason)`,
    ),
    auditOf: db.prepare<[string], Rows.AuditRow<number>>(
      'SELECT at, staff, action, dossier, piece_id, document_id, decision, reason FROM staff_audit WHERE dossier = ? ORDER BY at, id',
    ),
    openCorrectionsOf: db.prepare<[string], { dossier: string; piece_id: string }>(
      `SELECT dossier, piece_id FROM reviews r
        WHERE ${PIECES_OF_PAGE.corrections(sqliteDialect)} AND dossier IN (SELECT value FROM json_each(?)) ORDER BY dossier, piece_id`,
    ),
    toReviewOf: db.prepare<[string], { dossier: string; piece_id: string }>(
      `SELECT dossier, piece_id FROM reviews r
        WHERE ${PIECES_OF_PAGE.toReview()} AND dossier IN (SELECT value FROM json_each(?)) ORDER BY dossier, piece_id`,
    ),
    piecesHeldBy: db.prepare<[string], { dossier: string; piece_id: string }>(
      'SELECT DISTINCT dossier, piece_id FROM documents WHERE dossier IN (SELECT value FROM json_each(?))',
    ),
  };

  const addDocument = db.transaction((doc: StoredDocument, rules: AddDocumentRules): AddDocumentResult => {
    const same = q.sameBytes.get(doc.dossier, doc.pieceId, doc.sha256);
    const replaced = rules.replaces === undefined ? undefined : q.document.get(doc.dossier, rules.replaces);
    if (same && !replaced) return { kind: 'existing', document: fromRow.document(same) };
    q.ensureDossier.run(doc.dossier, rules.campaignId);
    const dossier = fromRow.dossier(q.dossier.get(doc.dossier)!);
    const review = q.review.get(doc.dossier, doc.pieceId);
    const admit = rules.replaces === undefined ? admitDocument : admitReplacement;
    const admission = admit(dossier.closedAt, { ...rules, correctionOpen: review?.correction_open === 1 });
    if (admission.kind === 'refused') return admission;
    if (rules.replaces !== undefined && !replaced) return { kind: 'not_found' };
    if (replaced && replaced.piece_id !== doc.pieceId) return { kind: 'refused', code: 'replaced_other_piece' };
    if (same) return { kind: 'refused', code: 'already_stored' };
    const held = q.pieceCount.get(doc.dossier, doc.pieceId)!.n - (replaced ? 1 : 0);
    if (rules.single && held > 0) return { kind: 'refused', code: 'piece_full' };
    if (replaced) q.deleteDocument.run(doc.dossier, replaced.id);
    const stored: StoredDocument = { ...doc, late: admission.late };
    q.insertDocument.run({
      ...stored,
      uploadedAt: stored.uploadedAt.getTime(),
      late: stored.late ? 1 : 0,
    });
    if (review) q.resetReview.run(doc.dossier, doc.pieceId);
    return replaced
      ? { kind: 'created', document: stored, replaced: fromRow.document(replaced) }
      : { kind: 'created', document: stored };
  });

  const deleteDocument = db.transaction(
    (dossierId: string, id: string, rules: { campaignId: string; now: Date; deadline: Date }): DeleteDocumentResult => {
      const row = q.dossier.get(dossierId);
      const doc = q.document.get(dossierId, id);
      const correctionOpen = doc ? q.review.get(dossierId, doc.piece_id)?.correction_open === 1 : false;
      const refusal = deletionRefusal(row ? fromRow.dossier(row).closedAt : null, rules, correctionOpen);
      if (refusal) return refusal;
      if (!doc) return { kind: 'not_found' };
      q.deleteDocument.run(dossierId, id);
      return { kind: 'deleted', document: fromRow.document(doc) };
    },
  );

  const closeDossier = db.transaction((dossierId: string, rules: CloseRules): CloseResult => {
    q.ensureDossier.run(dossierId, rules.campaignId);
    const settled = closureWithoutDocuments(fromRow.dossier(q.dossier.get(dossierId)!), rules);
    if (settled) return settled;
    const documents = q.documents.all(dossierId).map(fromRow.document);
    const closure = closureOf(documents, rules);
    if (closure.kind === 'closed')
      q.close.run(closure.closedAt.getTime(), closure.receipt, documents.length, dossierId);
    return closure;
  });

  const reviewPiece = db.transaction(
    (dossierId: string, pieceId: string, review: ReviewWrite, rules: ReviewRules): ReviewResult => {
      q.ensureDossier.run(dossierId, rules.campaignId);
      const documents = q.documents.all(dossierId).map(fromRow.document);
      const reviews = q.reviews.all(dossierId).map(fromRow.review);
      if (rules.expectedTag !== null && rules.expectedTag !== rules.tagOf(documents, reviews))
        return { kind: 'refused', code: 'review_outdated' };
      const correctionOpen = review.decision === 'correction_requested';
      q.writeReview.run({
        dossier: dossierId,
        pieceId,
        decision: review.decision,
        reason: review.reason,
        reviewedAt: review.reviewedAt.getTime(),
        reviewer: review.reviewer,
        correctionOpen: correctionOpen ? 1 : 0,
      });
      return { kind: 'reviewed', review: { dossier: dossierId, pieceId, ...review, correctionOpen } };
    },
  );

  const purgeCampaign = db.transaction((campaignId: string, before: number, dryRun: boolean): PurgeReport | null => {
    const ofCampaign = 'SELECT dossier FROM dossiers WHERE campaign_id = @campaignId';
    const dossiers = db.prepare<{ campaignId: string }, { n: number }>(`SELECT COUNT(*) AS n FROM (${ofCampaign})`).get({ campaignId })!.n;
    if (dossiers === 0) return null;
    const args = { campaignId, before };
    const where = {
      documents: `dossier IN (${ofCampaign}) AND uploaded_at < @before`,
      sessions: `kind = 'candidate' AND subject IN (${ofCampaign})`,
      audit: `dossier IN (${ofCampaign}) AND at < @before`,
      reviews: `dossier IN (${ofCampaign}) AND reviewed_at < @before`,
    };
    const documents = db.prepare<typeof args, { id: string; bytes: number }>(`SELECT id, bytes FROM documents WHERE ${where.documents}`).all(args);
    const count = (table: string, condition: string) =>
      dryRun
        ? db.prepare<typeof args, { n: number }>(`SELECT COUNT(*) AS n FROM ${table} WHERE ${condition}`).get(args)!.n
        : db.prepare(`DELETE FROM ${table} WHERE ${condition}`).run(args).changes;
    const report: PurgeReport = {
      dossiers,
      documentIds: documents.map((d) => d.id),
      documentBytes: documents.reduce((sum, d) => sum + d.bytes, 0),
      sessions: count('sessions', where.sessions),
      deviceTokens: count('device_tokens', `dossier IN (${ofCampaign})`),
      auditEntries: count('staff_audit', where.audit),
      reviews: count('reviews', where.reviews),
    };
    if (!dryRun) db.prepare(`DELETE FROM documents WHERE ${where.documents}`).run(args);
    return report;
  });

  const indexDossiers = db.transaction((identities: DossierIdentity[]): number => {
    let changed = 0;
    for (const who of identities)
      changed += q.indexDossier.run({ ...who, search: searchKey(`${who.dossier} ${who.lastName} ${who.firstName}`) }).changes;
    return changed;
  });

  /**
   * Group commit: writes that arrive in the same turn of the event loop share one outer
   * transaction, hence one fsync, instead of one each. Each write still runs in its own
   * savepoint (better-sqlite3 nests transactions that way), so one failing write rolls back
   * alone, and every caller hears only after the shared commit is durable.
   */
  type Pending = { run: () => unknown; resolve: (value: unknown) => void; reject: (error: unknown) => void };
  let queue: Pending[] = [];
  const commitAll = db.transaction((items: Pending[]) =>
    items.map((item) => {
      try {
        return { ok: true as const, value: item.run() };
      } catch (error) {
        return { ok: false as const, error };
      }
    }),
  );
  const flush = () => {
    const items = queue;
    queue = [];
    try {
      const results = commitAll.immediate(items);
      results.forEach((r, i) => (r.ok ? items[i]!.resolve(r.value) : items[i]!.reject(r.error)));
    } catch (error) {
      for (const item of items) item.reject(error);
    }
  };
  function grouped<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (queue.length === 0) setImmediate(flush);
      queue.push({ run, resolve: resolve as (value: unknown) => void, reject });
    });
  }

  // Login throttles live in memory: a single process owns a SQLite file, every check-and-count
  // below runs without interleaving, and forgetting them on restart only ever favours the
  // candidates. It also spares two fsynced writes per login.
  const throttles = new Map<string, { attempts: number; blockedUntil: number | null; lastAttempt: number }>();
  // Random dossier numbers tried once must not grow memory without bound.
  const MAX_THROTTLES = 100_000;
  const forgetUnblocked = (now: number) => {
    for (const [key, row] of throttles) if (row.blockedUntil === null || row.blockedUntil <= now) throttles.delete(key);
  };

  return {
    async getDossier(dossier) {
      const row = q.dossier.get(dossier);
      return row ? fromRow.dossier(row) : null;
    },
    async listDocuments(dossier) {
      return q.documents.all(dossier).map(fromRow.document);
    },
    async getDocument(dossier, id) {
      const row = q.document.get(dossier, id);
      return row ? fromRow.document(row) : null;
    },
    async findDocument(id) {
      const row = q.documentById.get(id);
      return row ? fromRow.document(row) : null;
    },
    async indexDossiers(identities) {
      return grouped(() => indexDossiers(identities));
    },
    async listDossiers(filter: DossierListFilter) {
      const { sql, params } = listQuery(filter, sqliteDialect);
      const rows = db.prepare<unknown[], Rows.ListedDossierRow<number>>(sql).all(...params);
      if (rows.length === 0) return [];
      const ids = JSON.stringify(rows.map((r) => r.dossier));
      return fromRow.listed(rows, q.openCorrectionsOf.all(ids), q.piecesHeldBy.all(ids), q.toReviewOf.all(ids));
    },
    async countDossiers(campaignIds) {
      const { sql, params } = countQuery(campaignIds, sqliteDialect);
      return countsOf(db.prepare<unknown[], CountRow<number>>(sql).all(...params), (n) => n);
    },
    async listReviews(dossier) {
      return q.reviews.all(dossier).map(fromRow.review);
    },
    async reviewPiece(dossier, pieceId, review, rules) {
      return grouped(() => reviewPiece(dossier, pieceId, review, rules));
    },
    async recordAudit(entries) {
      await grouped(() => {
        for (const e of entries) q.insertAudit.run({ ...e, at: e.at.getTime() });
      });
    },
    async listAudit(dossier) {
      return q.auditOf.all(dossier).map(fromRow.audit);
    },
    async purgeCampaign(campaignId, before, dryRun) {
      return grouped(() => purgeCampaign(campaignId, before.getTime(), dryRun));
    },
    async allDocumentIds() {
      return new Set(q.documentIds.all().map((r) => r.id));
    },
    async addDocument(document, rules) {
      return grouped(() => addDocument(document, rules));
    },
    async deleteDocument(dossier, id, rules) {
      return grouped(() => deleteDocument(dossier, id, rules));
    },
    async closeDossier(dossier, rules) {
      return grouped(() => closeDossier(dossier, rules));
    },
    async listClosures(campaignIds) {
      const wanted = new Set(campaignIds);
      return q.closures
        .all()
        .filter((r) => wanted.has(r.campaign_id))
        .map(fromRow.closure);
    },
    async createSession(tokenHash, session) {
      q.insertSession.run(tokenHash, session.kind, session.subject, session.expiresAt.getTime());
    },
    async findSession(tokenHash, now): Promise<SessionRecord | null> {
      const row = q.session.get(tokenHash, now.getTime());
      return row ? fromRow.session(row) : null;
    },
    async deleteSession(tokenHash) {
      q.deleteSession.run(tokenHash);
    },
    async purgeExpiredSessions(now) {
      return q.purgeSessions.run(now.getTime()).changes;
    },
    async admitLoginAttempt(key, now, delayFor): Promise<LoginAdmission> {
      const row = throttles.get(key);
      if (row?.blockedUntil != null && row.blockedUntil > now.getTime())
        return { admitted: false, retryAt: new Date(row.blockedUntil) };
      const attempts = (row?.attempts ?? 0) + 1;
      const delay = delayFor(attempts);
      if (throttles.size >= MAX_THROTTLES) forgetUnblocked(now.getTime());
      throttles.set(key, { attempts, blockedUntil: delay > 0 ? now.getTime() + delay : null, lastAttempt: now.getTime() });
      return { admitted: true, attempts };
    },
    async clearLoginThrottle(key) {
      throttles.delete(key);
    },
    async purgeLoginThrottles(before) {
      let removed = 0;
      for (const [key, row] of throttles)
        if (row.lastAttempt < before.getTime() && (row.blockedUntil === null || row.blockedUntil < before.getTime())) {
          throttles.delete(key);
          removed++;
        }
      return removed;
    },
    async createDeviceToken(tokenHash, device) {
      await grouped(() => q.insertDevice.run(tokenHash, device.dossier, device.expiresAt.getTime()));
    },
    async findDeviceToken(tokenHash, now) {
      const row = q.device.get(tokenHash, now.getTime());
      return row ? fromRow.device(row) : null;
    },
    async purgeExpiredDeviceTokens(now) {
      return q.purgeDevices.run(now.getTime()).changes;
    },
    async createDownloadTicket(tokenHash, ticket) {
      await grouped(() => q.insertTicket.run(tokenHash, ticket.staff, ticket.target, ticket.expiresAt.getTime()));
    },
    async takeDownloadTicket(tokenHash) {
      const row = await grouped(() => q.takeTicket.get(tokenHash));
      return row ? { staff: row.staff, target: row.target, expiresAt: new Date(row.expires_at) } : null;
    },
    async purgeExpiredDownloadTickets(now) {
      return q.purgeTickets.run(now.getTime()).changes;
    },
    async close() {
      if (queue.length > 0) flush();
      if (db.open) db.close();
    },
  };
}
