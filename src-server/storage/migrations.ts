/**
 * Schema migrations, numbered, for both databases. Each list only grows: a released migration is
 * never edited, a change is a new entry. The runners record what they applied (SQLite in
 * `PRAGMA user_version`, PostgreSQL in a `schema_migrations` table) and apply the rest in
 * order with their bookkeeping in the same transaction (one per migration on SQLite, one for
 * all pending ones on PostgreSQL, whose DDL is transactional), so a crash mid-way leaves a
 * schema that matches what is recorded.
 *
 * Written here rather than taken from a library (node-pg-migrate, umzug...): two short lists,
 * forward only, run at start by the server itself; the one subtle part, two PostgreSQL servers
 * starting at once, is a single advisory lock below.
 */
import type Database from 'better-sqlite3';
import type { Pool } from 'pg';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** IF NOT EXISTS: files created before migrations were tracked hold exactly this schema. */
export const SQLITE_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'dossiers, documents, sessions',
    sql: `
CREATE TABLE IF NOT EXISTS dossiers (
  dossier TEXT PRIMARY KEY,
  campaign_id TEXT NOT NULL,
  closed_at INTEGER,
  receipt TEXT,
  documents_at_closure INTEGER
);
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY,
  dossier TEXT NOT NULL,
  piece_id TEXT NOT NULL,
  filename TEXT NOT NULL,
  media_type TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  uploaded_at INTEGER NOT NULL,
  late INTEGER NOT NULL,
  UNIQUE (dossier, piece_id, sha256)
);
CREATE INDEX IF NOT EXISTS documents_by_dossier ON documents (dossier, uploaded_at);
CREATE TABLE IF NOT EXISTS sessions (
  token_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  subject TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);`,
  },
  {
    version: 2,
    name: 'reviews; names and search key of every dossier',
    sql: `
CREATE TABLE reviews (
  dossier TEXT NOT NULL,
  piece_id TEXT NOT NULL,
  decision TEXT CHECK (decision IN ('accepted', 'correction_requested')),
  reason TEXT,
  reviewed_at INTEGER,
  reviewer TEXT,
  correction_open INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (dossier, piece_id)
);
CREATE INDEX reviews_open_corrections ON reviews (dossier) WHERE correction_open = 1;
ALTER TABLE dossiers ADD COLUMN last_name TEXT;
ALTER TABLE dossiers ADD COLUMN first_name TEXT;
-- src-shared/search searchKey of "number last name first name": what staff search matches.
ALTER TABLE dossiers ADD COLUMN search TEXT;
CREATE INDEX dossiers_by_campaign ON dossiers (campaign_id, dossier);
CREATE INDEX documents_by_piece ON documents (dossier, piece_id);`,
  },
  {
    version: 3,
    name: 'staff audit trail',
    sql: `
CREATE TABLE staff_audit (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  staff TEXT NOT NULL,
  action TEXT NOT NULL,
  dossier TEXT NOT NULL,
  piece_id TEXT,
  document_id TEXT
);
CREATE INDEX staff_audit_by_dossier ON staff_audit (dossier, at);`,
  },
  {
    version: 4,
    name: 'device tokens',
    sql: `
CREATE TABLE device_tokens (
  token_hash TEXT PRIMARY KEY,
  dossier TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX device_tokens_by_expiry ON device_tokens (expires_at);`,
  },
  {
    version: 5,
    name: 'download tickets of staff exports',
    sql: `
CREATE TABLE download_tickets (
  token_hash TEXT PRIMARY KEY,
  staff TEXT NOT NULL,
  target TEXT NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX download_tickets_by_expiry ON download_tickets (expires_at);`,
  },
  {
    version: 6,
    name: 'decision and reason of a review in the audit trail; pieces to check again',
    sql: `
ALTER TABLE staff_audit ADD COLUMN decision TEXT;
ALTER TABLE staff_audit ADD COLUMN reason TEXT;
CREATE INDEX reviews_to_review ON reviews (dossier) WHERE decision IS NULL;`,
  },
];

export const POSTGRES_MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'dossiers, documents, sessions, login throttles',
    sql: `
CREATE TABLE dossiers (
  dossier text PRIMARY KEY,
  campaign_id text NOT NULL,
  closed_at timestamptz,
  receipt text,
  documents_at_closure integer,
  -- Counts changes to the dossier (documents added or deleted, closure): a closure decided on
  -- a snapshot commits only if the count is still the one it saw.
  version bigint NOT NULL DEFAULT 0
);
CREATE INDEX dossiers_closed ON dossiers (campaign_id, closed_at) WHERE closed_at IS NOT NULL;
CREATE TABLE documents (
  id text PRIMARY KEY,
  -- Insertion order, the tie-break when two documents share an upload instant.
  position bigint GENERATED ALWAYS AS IDENTITY,
  dossier text NOT NULL REFERENCES dossiers (dossier),
  piece_id text NOT NULL,
  filename text NOT NULL,
  media_type text NOT NULL CHECK (media_type IN ('application/pdf', 'image/jpeg')),
  bytes bigint NOT NULL CHECK (bytes >= 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  uploaded_at timestamptz NOT NULL,
  late boolean NOT NULL,
  UNIQUE (dossier, piece_id, sha256)
);
CREATE INDEX documents_by_dossier ON documents (dossier, uploaded_at, position);
CREATE TABLE sessions (
  token_hash text PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('candidate', 'staff')),
  subject text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE TABLE login_throttles (
  key text PRIMARY KEY,
  attempts integer NOT NULL,
  blocked_until timestamptz,
  last_attempt timestamptz NOT NULL
);`,
  },
  {
    version: 2,
    name: 'document bytes and the receipt key, shared by every server',
    sql: `
CREATE TABLE blobs (
  id text PRIMARY KEY,
  bytes bigint NOT NULL CHECK (bytes >= 0),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  chunks integer NOT NULL CHECK (chunks >= 0),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE blob_chunks (
  blob_id text NOT NULL REFERENCES blobs (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (blob_id, seq)
);
-- PDF and JPEG are already compressed: out-of-line storage without a compression attempt.
ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;
CREATE TABLE receipt_key (
  id integer PRIMARY KEY CHECK (id = 1),
  private_key_pem text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);`,
  },
  {
    version: 3,
    name: 'reviews; names and search key of every dossier',
    sql: `
CREATE TABLE reviews (
  dossier text NOT NULL REFERENCES dossiers (dossier),
  piece_id text NOT NULL,
  decision text CHECK (decision IN ('accepted', 'correction_requested')),
  reason text,
  reviewed_at timestamptz,
  reviewer text,
  correction_open boolean NOT NULL DEFAULT false,
  PRIMARY KEY (dossier, piece_id)
);
CREATE INDEX reviews_open_corrections ON reviews (dossier) WHERE correction_open;
ALTER TABLE dossiers ADD COLUMN last_name text, ADD COLUMN first_name text, ADD COLUMN search text;
CREATE INDEX dossiers_by_campaign ON dossiers (campaign_id, dossier);`,
  },
  {
    version: 4,
    name: 'staff audit trail',
    sql: `
CREATE TABLE staff_audit (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  staff text NOT NULL,
  action text NOT NULL,
  dossier text NOT NULL,
  piece_id text,
  document_id text
);
CREATE INDEX staff_audit_by_dossier ON staff_audit (dossier, at);`,
  },
  {
    version: 5,
    name: 'device tokens',
    sql: `
CREATE TABLE device_tokens (
  token_hash text PRIMARY KEY,
  dossier text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX device_tokens_by_expiry ON device_tokens (expires_at);`,
  },
  {
    version: 6,
    name: 'download tickets of staff exports',
    sql: `
CREATE TABLE download_tickets (
  token_hash text PRIMARY KEY,
  staff text NOT NULL,
  target text NOT NULL,
  expires_at timestamptz NOT NULL
);
CREATE INDEX download_tickets_by_expiry ON download_tickets (expires_at);`,
  },
  {
    version: 7,
    name: 'decision and reason of a review in the audit trail; pieces to check again',
    sql: `
ALTER TABLE staff_audit ADD COLUMN decision text, ADD COLUMN reason text;
CREATE INDEX reviews_to_review ON reviews (dossier) WHERE decision IS NULL;`,
  },
];

function checkOrder(migrations: Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1)
      throw new Error(`migration ${m.name} numbered ${m.version}, expected ${i + 1}`);
  });
}

/** Applies what the file lacks; refuses a file written by a newer server. */
export function migrateSqlite(
  db: Database.Database,
  migrations: Migration[] = SQLITE_MIGRATIONS,
): number {
  checkOrder(migrations);
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length)
    throw new Error(
      `database schema version ${current} is newer than this server (${migrations.length})`,
    );
  for (const m of migrations.slice(current)) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
  }
  return migrations.length - current;
}

// Any constant: only our migrations take this advisory lock.
const MIGRATION_LOCK = 0x6465706f; // "depo"

/**
 * Applies what the database lacks. Servers starting together queue on an advisory lock, so
 * each migration runs once; the others then find it recorded.
 */
export async function migratePostgres(
  pool: Pool,
  migrations: Migration[] = POSTGRES_MIGRATIONS,
): Promise<number> {
  checkOrder(migrations);
  const client = await pool.connect();
  let applied = 0;
  try {
    // Taken before anything else: two servers creating the bookkeeping table at the same
    // instant collide even with IF NOT EXISTS (duplicate type). A session lock, released below
    // or when the connection drops.
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await client.query('BEGIN');
      try {
        await client.query(
          `CREATE TABLE IF NOT EXISTS schema_migrations (
             version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
        );
        const { rows } = await client.query<{ version: number }>(
          'SELECT version FROM schema_migrations ORDER BY version',
        );
        const done = new Set(rows.map((r) => r.version));
        const newest = Math.max(0, ...done);
        if (newest > migrations.length)
          throw new Error(
            `database schema version ${newest} is newer than this server (${migrations.length})`,
          );
        for (const m of migrations) {
          if (done.has(m.version)) continue;
          await client.query(m.sql);
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            m.version,
            m.name,
          ]);
          applied++;
        }
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    }
  } finally {
    client.release();
  }
  return applied;
}
