/**
 * What the back office shows and sends, as pure rules (tested without a browser): the list's
 * filters and query, the ready-made reasons of a correction, the words of a review and of the
 * audit trail.
 */
import type { QueryOf } from '../src-shared/http-api';
import {
  DOSSIER_STATES,
  type AuditAction,
  type AuditEntry,
  type DossierCounts,
  type DossierListItem,
  type DossierListState,
  type Review,
  type StaffCampaign,
} from '../src-shared/instruction';

export const PAGE_SIZE = 25;

/** A help-desk account (role guichet) logs in, but instruction routes answer it 403. */
export const GUICHET_ACCOUNT =
  "Ce compte est un compte de guichet : l'instruction des dossiers demande un compte du service concours. Demandez-le au responsable des concours.";

/** The list's filters, in the order an instructor uses them: closed dossiers are the work. */
export const LIST_FILTERS = [
  { id: 'closed', label: 'Clôturés' },
  { id: 'to_review', label: 'Nouveaux documents à vérifier' },
  { id: 'correction', label: 'Corrections en attente' },
  { id: 'open', label: 'Ouverts' },
] as const satisfies readonly { id: DossierListState; label: string }[];
export type ListFilter = (typeof LIST_FILTERS)[number]['id'];

/** How many dossiers each filter shows, over all the instructor's campaigns. */
export function filterCounts(campaigns: readonly StaffCampaign[]): DossierCounts {
  const total: DossierCounts = { open: 0, closed: 0, correction: 0, to_review: 0 };
  for (const { counts } of campaigns) for (const state of DOSSIER_STATES) total[state] += counts[state];
  return total;
}

export interface ListRequest {
  filter: ListFilter;
  q: string;
  cursor: string | null;
}

/** The query of GET /staff/dossiers: the search trimmed, nothing empty sent. */
export function listQuery({ filter, q, cursor }: ListRequest, limit = PAGE_SIZE): QueryOf<'instructionDossiers'> {
  const text = q.trim();
  return { state: filter, ...(text ? { q: text } : {}), ...(cursor ? { cursor } : {}), limit: String(limit) };
}

/** Said once the browser has a ZIP's single-use address: what happens next, and what to do if not. */
export const DOWNLOAD_STARTED =
  "Le téléchargement a commencé : suivez-le dans la barre de téléchargements du navigateur. S'il ne démarre pas, appuyez à nouveau sur le bouton (chaque lien ne sert qu'une fois et n'est valable qu'une minute).";

/** Ready-made reasons: a click fills "Motif", which stays editable. */
export const READY_REASONS = [
  'Document illisible : envoyez une copie nette et complète.',
  'Document incomplet : le recto ou le verso manque.',
  "Ce n'est pas la pièce demandée.",
  "Document périmé : envoyez un document en cours de validité.",
] as const;

/** Short names of the ready-made reasons, for their buttons. */
export const READY_REASON_NAMES = ['Illisible', 'Incomplet (recto ou verso manquant)', 'Mauvaise pièce', 'Périmée'] as const;

export const MAX_REASON_LENGTH = 500;

/** Why a reason cannot be sent yet, in the words of the form; null when it can. */
export function reasonProblem(reason: string): string | null {
  const text = reason.trim();
  if (!text) return 'Indiquez le motif : le candidat le lira tel quel.';
  if (text.length > MAX_REASON_LENGTH) return `Le motif est trop long : ${MAX_REASON_LENGTH} caractères au plus (${text.length} actuellement).`;
  return null;
}

export type ReviewTone = 'todo' | 'changed' | 'ok' | 'correction';

/** A piece's review as the instructor reads it beside the piece. */
export function reviewStatus(review: Review | null, hasDocuments: boolean, changedSinceReview = false): { tone: ReviewTone; label: string } {
  if (review?.decision === 'accepted') return { tone: 'ok', label: 'Conforme' };
  if (review?.decision === 'correction_requested') return { tone: 'correction', label: 'Correction demandée' };
  if (changedSinceReview && hasDocuments) return { tone: 'changed', label: 'Nouveau document à vérifier' };
  return { tone: 'todo', label: hasDocuments ? 'À vérifier' : 'Aucun document' };
}

interface ReviewedPiece {
  review: Review | null;
  documents: readonly unknown[];
  changedSinceReview?: boolean;
}

const toneOf = (piece: ReviewedPiece) => reviewStatus(piece.review, piece.documents.length > 0, piece.changedSinceReview).tone;

/** The pieces as the dossier's page lists them: those with a new document since a review first. */
export function piecesInOrder<P extends ReviewedPiece>(pieces: readonly P[]): P[] {
  return [...pieces.filter((p) => toneOf(p) === 'changed'), ...pieces.filter((p) => toneOf(p) !== 'changed')];
}

/**
 * Where the instruction of a dossier stands, in one line above its pieces: "1 pièce conforme,
 * 1 correction demandée, 2 pièces à vérifier". Pieces without any document are not counted.
 */
export function reviewSummary(pieces: readonly ReviewedPiece[]): string {
  const count = { ok: 0, correction: 0, todo: 0, changed: 0 };
  for (const piece of pieces) {
    const tone = toneOf(piece);
    if (tone !== 'todo' || piece.documents.length > 0) count[tone] += 1;
  }
  const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;
  const parts = [
    count.changed > 0 && plural(count.changed, 'nouveau document à vérifier', 'nouveaux documents à vérifier'),
    count.ok > 0 && plural(count.ok, 'pièce conforme', 'pièces conformes'),
    count.correction > 0 && plural(count.correction, 'correction demandée', 'corrections demandées'),
    count.todo > 0 && plural(count.todo, 'pièce à vérifier', 'pièces à vérifier'),
  ].filter((part): part is string => typeof part === 'string');
  if (parts.length === 0) return 'Aucun document à vérifier.';
  return `${parts.join(', ')}.`.replace(/^./, (c) => c.toUpperCase());
}

/**
 * A dossier's line in the list: its state, the pieces that came back with a new document (to
 * check again), and the corrections still waiting on the candidate.
 */
export function listEntryStatus(entry: DossierListItem): string {
  const state = entry.state === 'closed' ? 'Clôturé' : 'Ouvert';
  const toReview = entry.toReview ?? [];
  const waiting = entry.corrections.filter((piece) => !toReview.includes(piece)).length;
  const parts = [state];
  if (toReview.length > 0)
    parts.push(`${toReview.length} nouveau${toReview.length > 1 ? 'x' : ''} document${toReview.length > 1 ? 's' : ''} à vérifier`);
  if (waiting > 0) parts.push(`${waiting} correction${waiting > 1 ? 's' : ''} en attente`);
  return parts.join(', ');
}

const AUDIT_ACTIONS: Record<AuditAction, string> = {
  lookup: 'Consultation du dossier',
  content: 'Ouverture d’un document',
  export: 'Téléchargement (ZIP)',
  review: 'Décision sur une pièce',
  unlock: 'Déblocage de la connexion',
};

/** An audit action in French; an action this screen does not know yet is shown as recorded. */
export function auditActionLabel(action: string): string {
  return Object.hasOwn(AUDIT_ACTIONS, action) ? AUDIT_ACTIONS[action as AuditAction] : action;
}

/**
 * What an audit entry says in the history: a review with its decision and reason in plain words
 * ("Demande de correction : motif « … »"), every other action by its name. A review recorded
 * before decisions were kept in the trail says only that a decision was taken.
 */
export function auditDescription(entry: AuditEntry): string {
  if (entry.action === 'review' && entry.decision === 'accepted') return 'Décision : pièce conforme';
  if (entry.action === 'review' && entry.decision === 'correction_requested')
    return entry.reason ? `Demande de correction : motif « ${entry.reason} »` : 'Demande de correction';
  return auditActionLabel(entry.action);
}

export interface AuditLine {
  entry: AuditEntry;
  /** How many look-ups in a row this line stands for. */
  times: number;
}

/**
 * The audit trail as the dossier's page shows it: newest first, and a run of look-ups by the
 * same person in a row said once with its count (each opening of the page reads the dossier
 * more than once). Every other entry keeps its own line.
 */
export function auditLines(entries: readonly AuditEntry[]): AuditLine[] {
  const lines: AuditLine[] = [];
  for (const entry of [...entries].sort((a, b) => b.at.localeCompare(a.at))) {
    const last = lines.at(-1);
    if (last && entry.action === 'lookup' && last.entry.action === 'lookup' && last.entry.staff === entry.staff) last.times += 1;
    else lines.push({ entry, times: 1 });
  }
  return lines;
}

/** The piece an audit line names, by its label when the dossier has it. */
export function auditPieceLabel(entry: AuditEntry, labels: ReadonlyMap<string, string>): string {
  if (!entry.pieceId) return '';
  return labels.get(entry.pieceId) ?? entry.pieceId;
}

/** Date and time in Paris, as the centre counts them ("12/05/2027 à 14:03"). */
export function formatParis(iso: string): string {
  const at = new Date(iso);
  const day = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', day: '2-digit', month: '2-digit', year: 'numeric' }).format(at);
  const time = new Intl.DateTimeFormat('fr-FR', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(at);
  return `${day} à ${time}`;
}

/** How often an open dossier's page checks whether someone else changed the dossier. */
export const CHANGE_CHECK_MS = 20_000;

/** Said when a decision was refused because the dossier changed, once the page has reloaded it. */
export const OUTDATED_RELOADED =
  "Votre décision n'a pas été enregistrée : ce dossier a changé depuis que vous l'avez ouvert. La page vient d'être mise à jour ; vérifiez la pièce, puis décidez à nouveau.";

interface WatchedPiece {
  id: string;
  label: string;
  documents: readonly { id: string; filename: string }[];
  review: Review | null;
}

const DECISION_WORDS = { accepted: 'conforme', correction_requested: 'correction demandée' } as const;

/**
 * What changed in a dossier between two views of its pieces, one sentence a change, in the
 * words of the page: a candidate's new or removed document, another instructor's decision.
 */
export function changesBetween(before: readonly WatchedPiece[], after: readonly WatchedPiece[]): string[] {
  const earlier = new Map(before.map((p) => [p.id, p]));
  const changes: string[] = [];
  for (const piece of after) {
    const old = earlier.get(piece.id);
    const oldIds = new Set(old?.documents.map((d) => d.id) ?? []);
    const newIds = new Set(piece.documents.map((d) => d.id));
    for (const doc of piece.documents)
      if (!oldIds.has(doc.id)) changes.push(`${piece.label} : le candidat a envoyé un nouveau document (${doc.filename}).`);
    const removed = [...oldIds].filter((id) => !newIds.has(id)).length;
    if (removed > 0) changes.push(`${piece.label} : le candidat a retiré ${removed > 1 ? `${removed} documents` : 'un document'}.`);
    const review = piece.review;
    if (review && (review.decision !== old?.review?.decision || review.reviewedAt !== old.review.reviewedAt))
      changes.push(`${piece.label} : ${review.reviewer} a décidé « ${DECISION_WORDS[review.decision]} » le ${formatParis(review.reviewedAt)}.`);
  }
  return changes.length > 0 ? changes : ['Le dossier a été modifié.'];
}
