/**
 * The back office's reading side (api-contract.md 5.3): the list of dossiers (filters, search,
 * cursor paging, all done by the database on an indexed, normalised column so 20,000 dossiers
 * stay fast), one dossier's pieces with their documents and reviews, a document's bytes, and
 * the audit trail.
 */
import type { FastifyReply } from 'fastify';
import {
  LIST_LIMIT_DEFAULT,
  LIST_LIMIT_MAX,
  type AuditEntry,
  type DossierList,
  type DossierListState,
  type InstructionPieces,
  type Review,
  type StaffCampaign,
} from '../../src-shared/instruction';
import { AppError } from '../../src-shared/errors';
import { searchWords } from '../../src-shared/search';
import type { StaffPrincipal } from '../auth';
import { blockingPieces } from '../campaigns';
import type { ServerContext } from '../context';
import { sendDocument } from '../document-download';
import { piecesWithoutDocument } from '../dossier-rules';
import { documentInfo } from '../dossier-view';
import type { PieceReviewRecord } from '../storage/types';
import { expectedTag, instructedAccount, piecesTag, recordStaffRead } from './access';

export interface ListQuery {
  state?: DossierListState;
  q?: string;
  cursor?: string;
  limit?: string;
}

/** Cursors are opaque to clients: the last dossier number of the page, base64url. */
const cursorOf = (dossier: string): string => Buffer.from(dossier, 'utf8').toString('base64url');

function afterOf(cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null;
  const dossier = /^[A-Za-z0-9_-]+$/.test(cursor) ? Buffer.from(cursor, 'base64url').toString('utf8') : '';
  if (dossier.length === 0 || cursorOf(dossier) !== cursor) throw new AppError('validation_failed');
  return dossier;
}

function limitOf(text: string | undefined): number {
  if (text === undefined) return LIST_LIMIT_DEFAULT;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > LIST_LIMIT_MAX) throw new AppError('validation_failed');
  return n;
}

export async function listDossiers(ctx: ServerContext, staff: StaffPrincipal, query: ListQuery): Promise<DossierList> {
  const limit = limitOf(query.limit);
  const rows = await ctx.storage.listDossiers({
    campaignIds: staff.campaignIds,
    state: query.state ?? null,
    words: searchWords(query.q ?? ''),
    after: afterOf(query.cursor),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const dossiers = page.flatMap((row) => {
    // A dossier dropped from its campaign file keeps its stored rows, but is no longer listed.
    const account = ctx.campaigns.candidate(row.dossier);
    if (!account || account.campaign.id !== row.campaignId) return [];
    return [
      {
        dossier: row.dossier,
        lastName: account.lastName,
        firstName: account.firstName,
        campaignId: row.campaignId,
        state: row.closedAt ? ('closed' as const) : ('open' as const),
        closedAt: row.closedAt ? row.closedAt.toISOString() : null,
        missing: piecesWithoutDocument(
          blockingPieces(account.campaign),
          row.piecesHeld.map((pieceId) => ({ pieceId })),
        ),
        corrections: row.corrections,
        toReview: row.toReview,
      },
    ];
  });
  return { dossiers, next: rows.length > limit ? cursorOf(page[page.length - 1]!.dossier) : null };
}

/** The instructor's campaigns, with how many dossiers each filter of the list holds. */
export async function staffCampaigns(ctx: ServerContext, staff: StaffPrincipal): Promise<{ campaigns: StaffCampaign[] }> {
  const counts = await ctx.storage.countDossiers(staff.campaignIds);
  const none = { open: 0, closed: 0, correction: 0, to_review: 0 };
  return {
    campaigns: staff.campaignIds.flatMap((id) => {
      const campaign = ctx.campaigns.campaign(id);
      return campaign ? [{ id: campaign.id, title: campaign.title, counts: counts.get(id) ?? none }] : [];
    }),
  };
}

export function staffReview(review: PieceReviewRecord | undefined): Review | null {
  if (!review?.decision || !review.reviewedAt || !review.reviewer) return null;
  return {
    decision: review.decision,
    reason: review.reason,
    reviewedAt: review.reviewedAt.toISOString(),
    reviewer: review.reviewer,
  };
}

/**
 * A dossier's pieces; null (304) when `ifNoneMatch` names the current ETag: the page that asks
 * only checks whether anything changed, reads nothing new, and leaves no audit entry.
 */
export async function dossierPieces(
  ctx: ServerContext,
  staff: StaffPrincipal,
  dossier: string,
  ifNoneMatch: string | undefined,
  reply: FastifyReply,
): Promise<InstructionPieces | null> {
  const account = instructedAccount(ctx, staff, dossier);
  const [documents, reviews] = await Promise.all([ctx.storage.listDocuments(dossier), ctx.storage.listReviews(dossier)]);
  const tag = piecesTag(documents, reviews);
  reply.header('etag', tag);
  if (expectedTag(ifNoneMatch) === tag) return null;
  await recordStaffRead(ctx, staff, 'lookup', dossier);
  const reviewOf = new Map(reviews.map((r) => [r.pieceId, r]));
  return {
    pieces: account.campaign.pieces.map((piece) => ({
      id: piece.id,
      label: piece.label,
      required: piece.required,
      lateAllowed: piece.lateAllowed,
      documents: documents.filter((d) => d.pieceId === piece.id).map(documentInfo),
      review: staffReview(reviewOf.get(piece.id)),
      correctionPending: reviewOf.get(piece.id)?.correctionOpen ?? false,
      changedSinceReview: reviewOf.has(piece.id) && reviewOf.get(piece.id)!.decision === null,
    })),
  };
}

export async function documentContent(
  ctx: ServerContext,
  staff: StaffPrincipal,
  id: string,
  reply: FastifyReply,
): Promise<FastifyReply> {
  const doc = await ctx.storage.findDocument(id);
  if (!doc) throw new AppError('not_found');
  instructedAccount(ctx, staff, doc.dossier);
  await recordStaffRead(ctx, staff, 'content', doc.dossier, { pieceId: doc.pieceId, documentId: doc.id });
  return sendDocument(reply, ctx.blobs, doc);
}

export async function auditTrail(
  ctx: ServerContext,
  staff: StaffPrincipal,
  dossier: string,
): Promise<{ entries: AuditEntry[] }> {
  instructedAccount(ctx, staff, dossier);
  const entries = await ctx.storage.listAudit(dossier);
  return {
    entries: entries.map((e) => ({
      at: e.at.toISOString(),
      staff: e.staff,
      action: e.action,
      dossier: e.dossier,
      pieceId: e.pieceId,
      documentId: e.documentId,
      decision: e.decision,
      reason: e.reason,
    })),
  };
}
