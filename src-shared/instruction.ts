/**
 * The instruction API's data shapes (api-contract.md 5.2, 5.3): what the service concours reads
 * and writes, and what of it the candidate sees. TypeBox schemas, used by the server as route
 * schemas and for its OpenAPI document, and by the back office as types. The contract only
 * grows: never rename or remove a field.
 */
import { Type, type Static } from '@sinclair/typebox';
import { DocumentSchema, ReviewDecisionSchema, StaffDossierSchema } from './contract';

const IsoInstant = Type.String({ format: 'date-time' });

/** The motive of a correction is shown to the candidate as written: 1 to 500 characters. */
export const REVIEW_REASON_MAX = 500;

export const ReviewSchema = Type.Object({
  decision: ReviewDecisionSchema,
  reason: Type.Union([Type.String(), Type.Null()]),
  reviewedAt: IsoInstant,
  /** The staff login of the instructor. */
  reviewer: Type.String(),
});
export type Review = Static<typeof ReviewSchema>;

export const ReviewRequestSchema = Type.Object({
  decision: ReviewDecisionSchema,
  reason: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export type ReviewRequest = Static<typeof ReviewRequestSchema>;

/**
 * The list's filters. `to_review` (v1.1 addition): dossiers with a piece whose documents changed
 * since its last review (a correction answered by the candidate, a late document on a piece
 * already accepted), to be checked again.
 */
export const DOSSIER_STATES = ['open', 'closed', 'correction', 'to_review'] as const;
export type DossierListState = (typeof DOSSIER_STATES)[number];
export const LIST_LIMIT_DEFAULT = 50;
export const LIST_LIMIT_MAX = 200;

export const DossierListQuerySchema = Type.Object({
  state: Type.Optional(Type.Union(DOSSIER_STATES.map((s) => Type.Literal(s)))),
  q: Type.Optional(Type.String({ maxLength: 200 })),
  cursor: Type.Optional(Type.String({ maxLength: 300 })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
});

/** A line of the list: the help desk's look-up without its per-piece counts, with the corrections. */
export const DossierListItemSchema = Type.Object({
  ...Type.Omit(StaffDossierSchema, ['pieces']).properties,
  /** Pieces waiting for the candidate's correction. */
  corrections: Type.Array(Type.String()),
  /** v1.1 addition: pieces whose documents changed since their last review, to check again. */
  toReview: Type.Optional(Type.Array(Type.String())),
});
export type DossierListItem = Static<typeof DossierListItemSchema>;

export const DossierListSchema = Type.Object({
  dossiers: Type.Array(DossierListItemSchema),
  next: Type.Union([Type.String(), Type.Null()]),
});
export type DossierList = Static<typeof DossierListSchema>;

export const InstructionPieceSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  required: Type.Boolean(),
  lateAllowed: Type.Boolean(),
  documents: Type.Array(DocumentSchema),
  review: Type.Union([ReviewSchema, Type.Null()]),
  /**
   * A correction was asked and no instructor has reviewed the piece since: it is open to the
   * candidate (true also once the candidate sent a new document, whose review is then null).
   */
  correctionPending: Type.Boolean(),
  /**
   * v1.1 addition: the piece was reviewed and its documents changed since (the candidate answered
   * a correction, or sent a late document): to be checked again, first.
   */
  changedSinceReview: Type.Optional(Type.Boolean()),
});
export type InstructionPiece = Static<typeof InstructionPieceSchema>;

export const InstructionPiecesSchema = Type.Object({ pieces: Type.Array(InstructionPieceSchema) });
export type InstructionPieces = Static<typeof InstructionPiecesSchema>;

export const AUDIT_ACTIONS = ['lookup', 'content', 'export', 'review', 'unlock'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditEntrySchema = Type.Object({
  at: IsoInstant,
  staff: Type.String(),
  action: Type.String(),
  dossier: Type.String(),
  pieceId: Type.Union([Type.String(), Type.Null()]),
  documentId: Type.Union([Type.String(), Type.Null()]),
  /** v1.1 addition: a review's decision and the reason given, as decided (null for other actions). */
  decision: Type.Optional(Type.Union([ReviewDecisionSchema, Type.Null()])),
  reason: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export type AuditEntry = Static<typeof AuditEntrySchema>;

export const AuditSchema = Type.Object({ entries: Type.Array(AuditEntrySchema) });

/**
 * A download the browser makes by itself (a campaign's ZIP can be gigabytes: it must stream to
 * disk, not into the page): `url` is the export's address with a `ticket` that stands in for the
 * staff token, valid once, for that export only, until `expiresAt` (about a minute).
 */
export const DownloadTicketSchema = Type.Object({
  url: Type.String(),
  expiresAt: IsoInstant,
});
export type DownloadTicket = Static<typeof DownloadTicketSchema>;

/** A ticket as it travels in the export's address: 256 random bits, base64url. */
export const TicketQuerySchema = Type.String({ pattern: '^[A-Za-z0-9_-]{43}$' });

/** The campaigns an instruction account works on, for the list screen's exports. */
/** How many dossiers of a campaign each filter of the list shows. */
export const DossierCountsSchema = Type.Object({
  open: Type.Integer(),
  closed: Type.Integer(),
  correction: Type.Integer(),
  to_review: Type.Integer(),
});
export type DossierCounts = Static<typeof DossierCountsSchema>;

export const StaffCampaignSchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  counts: DossierCountsSchema,
});
export type StaffCampaign = Static<typeof StaffCampaignSchema>;
export const StaffCampaignsSchema = Type.Object({ campaigns: Type.Array(StaffCampaignSchema) });
