/**
 * Everything the companion API keeps, behind one interface: SQLite today, PostgreSQL later,
 * both held to the same contract test suite (test/unit/server-storage-contract.ts).
 *
 * Operations that must be atomic (adding a document, deleting one, closing a dossier) are one
 * call each, and each implementation runs them as one transaction: the checks they take as
 * `rules` are re-done inside it, against the state it sees, so two racing requests can never
 * both win.
 */

export interface StoredDocument {
  id: string;
  dossier: string;
  pieceId: string;
  filename: string;
  mediaType: 'application/pdf' | 'image/jpeg';
  bytes: number;
  sha256: string;
  uploadedAt: Date;
  late: boolean;
}

export interface DossierRecord {
  dossier: string;
  campaignId: string;
  closedAt: Date | null;
  /** The signed receipt envelope as JSON text, exactly as first answered. */
  receipt: string | null;
  documentsAtClosure: number | null;
}

export interface AddDocumentRules {
  campaignId: string;
  now: Date;
  deadline: Date;
  /** The piece accepts documents after closure. */
  lateAllowed: boolean;
  /** The piece holds at most one document. */
  single: boolean;
}

export type AddDocumentResult =
  | { kind: 'created'; document: StoredDocument }
  | { kind: 'existing'; document: StoredDocument }
  | { kind: 'refused'; code: 'dossier_closed' | 'deadline_passed' | 'piece_full' };

export type DeleteDocumentResult =
  | { kind: 'deleted'; document: StoredDocument }
  | { kind: 'not_found' }
  | { kind: 'refused'; code: 'dossier_closed' | 'deadline_passed' };

export interface CloseRules {
  campaignId: string;
  now: Date;
  deadline: Date;
  /** Pieces that block closure while they hold no document. */
  blockingPieces: string[];
  /** Builds the signed receipt envelope (JSON text) from what the transaction sees. */
  buildReceipt(closedAt: Date, documents: StoredDocument[]): string;
}

export type CloseResult =
  | { kind: 'closed'; closedAt: Date; receipt: string }
  | { kind: 'already_closed'; closedAt: Date; receipt: string }
  | { kind: 'refused'; code: 'deadline_passed' }
  | { kind: 'refused'; code: 'pieces_missing'; missing: string[] };

export type SessionKind = 'candidate' | 'staff';

export interface SessionRecord {
  kind: SessionKind;
  /** The dossier number for a candidate, the login for staff. */
  subject: string;
  expiresAt: Date;
}

export type LoginAdmission = { admitted: true; attempts: number } | { admitted: false; retryAt: Date };

/** A device token (api-contract.md 5.6): handed out at a candidate's login, kept by their app. */
export interface DeviceTokenRecord {
  dossier: string;
  expiresAt: Date;
}

/** One staff read or decision, kept in the database (api-contract.md 5.3, `GET /staff/audit`). */
export interface AuditRecord {
  at: Date;
  /** The staff login. */
  staff: string;
  action: string;
  dossier: string;
  pieceId: string | null;
  documentId: string | null;
}

export interface ClosureRow {
  dossier: string;
  campaignId: string;
  closedAt: Date;
  documentsAtClosure: number;
}

export interface Storage {
  getDossier(dossier: string): Promise<DossierRecord | null>;
  listDocuments(dossier: string): Promise<StoredDocument[]>;
  getDocument(dossier: string, id: string): Promise<StoredDocument | null>;
  /** Every document id, to find blobs left behind by a crash. */
  allDocumentIds(): Promise<Set<string>>;

  /**
   * Records a document whose bytes are already durable. Same sha256 already in the piece: the
   * existing document comes back and nothing is written, whatever the dossier's state.
   */
  addDocument(document: StoredDocument, rules: AddDocumentRules): Promise<AddDocumentResult>;
  deleteDocument(
    dossier: string,
    id: string,
    rules: { campaignId: string; now: Date; deadline: Date },
  ): Promise<DeleteDocumentResult>;
  closeDossier(dossier: string, rules: CloseRules): Promise<CloseResult>;
  listClosures(campaignIds: string[]): Promise<ClosureRow[]>;

  createSession(tokenHash: string, session: SessionRecord): Promise<void>;
  /** The session if it exists and has not expired at `now`. */
  findSession(tokenHash: string, now: Date): Promise<SessionRecord | null>;
  deleteSession(tokenHash: string): Promise<void>;
  purgeExpiredSessions(now: Date): Promise<number>;

  /**
   * Atomically: refuses when `key` is blocked at `now`; otherwise counts one more attempt
   * (provisionally failed, until `clearLoginThrottle`) and blocks the key for
   * `delayFor(attempts)` ms. Checking and counting in one step means parallel attempts cannot
   * all slip through before the first failure is recorded.
   */
  admitLoginAttempt(key: string, now: Date, delayFor: (attempts: number) => number): Promise<LoginAdmission>;
  clearLoginThrottle(key: string): Promise<void>;
  /** Forgets throttles idle since before `before` (unknown dossier numbers tried once). */
  purgeLoginThrottles(before: Date): Promise<number>;

  /** Keeps a device token (its SHA-256 only, like session tokens). */
  createDeviceToken(tokenHash: string, device: DeviceTokenRecord): Promise<void>;
  /** The device token if it exists and has not expired at `now`. */
  findDeviceToken(tokenHash: string, now: Date): Promise<DeviceTokenRecord | null>;
  purgeExpiredDeviceTokens(now: Date): Promise<number>;

  /** Appends to the staff audit trail, durably, before what it records is answered. */
  recordAudit(entries: AuditRecord[]): Promise<void>;
  /** A dossier's audit trail, oldest first. */
  listAudit(dossier: string): Promise<AuditRecord[]>;

  close(): Promise<void>;
}

export type StorageFactory = () => Promise<{ storage: Storage; cleanup(): Promise<void> }>;
