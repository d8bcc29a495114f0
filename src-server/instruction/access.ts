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

/**
 * The ETag of a dossier's pieces: it changes exactly when a document is added or removed or a
 * piece's review changes (another instructor's decision, a review put back to null by a new
 * document), which is what makes a review written on an older view outdated (409
 * review_outdated) and what the dossier's page watches for (If-None-Match, 304).
 */
export function piecesTag(documents: readonly StoredDocument[], reviews: readonly PieceReviewRecord[]): string {
  const lines = [
    ...documents.map((d) => `d ${d.id}`).sort(),
    ...reviews
      .map((r) => `r ${r.pieceId} ${r.decision ?? '-'} ${r.reviewedAt?.toISOString() ?? '-'} ${r.reviewer ?? '-'} ${r.correctionOpen ? 1 : 0}`)
      .sort(),
  ];
  return `"${createHash('sha256').update(lines.join('\n')).digest('base64url').slice(0, 27)}"`;
}

/** The tag an If-Match header asks for; null when absent or `*` (any current state). */
export function expectedTag(header: string | undefined): string | null {
  const value = header?.trim();
  if (!value || value === '*') return null;
  // A proxy may weaken the tag; what it names is the same state.
  return value.replace(/^W\//, '');
}
