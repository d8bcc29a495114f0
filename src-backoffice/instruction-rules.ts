/**
 * What the back office shows and sends, as pure rules (tested without a browser): the list's
 * filters and query, the ready-made reasons of a correction, the words of a review and of the
 * audit trail.
 */
import type { QueryOf } from '../src-shared/http-api';
import type { AuditAction, AuditEntry, DossierListItem, Review } from '../src-shared/instruction';

export const PAGE_SIZE = 25;

/** A help-desk account (role guichet) logs in, but instruction routes answer it 403. */
export const GUICHET_ACCOUNT =
  "Ce compte est un compte de guichet : l'instruction des dossiers demande un compte du service concours. Demandez-le au responsable des concours.";

/** The list's filters, in the order an instructor uses them: closed dossiers are the work. */
export const LIST_FILTERS = [
  { id: 'closed', label: 'Clôturés' },
  { id: 'correction', label: 'Corrections en attente' },
  { id: 'open', label: 'Ouverts' },
] as const;
export type ListFilter = (typeof LIST_FILTERS)[number]['id'];

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

export type ReviewTone = 'todo' | 'ok' | 'correction';

/** A piece's review as the instructor reads it beside the piece. */
export function reviewStatus(review: Review | null, hasDocuments: boolean): { tone: ReviewTone; label: string } {
  if (review?.decision === 'accepted') return { tone: 'ok', label: 'Conforme' };
  if (review?.decision === 'correction_requested') return { tone: 'correction', label: 'Correction demandée' };
  return { tone: 'todo', label: hasDocuments ? 'À vérifier' : 'Aucun document' };
}

/**
 * Where the instruction of a dossier stands, in one line above its pieces: "1 pièce conforme,
 * 1 correction demandée, 2 pièces à vérifier". Pieces without any document are not counted.
 */
export function reviewSummary(pieces: readonly { review: Review | null; documents: readonly unknown[] }[]): string {
  const count = { ok: 0, correction: 0, todo: 0 };
  for (const piece of pieces) {
    const { tone } = reviewStatus(piece.review, piece.documents.length > 0);
    if (tone !== 'todo' || piece.documents.length > 0) count[tone] += 1;
  }
  const plural = (n: number, one: string, many: string) => `${n} ${n > 1 ? many : one}`;
  const parts = [
    count.ok > 0 && plural(count.ok, 'pièce conforme', 'pièces conformes'),
    count.correction > 0 && plural(count.correction, 'correction demandée', 'corrections demandées'),
    count.todo > 0 && plural(count.todo, 'pièce à vérifier', 'pièces à vérifier'),
  ].filter((part): part is string => typeof part === 'string');
  if (parts.length === 0) return 'Aucun document à vérifier.';
  return `${parts.join(', ')}.`.replace(/^./, (c) => c.toUpperCase());
}

/** A dossier's line in the list: its state, and what waits on the candidate. */
export function listEntryStatus(entry: DossierListItem): string {
  const state = entry.state === 'closed' ? 'Clôturé' : 'Ouvert';
  const corrections = entry.corrections.length;
  if (corrections === 0) return state;
  return `${state}, ${corrections} correction${corrections > 1 ? 's' : ''} en attente`;
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
