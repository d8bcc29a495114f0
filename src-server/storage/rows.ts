/**
 * One mapping per table shape, from database rows to the records of ./types, shared by the
 * SQLite and PostgreSQL storages. The two databases name the columns alike but hand back three
 * kinds of value differently (an instant, a boolean, a byte count); each storage says how in a
 * `ColumnValues`, and everything else is mapped here once.
 */
import type {
  AuditRecord,
  ClosureRow,
  DossierListRow,
  DeviceTokenRecord,
  DossierRecord,
  PieceReviewRecord,
  ReviewDecision,
  SessionKind,
  SessionRecord,
  StoredDocument,
} from './types';

export interface ColumnValues<Instant, Flag, Count> {
  instant(value: Instant): Date;
  flag(value: Flag): boolean;
  count(value: Count): number;
}

export interface DocumentRow<Instant, Flag, Count> {
  id: string;
  dossier: string;
  piece_id: string;
  filename: string;
  media_type: string;
  bytes: Count;
  sha256: string;
  uploaded_at: Instant;
  late: Flag;
}

export interface DossierRow<Instant> {
  dossier: string;
  campaign_id: string;
  closed_at: Instant | null;
  receipt: string | null;
  documents_at_closure: number | null;
}

export interface ReviewRow<Instant, Flag> {
  dossier: string;
  piece_id: string;
  decision: string | null;
  reason: string | null;
  reviewed_at: Instant | null;
  reviewer: string | null;
  correction_open: Flag;
}

export interface ListedDossierRow<Instant> {
  dossier: string;
  campaign_id: string;
  last_name: string | null;
  first_name: string | null;
  closed_at: Instant | null;
}

export interface AuditRow<Instant> {
  at: Instant;
  staff: string;
  action: string;
  dossier: string;
  piece_id: string | null;
  document_id: string | null;
  decision: string | null;
  reason: string | null;
}

export interface SessionRow<Instant> {
  kind: string;
  subject: string;
  expires_at: Instant;
}

export interface DeviceTokenRow<Instant> {
  dossier: string;
  expires_at: Instant;
}

export interface RowMappers<Instant, Flag, Count> {
  document(row: DocumentRow<Instant, Flag, Count>): StoredDocument;
  dossier(row: DossierRow<Instant>): DossierRecord;
  /** Only for a closed dossier's row. */
  closure(row: DossierRow<Instant>): ClosureRow;
  session(row: SessionRow<Instant>): SessionRecord;
  review(row: ReviewRow<Instant, Flag>): PieceReviewRecord;
  device(row: DeviceTokenRow<Instant>): DeviceTokenRecord;
  audit(row: AuditRow<Instant>): AuditRecord;
  /** A page of the list, with each dossier's open corrections and pieces holding documents. */
  listed(
    rows: ListedDossierRow<Instant>[],
    corrections: { dossier: string; piece_id: string }[],
    held: { dossier: string; piece_id: string }[],
    toReview: { dossier: string; piece_id: string }[],
  ): DossierListRow[];
}

function byDossier(pairs: { dossier: string; piece_id: string }[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const { dossier, piece_id } of pairs) {
    const list = map.get(dossier);
    if (list) list.push(piece_id);
    else map.set(dossier, [piece_id]);
  }
  return map;
}

export function rowMappers<Instant, Flag, Count>(
  values: ColumnValues<Instant, Flag, Count>,
): RowMappers<Instant, Flag, Count> {
  return {
    document: (row) => ({
      id: row.id,
      dossier: row.dossier,
      pieceId: row.piece_id,
      filename: row.filename,
      mediaType: row.media_type as StoredDocument['mediaType'],
      bytes: values.count(row.bytes),
      sha256: row.sha256,
      uploadedAt: values.instant(row.uploaded_at),
      late: values.flag(row.late),
    }),
    dossier: (row) => ({
      dossier: row.dossier,
      campaignId: row.campaign_id,
      closedAt: row.closed_at === null ? null : values.instant(row.closed_at),
      receipt: row.receipt,
      documentsAtClosure: row.documents_at_closure,
    }),
    closure: (row) => ({
      dossier: row.dossier,
      campaignId: row.campaign_id,
      closedAt: values.instant(row.closed_at!),
      documentsAtClosure: row.documents_at_closure ?? 0,
    }),
    session: (row) => ({
      kind: row.kind as SessionKind,
      subject: row.subject,
      expiresAt: values.instant(row.expires_at),
    }),
    review: (row) => ({
      dossier: row.dossier,
      pieceId: row.piece_id,
      decision: row.decision as ReviewDecision | null,
      reason: row.reason,
      reviewedAt: row.reviewed_at === null ? null : values.instant(row.reviewed_at),
      reviewer: row.reviewer,
      correctionOpen: values.flag(row.correction_open),
    }),
    device: (row) => ({ dossier: row.dossier, expiresAt: values.instant(row.expires_at) }),
    audit: (row) => ({
      at: values.instant(row.at),
      staff: row.staff,
      action: row.action,
      dossier: row.dossier,
      pieceId: row.piece_id,
      documentId: row.document_id,
      decision: row.decision as ReviewDecision | null,
      reason: row.reason,
    }),
    listed: (rows, corrections, held, toReview) => {
      const open = byDossier(corrections);
      const pieces = byDossier(held);
      const changed = byDossier(toReview);
      return rows.map((row) => ({
        dossier: row.dossier,
        campaignId: row.campaign_id,
        lastName: row.last_name ?? '',
        firstName: row.first_name ?? '',
        closedAt: row.closed_at === null ? null : values.instant(row.closed_at),
        corrections: open.get(row.dossier) ?? [],
        toReview: changed.get(row.dossier) ?? [],
        piecesHeld: pieces.get(row.dossier) ?? [],
      }));
    },
  };
}
