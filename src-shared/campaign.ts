/**
 * The campaign file (api-contract.md section 2): its schema, and the rules that turn it into
 * the values every part of the app uses (deadline instant, per-piece size limit).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { AppError } from './errors';
import { deadlineOf } from './deadline';

export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_TIME_ZONE = 'Europe/Paris';

export const CampaignPieceSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9-]*$' }),
  label: Type.String({ minLength: 1 }),
  help: Type.Optional(Type.String()),
  required: Type.Boolean(),
  lateAllowed: Type.Boolean(),
  multiple: Type.Boolean(),
  maxBytes: Type.Optional(Type.Integer({ minimum: 1 })),
});

export const CampaignCandidateSchema = Type.Object({
  dossier: Type.String({ minLength: 1, maxLength: 64 }),
  lastName: Type.String({ minLength: 1 }),
  firstName: Type.String({ minLength: 1 }),
  password: Type.Optional(Type.String({ minLength: 1 })),
  passwordHash: Type.Optional(Type.String({ minLength: 1 })),
});

/**
 * What a staff account may do (api-contract.md 5.2): `guichet`, the help desk's look-up (the
 * default, as in v1); `instruction`, the service concours that reads, reviews and exports.
 */
export const STAFF_ROLES = ['guichet', 'instruction'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const CampaignStaffSchema = Type.Object({
  login: Type.String({ minLength: 1 }),
  role: Type.Optional(Type.Union(STAFF_ROLES.map((r) => Type.Literal(r)))),
  password: Type.Optional(Type.String({ minLength: 1 })),
  passwordHash: Type.Optional(Type.String({ minLength: 1 })),
});

export const CampaignFileSchema = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 64 }),
  title: Type.String({ minLength: 1 }),
  organiser: Type.String({ minLength: 1 }),
  closesOn: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
  closesAt: Type.Optional(Type.String()),
  timeZone: Type.Optional(Type.String()),
  maxBytes: Type.Optional(Type.Integer({ minimum: 1 })),
  pieces: Type.Array(CampaignPieceSchema, { minItems: 1 }),
  candidates: Type.Array(CampaignCandidateSchema),
  staff: Type.Optional(Type.Array(CampaignStaffSchema)),
});
export type CampaignFile = Static<typeof CampaignFileSchema>;
export type CampaignPiece = Static<typeof CampaignPieceSchema>;

/** A campaign file once checked, with its deadline resolved to an instant. */
export interface Campaign extends CampaignFile {
  timeZone: string;
  maxBytes: number;
  closesAtInstant: Date;
}

/** Checks a parsed campaign file and resolves its deadline; throws AppError('validation_failed'). */
export function parseCampaign(input: unknown): Campaign {
  if (!Value.Check(CampaignFileSchema, input)) {
    const first = [...Value.Errors(CampaignFileSchema, input)][0];
    throw new AppError(
      'validation_failed',
      `Fichier de campagne invalide${first ? ` (${first.path || '/'} : ${first.message})` : ''}.`,
    );
  }
  const file = input as CampaignFile;
  const problems: string[] = [];
  if ((file.closesOn === undefined) === (file.closesAt === undefined))
    problems.push('indiquez exactement un de « closesOn » ou « closesAt »');
  const ids = new Set<string>();
  for (const piece of file.pieces) {
    if (ids.has(piece.id)) problems.push(`pièce « ${piece.id} » en double`);
    ids.add(piece.id);
  }
  const dossiers = new Set<string>();
  for (const c of file.candidates) {
    if (dossiers.has(c.dossier)) problems.push(`dossier « ${c.dossier} » en double`);
    dossiers.add(c.dossier);
    if (!c.password && !c.passwordHash) problems.push(`dossier « ${c.dossier} » sans mot de passe`);
  }
  for (const s of file.staff ?? [])
    if (!s.password && !s.passwordHash) problems.push(`agent « ${s.login} » sans mot de passe`);
  if (problems.length > 0)
    throw new AppError('validation_failed', `Fichier de campagne invalide : ${problems.join(' ; ')}.`);

  const timeZone = file.timeZone ?? DEFAULT_TIME_ZONE;
  const closesAtInstant = deadlineOf({ closesOn: file.closesOn, closesAt: file.closesAt, timeZone });
  return { ...file, timeZone, maxBytes: file.maxBytes ?? DEFAULT_MAX_BYTES, closesAtInstant };
}

export function pieceMaxBytes(campaign: Pick<Campaign, 'maxBytes'>, piece: CampaignPiece): number {
  return piece.maxBytes ?? campaign.maxBytes;
}
