/**
 * What every instruction route checks and records: the dossier belongs to one of the staff
 * member's campaigns (else 404, as for a dossier that does not exist), and the read or decision
 * goes into the audit trail before it is answered.
 */
import { createHash } from 'node:crypto';
import type { AuditAction } from '../../src-shared/instruction';
import { AppError } from '../../src-shared/errors';
import type { StaffPrincipal } from '../auth';
import type { CandidateAccount } from '../campaigns';
import type { ServerContext } from '../context';
import type { AuditRecord, PieceReviewRecord, StoredDocument } from '../storage/types';

export function instructedAccount(ctx: ServerContext, staff: StaffPrincipal, dossier: string): CandidateAccount {
  const account = ctx.campaigns.candidate(dossier);
  if (!account || !staff.campaignIds.includes(account.campaign.id)) throw new AppError('not_found');
  return account;
}

/** What an audit entry names besides its dossier: a piece, a document, a review's decision and reason. */
export type AuditDetails = Partial<Pick<AuditRecord, 'pieceId' | 'documentId' | 'decision' | 'reason'>>;

/** One audit entry as stored: what the details leave out is null. */
export function auditRecord(at: Date, staff: string, action: AuditAction, dossier: string, details: AuditDetails = {}): AuditRecord {
  return {
    at,
    staff,
    action,
    dossier,
    pieceId: details.pieceId ?? null,
    documentId: details.documentId ?? null,
    decision: details.decision ?? null,
    reason: details.reason ?? null,
  };
}

export function recordStaffRead(
  ctx: ServerContext,
  staff: StaffPrincipal,
  action: AuditAction,
  dossier: string,
  details: AuditDetails = {},
): Promise<void> {
  return ctx.storage.recordAudit([auditRecord(ctx.now(), staff.login, action, dossier, details)]);
}

const digest = (lines: string[]) => createHash('sha256').update(lines.join('\n')).digest('base64url').slice(0, 27);

/** The documents' half of the pieces' ETag: a new or removed document changes it. */
export function documentsDigest(documents: readonly StoredDocument[]): string {
  return digest(documents.map((d) => d.id).sort());
}

/**
 * The ETag of a dossier's pieces: the documents' digest followed by the reviews' digest, so it
 * changes when a document is added or removed or a piece's review changes (another instructor's
 * decision, a review put back to null by a new document). The dossier's page watches for any
 * of these (If-None-Match, 304); a review's If-Match is held to the documents' half only.
 */
export function piecesTag(documents: readonly StoredDocument[], reviews: readonly PieceReviewRecord[]): string {
  const reviewLines = reviews.map(
    (r) => `${r.pieceId} ${r.decision ?? '-'} ${r.reviewedAt?.toISOString() ?? '-'} ${r.reviewer ?? '-'} ${r.correctionOpen ? 1 : 0}`,
  );
  return `"${documentsDigest(documents)}${digest(reviewLines.sort())}"`;
}

/**
 * What a review sent with If-Match is checked against (api-contract.md 5.3): a review is
 * outdated when the dossier's documents changed since the view it was written on. Another
 * instructor's decision does not refuse it (the page tells of those as they come); the same
 * view may decide piece after piece.
 */
export function reviewedDocuments(tag: string | null): string | null {
  if (tag === null) return null;
  const documents = /^"([A-Za-z0-9_-]{27})[A-Za-z0-9_-]{27}"$/.exec(tag);
  // Not a tag of ours (another server's, or edited): it names no current state.
  return documents ? documents[1]! : tag;
}

/** The tag an If-Match header asks for; null when absent or `*` (any current state). */
export function expectedTag(header: string | undefined): string | null {
  const value = header?.trim();
  if (!value || value === '*') return null;
  // A proxy may weaken the tag; what it names is the same state.
  return value.replace(/^W\//, '');
}
