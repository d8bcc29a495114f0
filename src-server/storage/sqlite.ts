/**
 * SQLite storage (better-sqlite3): WAL, and no caller hears of a commit before the WAL is
 * fsynced (walSyncer below), so a committed transaction survives a power cut, not only a crash. better-sqlite3 is synchronous and the process is
 * single-threaded, so each operation below runs to its end inside one `transaction()` without
 * any other request interleaving.
 */
import { closeSync, fdatasync, openSync } from 'node:fs';
import Database from 'better-sqlite3';
import { GroupSync } from './group-sync';
import { migrateSqlite } from './migrations';
import type {
  AddDocumentResult,
  AddDocumentRules,
  CloseResult,
  CloseRules,
  ClosureRow,
  DeleteDocumentResult,
  DossierRecord,
  LoginAdmission,
  SessionKind,
  SessionRecord,
  Storage,
  StoredDocument,
} from './types';

interface DocumentRow {
  id: string;
  dossier: string;
  piece_id: string;
  filename: string;
  media_type: string;
  bytes: number;
  sha256: string;
  uploaded_at: number;
  late: number;
}

interface DossierRow {
  dossier: string;
  campaign_id: string;
  closed_at: number | null;
  receipt: string | null;
  documents_at_closure: number | null;
}

function toDocument(row: DocumentRow): StoredDocument {
  return {
    id: row.id,
    dossier: row.dossier,
    pieceId: row.piece_id,
    filename: row.filename,
    mediaType: row.media_type as StoredDocument['mediaType'],
    bytes: row.bytes,
    sha256: row.sha256,
    uploadedAt: new Date(row.uploaded_at),
    late: row.late === 1,
  };
}

function toDossier(row: DossierRow): DossierRecord {
  return {
    dossier: row.dossier,
    campaignId: row.campaign_id,
    closedAt: row.closed_at === null ? null : new Date(row.closed_at),
    receipt: row.receipt,
    documentsAtClosure: row.documents_at_closure,
  };
}

/**
 * Durability without blocking the event loop. With synchronous=FULL, SQLite fsyncs the WAL
 * inside every commit, on the calling thread, which here is the only one: 3 to 10 ms per
 * commit during which no other request moves. Instead the commit only writes its WAL frames
 * (synchronous=NORMAL) and the caller is answered once an fsync of the WAL file, run on the
 * thread pool and shared by the commits made meanwhile, has returned: the same guarantee (a
 * committed transaction survives a power cut before anyone hears of it). Checkpoints still
 * fsync the WAL and the database themselves, as SQLite does in NORMAL mode.
 */
function walSyncer(db: Database.Database, file: string): { group: GroupSync; close(): void } | null {
  let fd: number;
  try {
    fd = openSync(`${file}-wal`, 'r');
  } catch {
    return null; // no WAL file to sync (an unusual file system): keep SQLite's own fsyncs
  }
  db.pragma('synchronous = NORMAL');
  const group = new GroupSync(
    () =>
      new Promise<void>((resolve, reject) => {
        fdatasync(fd, (err) => (err ? reject(err) : resolve()));
      }),
  );
  return { group, close: () => closeSync(fd) };
}

export function openSqliteStorage(file: string): Storage {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrateSqlite(db);
  const wal = walSyncer(db, file);
  const durable = (): Promise<void> => (wal ? wal.group.synced() : Promise.resolve());

  const q = {
    dossier: db.prepare<[string], DossierRow>('SELECT * FROM dossiers WHERE dossier = ?'),
    ensureDossier: db.prepare('INSERT OR IGNORE INTO dossiers (dossier, campaign_id) VALUES (?, ?)'),
    documents: db.prepare<[string], DocumentRow>(
      'SELECT * FROM documents WHERE dossier = ? ORDER BY uploaded_at, rowid',
    ),
    document: db.prepare<[string, string], DocumentRow>('SELECT * FROM documents WHERE dossier = ? AND id = ?'),
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
    session: db.prepare<[string, number], { kind: string; subject: string; expires_at: number }>(
      'SELECT kind, subject, expires_at FROM sessions WHERE token_hash = ? AND expires_at > ?',
    ),
    deleteSession: db.prepare('DELETE FROM sessions WHERE token_hash = ?'),
    purgeSessions: db.prepare('DELETE FROM sessions WHERE expires_at <= ?'),
  };

  const addDocument = db.transaction((doc: StoredDocument, rules: AddDocumentRules): AddDocumentResult => {
    const same = q.sameBytes.get(doc.dossier, doc.pieceId, doc.sha256);
    if (same) return { kind: 'existing', document: toDocument(same) };
    q.ensureDossier.run(doc.dossier, rules.campaignId);
    const dossier = toDossier(q.dossier.get(doc.dossier)!);
    let late = false;
    if (dossier.closedAt !== null) {
      if (!rules.lateAllowed) return { kind: 'refused', code: 'dossier_closed' };
      late = true;
    } else if (rules.now.getTime() >= rules.deadline.getTime()) {
      return { kind: 'refused', code: 'deadline_passed' };
    }
    if (rules.single && q.pieceCount.get(doc.dossier, doc.pieceId)!.n > 0)
      return { kind: 'refused', code: 'piece_full' };
    const stored: StoredDocument = { ...doc, late };
    q.insertDocument.run({
      ...stored,
      uploadedAt: stored.uploadedAt.getTime(),
      late: late ? 1 : 0,
    });
    return { kind: 'created', document: stored };
  });

  const deleteDocument = db.transaction(
    (dossierId: string, id: string, rules: { campaignId: string; now: Date; deadline: Date }): DeleteDocumentResult => {
      const row = q.dossier.get(dossierId);
      if (row && row.closed_at !== null) return { kind: 'refused', code: 'dossier_closed' };
      if (rules.now.getTime() >= rules.deadline.getTime()) return { kind: 'refused', code: 'deadline_passed' };
      const doc = q.document.get(dossierId, id);
      if (!doc) return { kind: 'not_found' };
      q.deleteDocument.run(dossierId, id);
      return { kind: 'deleted', document: toDocument(doc) };
    },
  );

  const closeDossier = db.transaction((dossierId: string, rules: CloseRules): CloseResult => {
    q.ensureDossier.run(dossierId, rules.campaignId);
    const row = q.dossier.get(dossierId)!;
    if (row.closed_at !== null && row.receipt !== null)
      return { kind: 'already_closed', closedAt: new Date(row.closed_at), receipt: row.receipt };
    if (rules.now.getTime() >= rules.deadline.getTime()) return { kind: 'refused', code: 'deadline_passed' };
    const documents = q.documents.all(dossierId).map(toDocument);
    const held = new Set(documents.map((d) => d.pieceId));
    const missing = rules.blockingPieces.filter((p) => !held.has(p));
    if (missing.length > 0) return { kind: 'refused', code: 'pieces_missing', missing };
    const closedAt = rules.now;
    const receipt = rules.buildReceipt(closedAt, documents);
    q.close.run(closedAt.getTime(), receipt, documents.length, dossierId);
    return { kind: 'closed', closedAt, receipt };
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
    let results: ReturnType<typeof commitAll>;
    try {
      results = commitAll.immediate(items);
    } catch (error) {
      for (const item of items) item.reject(error);
      return;
    }
    durable().then(
      () => results.forEach((r, i) => (r.ok ? items[i]!.resolve(r.value) : items[i]!.reject(r.error))),
      (error: unknown) => items.forEach((item) => item.reject(error)),
    );
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
      return row ? toDossier(row) : null;
    },
    async listDocuments(dossier) {
      return q.documents.all(dossier).map(toDocument);
    },
    async getDocument(dossier, id) {
      const row = q.document.get(dossier, id);
      return row ? toDocument(row) : null;
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
        .map(
          (r): ClosureRow => ({
            dossier: r.dossier,
            campaignId: r.campaign_id,
            closedAt: new Date(r.closed_at!),
            documentsAtClosure: r.documents_at_closure ?? 0,
          }),
        );
    },
    async createSession(tokenHash, session) {
      q.insertSession.run(tokenHash, session.kind, session.subject, session.expiresAt.getTime());
      await durable();
    },
    async findSession(tokenHash, now): Promise<SessionRecord | null> {
      const row = q.session.get(tokenHash, now.getTime());
      if (!row) return null;
      return { kind: row.kind as SessionKind, subject: row.subject, expiresAt: new Date(row.expires_at) };
    },
    async deleteSession(tokenHash) {
      q.deleteSession.run(tokenHash);
      await durable();
    },
    async purgeExpiredSessions(now) {
      const removed = q.purgeSessions.run(now.getTime()).changes;
      await durable();
      return removed;
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
    async close() {
      if (queue.length > 0) flush();
      await durable();
      if (db.open) db.close();
      wal?.close();
    },
  };
}
