/**
 * An instructor's decision on a piece (api-contract.md 5.3): "accepted" or
 * "correction_requested" with the reason the candidate will read as written. With If-Match,
 * refused as review_outdated when the dossier's documents changed since the reviewer loaded them
 * (another instructor's decision alone does not: see reviewedDocuments).
 */
import { REVIEW_REASON_MAX, type Review, type ReviewRequest } from '../../src-shared/instruction';
import { AppError } from '../../src-shared/errors';
import type { StaffPrincipal } from '../auth';
import { findPiece } from '../campaigns';
import type { ServerContext } from '../context';
import { documentsDigest, expectedTag, instructedAccount, recordStaffRead, reviewedDocuments } from './access';
import { staffReview } from './dossiers';

/** The reason as written, or null; refused when a correction has none or it is too long. */
function reasonOf(request: ReviewRequest): string | null {
  const reason = request.reason ?? null;
  const given = reason !== null && reason.trim().length > 0;
  if (request.decision === 'correction_requested' && !given) throw new AppError('review_reason_invalid');
  if (given && [...reason].length > REVIEW_REASON_MAX) throw new AppError('review_reason_invalid');
  return given ? reason : null;
}

export async function reviewPiece(
  ctx: ServerContext,
  staff: StaffPrincipal,
  params: { dossier: string; pieceId: string },
  body: ReviewRequest,
  ifMatch: string | undefined,
): Promise<Review> {
  const account = instructedAccount(ctx, staff, params.dossier);
  const piece = findPiece(account.campaign, params.pieceId);
  if (!piece) throw new AppError('piece_not_found');
  const reason = reasonOf(body);
  const result = await ctx.storage.reviewPiece(
    account.dossier,
    piece.id,
    { decision: body.decision, reason, reviewedAt: ctx.now(), reviewer: staff.login },
    { campaignId: account.campaign.id, expectedTag: reviewedDocuments(expectedTag(ifMatch)), tagOf: documentsDigest },
  );
  if (result.kind === 'refused') throw new AppError(result.code);
  await recordStaffRead(ctx, staff, 'review', account.dossier, { pieceId: piece.id, decision: body.decision, reason });
  return staffReview(result.review)!;
}
