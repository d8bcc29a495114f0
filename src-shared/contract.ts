/**
 * The companion HTTP API's data shapes (api-contract.md section 3), as TypeBox schemas: the
 * server uses them as route schemas and for its OpenAPI document, the desktop side uses the
 * derived TypeScript types. Never rename or remove a field: the contract only grows.
 */
import { FormatRegistry, Type, type Static } from '@sinclair/typebox';

export const API_BASE = '/api/v1';

export const ACCEPTED_MEDIA_TYPES = ['application/pdf', 'image/jpeg'] as const;
export type AcceptedMediaType = (typeof ACCEPTED_MEDIA_TYPES)[number];

export const CLOSED_STATUS_MESSAGE = "Votre dossier est clôturé, il est en cours d'instruction.";

const IsoInstant = Type.String({ format: 'date-time' });

const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
// TypeBox's Value.Check fails any string whose format it does not know: the desktop checks
// the server's answers against these schemas, so it must know the one format they use.
if (!FormatRegistry.Has('date-time'))
  FormatRegistry.Set('date-time', (value) => RFC3339.test(value) && !Number.isNaN(Date.parse(value)));

export const DocumentSchema = Type.Object({
  id: Type.String(),
  filename: Type.String(),
  mediaType: Type.Union(ACCEPTED_MEDIA_TYPES.map((t) => Type.Literal(t))),
  bytes: Type.Integer({ minimum: 0 }),
  sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
  uploadedAt: IsoInstant,
  late: Type.Boolean(),
});
export type DocumentInfo = Static<typeof DocumentSchema>;

export const REVIEW_DECISIONS = ['accepted', 'correction_requested'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];
export const ReviewDecisionSchema = Type.Union(REVIEW_DECISIONS.map((d) => Type.Literal(d)));

/** What the candidate sees of an instructor's review (api-contract.md 5.3): no reviewer's name. */
export const CandidateReviewSchema = Type.Object({
  decision: ReviewDecisionSchema,
  reason: Type.Union([Type.String(), Type.Null()]),
  reviewedAt: IsoInstant,
});
export type CandidateReview = Static<typeof CandidateReviewSchema>;

export const PieceSchema = Type.Object({
  id: Type.String(),
  label: Type.String(),
  help: Type.String(),
  required: Type.Boolean(),
  lateAllowed: Type.Boolean(),
  multiple: Type.Boolean(),
  accepts: Type.Array(Type.String()),
  maxBytes: Type.Integer({ minimum: 1 }),
  documents: Type.Array(DocumentSchema),
  /**
   * v1.1 (api-contract.md 5.3): the instructors' last review of the piece, null when none or
   * when a new document came since. Optional only so that a v1 server's answer still reads.
   */
  review: Type.Optional(Type.Union([CandidateReviewSchema, Type.Null()])),
});
export type PieceInfo = Static<typeof PieceSchema>;

export const CampaignSummarySchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  organiser: Type.String(),
  closesAt: IsoInstant,
  timeZone: Type.String(),
});
export type CampaignSummary = Static<typeof CampaignSummarySchema>;

export const DossierSchema = Type.Object({
  dossier: Type.String(),
  lastName: Type.String(),
  firstName: Type.String(),
  campaign: CampaignSummarySchema,
  state: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  closedAt: Type.Union([IsoInstant, Type.Null()]),
  statusMessage: Type.Optional(Type.String()),
  pieces: Type.Array(PieceSchema),
  missing: Type.Array(Type.String()),
  /** v1.1: the pieces an instructor asked to correct, open to the candidate until reviewed again. */
  corrections: Type.Optional(Type.Array(Type.String())),
});
export type Dossier = Static<typeof DossierSchema>;

export const ReceiptBodySchema = Type.Object({
  version: Type.Literal(1),
  campaignId: Type.String(),
  dossier: Type.String(),
  lastName: Type.String(),
  firstName: Type.String(),
  closedAt: IsoInstant,
  documents: Type.Array(
    Type.Object({
      pieceId: Type.String(),
      filename: Type.String(),
      sha256: Type.String(),
      bytes: Type.Integer({ minimum: 0 }),
    }),
  ),
});
export type ReceiptBody = Static<typeof ReceiptBodySchema>;

export const SignedReceiptSchema = Type.Object({
  receipt: ReceiptBodySchema,
  keyId: Type.String(),
  signature: Type.String(),
});
export type SignedReceipt = Static<typeof SignedReceiptSchema>;

export const ClosureSchema = Type.Object({
  closedAt: IsoInstant,
  receipt: SignedReceiptSchema,
});
export type Closure = Static<typeof ClosureSchema>;

const Identifier = Type.String({ minLength: 1, maxLength: 100 });
const Password = Type.String({ minLength: 1, maxLength: 1000 });
export const SessionRequestSchema = Type.Object({ dossier: Identifier, password: Password });
export const StaffSessionRequestSchema = Type.Object({ login: Identifier, password: Password });
export const SessionSchema = Type.Object({ token: Type.String(), expiresAt: IsoInstant });
export type Session = Static<typeof SessionSchema>;

export const TimeSchema = Type.Object({ now: IsoInstant });
export type ServerTime = Static<typeof TimeSchema>;

export const ReceiptKeySchema = Type.Object({
  keyId: Type.String(),
  algorithm: Type.Literal('Ed25519'),
  publicKey: Type.String(),
});
export type ReceiptKey = Static<typeof ReceiptKeySchema>;

/** RFC 9457 problem details, with the contract's `code` and the extra `missing` list. */
export const ProblemSchema = Type.Object({
  type: Type.Optional(Type.String()),
  status: Type.Integer(),
  title: Type.String(),
  code: Type.String(),
  detail: Type.String(),
  missing: Type.Optional(Type.Array(Type.String())),
});
export type Problem = Static<typeof ProblemSchema>;

export const StaffDossierSchema = Type.Object({
  dossier: Type.String(),
  lastName: Type.String(),
  firstName: Type.String(),
  campaignId: Type.String(),
  state: Type.Union([Type.Literal('open'), Type.Literal('closed')]),
  closedAt: Type.Union([IsoInstant, Type.Null()]),
  pieces: Type.Array(
    Type.Object({ id: Type.String(), label: Type.String(), documents: Type.Integer({ minimum: 0 }) }),
  ),
  missing: Type.Array(Type.String()),
});
export type StaffDossier = Static<typeof StaffDossierSchema>;
