/**
 * Everything the companion API keeps, behind one interface: SQLite today, PostgreSQL later,
 * both held to the same contract test suite (test/unit/server-storage-contract.ts).
 *
 * Operations that must be atomic (adding a document, deleting one, closing a dossier) are one
 * call each, and each implementation runs them as one transaction: the checks they take as
 * `rules` are re-done inside it, against the state it sees, so two racing requests can never
 * both win.
 */
import type { DossierCounts, DossierListState } from '../../src-shared/instruction';

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

/**
 * After closure a document goes only to a piece that takes late documents or whose review asks
 * for a correction (storage reads the latter itself); a new document puts the piece's review
 * back to null.
 */
export interface AddDocumentRules {
  campaignId: string;
  now: Date;
  deadline: Date;
  /** The piece accepts documents after closure. */
  lateAllowed: boolean;
  /** The piece holds at most one document. */
  single: boolean;
  /**
   * The id of a document of the same piece that the new one replaces: in the same transaction
   * the old row goes and the new one is written, under the rules of a deletion followed by an
   * addition (dossier-rules `admitReplacement`); the old one does not count against `single`.
   * The same bytes already in the piece while the old document is still there are refused
   * (`already_stored`: nothing would be corrected); once it is gone they are the replacement
   * sent again, and the existing document comes back.
   */
  replaces?: string;
}

export type AddDocumentResult =
  /** `replaced`: the document removed in the same transaction (its bytes are the caller's to remove). */
  | { kind: 'created'; document: StoredDocument; replaced?: StoredDocument }
  | { kind: 'existing'; document: StoredDocument }
  /** `replaces` names no document of this dossier. */
  | { kind: 'not_found' }
  | {
      kind: 'refused';
      code: 'dossier_closed' | 'deadline_passed' | 'piece_full' | 'replaced_other_piece' | 'already_stored';
    };

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

export type ReviewDecision = 'accepted' | 'correction_requested';

/** An instructor's decision on one piece of one dossier, and whether it is open to correction. */
export interface PieceReviewRecord {
  dossier: string;
  pieceId: string;
  /** Null once the candidate sent a new document: the piece is to be checked again. */
  decision: ReviewDecision | null;
  reason: string | null;
  reviewedAt: Date | null;
  reviewer: string | null;
  /**
   * A correction was asked and no review has followed: the piece stays open to its candidate
   * (new documents, deletions), even after closure.
   */
  correctionOpen: boolean;
}

export interface ReviewWrite {
  decision: ReviewDecision;
  reason: string | null;
  reviewedAt: Date;
  reviewer: string;
}

export interface ReviewRules {
  campaignId: string;
  /** The tag of the documents the reviewer saw (If-Match), or null to review whatever is there. */
  expectedTag: string | null;
  /**
   * The tag of a dossier's documents and reviews (the ETag of its pieces), computed inside the
   * transaction: a review written on an older view (a document added or removed, another
   * instructor's decision) is refused.
   */
  tagOf(documents: StoredDocument[], reviews: PieceReviewRecord[]): string;
}

export type ReviewResult =
  | { kind: 'reviewed'; review: PieceReviewRecord }
  | { kind: 'refused'; code: 'review_outdated' };

/** Who a dossier belongs to, from the campaign files, kept in storage so staff can search it. */
export interface DossierIdentity {
  dossier: string;
  campaignId: string;
  lastName: string;
  firstName: string;
}

export interface DossierListFilter {
  campaignIds: string[];
  state: DossierListState | null;
  /** Normalised words (src-shared/search), each found in the dossier number or the names. */
  words: string[];
  /** Dossier numbers after this one, in order. */
  after: string | null;
  limit: number;
}

export interface DossierListRow {
  dossier: string;
  campaignId: string;
  lastName: string;
  firstName: string;
  closedAt: Date | null;
  /** Pieces with a correction open. */
  corrections: string[];
  /** Pieces whose documents changed since their last review. */
  toReview: string[];
  /** Pieces holding at least one document. */
  piecesHeld: string[];
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
  /** A review's decision and the reason given, as decided (null for every other action). */
  decision: ReviewDecision | null;
  reason: string | null;
}

/** What a purge removed (or, dry run, would remove) from one campaign's dossiers. */
export interface PurgeReport {
  dossiers: number;
  /** Documents uploaded before the date: their rows, and their bytes when kept in the database. */
  documentIds: string[];
  documentBytes: number;
  sessions: number;
  /** The candidates' device tokens (section 5.6): long-lived, they go with the sessions. */
  deviceTokens: number;
  auditEntries: number;
  reviews: number;
}

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

/**
 * A short-lived, single-use download ticket (staff exports opened by the browser itself, so a
 * large ZIP streams to disk instead of into the page's memory): who asked, for what, until when.
 */
export interface DownloadTicketRecord {
  /** The staff login the download is recorded under. */
  staff: string;
  /** What it opens: `campaign:ID:STATE` or `dossier:NUMBER` (see instruction/tickets.ts). */
  target: string;
  expiresAt: Date;
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
  /** A document whatever its dossier (staff routes, which then check the dossier's campaign). */
  findDocument(id: string): Promise<StoredDocument | null>;
  /** Every document id, to find blobs left behind by a crash. */
  allDocumentIds(): Promise<Set<string>>;

  /**
   * Records a document whose bytes are already durable. Same sha256 already in the piece: the
   * existing document comes back and nothing is written, whatever the dossier's state (for a
   * replacement, once the document it replaces is gone; see `AddDocumentRules.replaces`).
   */
  addDocument(document: StoredDocument, rules: AddDocumentRules): Promise<AddDocumentResult>;
  deleteDocument(
    dossier: string,
    id: string,
    rules: { campaignId: string; now: Date; deadline: Date },
  ): Promise<DeleteDocumentResult>;
  closeDossier(dossier: string, rules: CloseRules): Promise<CloseResult>;
  listClosures(campaignIds: string[]): Promise<ClosureRow[]>;

  /**
   * Records who each dossier belongs to (names, normalised search key), from the campaign files
   * at start and on reload; answers how many rows changed. Nothing else of a dossier moves.
   */
  indexDossiers(identities: DossierIdentity[]): Promise<number>;
  /** One page of dossiers, ordered by number, for the back office. */
  listDossiers(filter: DossierListFilter): Promise<DossierListRow[]>;
  /** How many dossiers of each campaign each filter of the list holds. */
  countDossiers(campaignIds: string[]): Promise<Map<string, DossierCounts>>;
  listReviews(dossier: string): Promise<PieceReviewRecord[]>;
  /** Writes a review; refused when `expectedTag` no longer matches the dossier's documents. */
  reviewPiece(dossier: string, pieceId: string, review: ReviewWrite, rules: ReviewRules): Promise<ReviewResult>;

  /** Appends to the staff audit trail, durably, before what it records is answered. */
  recordAudit(entries: AuditRecord[]): Promise<void>;
  /** A dossier's audit trail, oldest first. */
  listAudit(dossier: string): Promise<AuditRecord[]>;

  /**
   * RGPD retention (api-contract.md 5.5): removes, in one transaction, the documents uploaded
   * before `before` in the campaign's dossiers, their candidates' sessions, the audit entries and
   * reviews older than `before`; dossier rows (number, names, closure, receipt, count at closure)
   * stay. Null when no dossier belongs to the campaign. `dryRun`: counts only.
   */
  purgeCampaign(campaignId: string, before: Date, dryRun: boolean): Promise<PurgeReport | null>;

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

  /** Keeps a download ticket (its SHA-256 only, like session tokens). */
  createDownloadTicket(tokenHash: string, ticket: DownloadTicketRecord): Promise<void>;
  /**
   * Removes the ticket and answers what it was, expired or not (the caller tells "expired" from
   * "unknown or used"): a ticket can be taken once, even by two requests racing.
   */
  takeDownloadTicket(tokenHash: string): Promise<DownloadTicketRecord | null>;
  purgeExpiredDownloadTickets(now: Date): Promise<number>;

  close(): Promise<void>;
}

export type StorageFactory = () => Promise<{ storage: Storage; cleanup(): Promise<void> }>;
