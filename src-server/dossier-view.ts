/** The Dossier as the API answers it (api-contract.md section 3), from campaign and storage. */
import {
  ACCEPTED_MEDIA_TYPES,
  CLOSED_STATUS_MESSAGE,
  type CampaignSummary,
  type CandidateReview,
  type DocumentInfo,
  type Dossier,
} from '../src-shared/contract';
import { pieceMaxBytes, type Campaign } from '../src-shared/campaign';
import type { CandidateAccount } from './campaigns';
import { blockingPieces } from './campaigns';
import { piecesWithoutDocument } from './dossier-rules';
import type { DossierRecord, PieceReviewRecord, StoredDocument } from './storage/types';

export function campaignSummary(campaign: Campaign): CampaignSummary {
  return {
    id: campaign.id,
    title: campaign.title,
    organiser: campaign.organiser,
    closesAt: campaign.closesAtInstant.toISOString(),
    timeZone: campaign.timeZone,
  };
}

export function documentInfo(doc: StoredDocument): DocumentInfo {
  return {
    id: doc.id,
    filename: doc.filename,
    mediaType: doc.mediaType,
    bytes: doc.bytes,
    sha256: doc.sha256,
    uploadedAt: doc.uploadedAt.toISOString(),
    late: doc.late,
  };
}

export function missingPieces(campaign: Campaign, documents: StoredDocument[]): string[] {
  return piecesWithoutDocument(blockingPieces(campaign), documents);
}

/** What the candidate sees of a review: the decision and reason, never who decided. */
export function candidateReview(review: PieceReviewRecord | undefined): CandidateReview | null {
  if (!review?.decision || !review.reviewedAt) return null;
  return { decision: review.decision, reason: review.reason, reviewedAt: review.reviewedAt.toISOString() };
}

/** The pieces open to correction, in the campaign's order. */
export function openCorrections(campaign: Campaign, reviews: PieceReviewRecord[]): string[] {
  const open = new Set(reviews.filter((r) => r.correctionOpen).map((r) => r.pieceId));
  return campaign.pieces.filter((p) => open.has(p.id)).map((p) => p.id);
}

export function dossierView(
  account: CandidateAccount,
  record: DossierRecord | null,
  documents: StoredDocument[],
  reviews: PieceReviewRecord[],
): Dossier {
  const campaign = account.campaign;
  const reviewOf = new Map(reviews.map((r) => [r.pieceId, r]));
  const closedAt = record?.closedAt ?? null;
  return {
    dossier: account.dossier,
    lastName: account.lastName,
    firstName: account.firstName,
    campaign: campaignSummary(campaign),
    state: closedAt ? 'closed' : 'open',
    closedAt: closedAt ? closedAt.toISOString() : null,
    ...(closedAt ? { statusMessage: CLOSED_STATUS_MESSAGE } : {}),
    pieces: campaign.pieces.map((piece) => ({
      id: piece.id,
      label: piece.label,
      help: piece.help ?? '',
      required: piece.required,
      lateAllowed: piece.lateAllowed,
      multiple: piece.multiple,
      accepts: [...ACCEPTED_MEDIA_TYPES],
      maxBytes: pieceMaxBytes(campaign, piece),
      documents: documents.filter((d) => d.pieceId === piece.id).map(documentInfo),
      review: candidateReview(reviewOf.get(piece.id)),
    })),
    missing: missingPieces(campaign, documents),
    corrections: openCorrections(campaign, reviews),
  };
}
