/**
 * The journal of one dossier's send queue: a small SQLite database (better-sqlite3) in the
 * dossier's workspace folder. SQLite rather than an append-only JSON-lines file because each
 * state change is then one atomic, fsynced transaction (WAL, synchronous=FULL): no torn last
 * line to recover after a kill, no compaction to write, and "is anything pending?" is a query.
 * The bytes themselves are plain files beside it (outbox/<id>.bin), written durably first.
 */
import Database from 'better-sqlite3';
import type { DocumentInfo } from '../../src-shared/contract';
import type { QueueItem, QueueState } from '../../src-shared/assistant-api';
import type { ErrorInfo } from '../../src-shared/errors';

interface Row {
  id: string;
  piece_id: string;
  filename: string;
  media_type: string;
  bytes: number;
  sha256: string;
  state: QueueState;
  attempts: number;
  next_attempt_at: number | null;
  error: string | null;
  document: string | null;
  queued_at: number;
  replaces: string | null;
}

export type NewItem = Pick<QueueItem, 'id' | 'pieceId' | 'filename' | 'mediaType' | 'bytes' | 'sha256'> &
  Partial<Pick<QueueItem, 'replaces'>>;

export class UploadJournal {
  private readonly db: Database.Database;

  constructor(file: string, readonly dossier: string) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(`CREATE TABLE IF NOT EXISTS items (
      id TEXT PRIMARY KEY,
      piece_id TEXT NOT NULL,
      filename TEXT NOT NULL,
      media_type TEXT NOT NULL,
      bytes INTEGER NOT NULL,
      sha256 TEXT NOT NULL,
      state TEXT NOT NULL CHECK (state IN ('pending', 'sent', 'refused')),
      attempts INTEGER NOT NULL DEFAULT 0,
      next_attempt_at INTEGER,
      error TEXT,
      document TEXT,
      queued_at INTEGER NOT NULL,
      replaces TEXT
    )`);
    // A journal written by an earlier version has no \`replaces\`: its items were additions.
    const columns = this.db.prepare<[], { name: string }>('PRAGMA table_info(items)').all();
    if (!columns.some((c) => c.name === 'replaces')) this.db.exec('ALTER TABLE items ADD COLUMN replaces TEXT');
  }

  /** Adds an item; adding the same id again changes nothing (a repeated send). Answers whether it was new. */
  add(item: NewItem, now: Date): boolean {
    const info = this.db
      .prepare(
        `INSERT OR IGNORE INTO items (id, piece_id, filename, media_type, bytes, sha256, state, next_attempt_at, queued_at, replaces)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)`,
      )
      .run(
        item.id,
        item.pieceId,
        item.filename,
        item.mediaType,
        item.bytes,
        item.sha256,
        now.getTime(),
        now.getTime(),
        item.replaces ?? null,
      );
    return info.changes === 1;
  }

  get(id: string): QueueItem | undefined {
    const row = this.db.prepare('SELECT * FROM items WHERE id = ?').get(id) as Row | undefined;
    return row && this.toItem(row);
  }

  list(): QueueItem[] {
    return (this.db.prepare('SELECT * FROM items ORDER BY queued_at, rowid').all() as Row[]).map((r) => this.toItem(r));
  }

  pending(): QueueItem[] {
    return this.list().filter((i) => i.state === 'pending');
  }

  markSent(id: string, document: DocumentInfo): void {
    this.db
      .prepare(`UPDATE items SET state = 'sent', document = ?, error = NULL, next_attempt_at = NULL WHERE id = ?`)
      .run(JSON.stringify(document), id);
  }

  markRefused(id: string, error: ErrorInfo): void {
    this.db
      .prepare(`UPDATE items SET state = 'refused', error = ?, next_attempt_at = NULL, attempts = attempts + 1 WHERE id = ?`)
      .run(JSON.stringify(error), id);
  }

  /** A transient failure: counted, with its reason, and the time of the next attempt. */
  markRetry(id: string, error: ErrorInfo, nextAttemptAt: Date): void {
    this.db
      .prepare(`UPDATE items SET error = ?, next_attempt_at = ?, attempts = attempts + 1 WHERE id = ? AND state = 'pending'`)
      .run(JSON.stringify(error), nextAttemptAt.getTime(), id);
  }

  /** Notes why a pending item waits (an expired session), without counting an attempt. */
  markWaiting(id: string, error: ErrorInfo): void {
    this.db.prepare(`UPDATE items SET error = ? WHERE id = ? AND state = 'pending'`).run(JSON.stringify(error), id);
  }

  /** Makes every pending item due now (the network came back, or the person asked). */
  dueNow(now: Date): void {
    this.db.prepare(`UPDATE items SET next_attempt_at = ? WHERE state = 'pending'`).run(now.getTime());
  }

  remove(id: string): void {
    this.db.prepare('DELETE FROM items WHERE id = ?').run(id);
  }

  /** Forgets sent items queued before `olderThan`: the dossier view from the server shows them. */
  pruneSent(olderThan: Date): void {
    this.db.prepare(`DELETE FROM items WHERE state = 'sent' AND queued_at < ?`).run(olderThan.getTime());
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private toItem(row: Row): QueueItem {
    return {
      id: row.id,
      dossier: this.dossier,
      pieceId: row.piece_id,
      filename: row.filename,
      mediaType: row.media_type as QueueItem['mediaType'],
      bytes: row.bytes,
      sha256: row.sha256,
      state: row.state,
      attempts: row.attempts,
      nextAttemptAt: row.state === 'pending' && row.next_attempt_at !== null ? new Date(row.next_attempt_at).toISOString() : null,
      error: row.error ? (JSON.parse(row.error) as ErrorInfo) : null,
      document: row.document ? (JSON.parse(row.document) as DocumentInfo) : null,
      queuedAt: new Date(row.queued_at).toISOString(),
      replaces: row.replaces,
    };
  }
}
