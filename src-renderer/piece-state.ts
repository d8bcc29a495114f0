/**
 * A piece's state as the checklist shows it, from the dossier and the local send queue. Pure,
 * so the rules are tested without a browser.
 */
import type { QueueView } from '../src-shared/assistant-api';
import type { Dossier, PieceInfo } from '../src-shared/contract';

export type PieceState = 'correction' | 'corrected' | 'registered' | 'pending' | 'refused' | 'todo';

/** What the person reads next to each piece. */
export const PIECE_STATE_LABEL: Record<PieceState, string> = {
  correction: 'Correction demandée',
  corrected: 'Correction envoyée',
  registered: 'Enregistré',
  pending: 'Envoi en attente',
  refused: 'Refusé',
  todo: 'À fournir',
};

type ReviewedPiece = Pick<PieceInfo, 'id' | 'review'>;
type DossierCorrections = Pick<Dossier, 'state' | 'corrections'>;

/** The reason of the correction the centre asks for on this piece, as written; null when none waits. */
export function correctionReason(piece: ReviewedPiece): string | null {
  return piece.review?.decision === 'correction_requested' ? (piece.review.reason ?? '') : null;
}

/**
 * A piece the centre asked to correct stays open to its candidate, even after closure, until
 * an instructor reviews it again: the server's `corrections` list says so, and a review asking
 * a correction says so too (the list may lag behind on a kept offline copy).
 */
export function openForCorrection(piece: ReviewedPiece, dossier: DossierCorrections): boolean {
  return (dossier.corrections ?? []).includes(piece.id) || correctionReason(piece) !== null;
}

/** The pieces whose correction waits on the candidate (a new document sent: no longer). */
export function piecesToCorrect<P extends ReviewedPiece>(pieces: readonly P[]): P[] {
  return pieces.filter((p) => correctionReason(p) !== null);
}

/** "1 pièce à corriger", "2 pièces à corriger"; null when none. */
export function correctionsLine(count: number): string | null {
  if (count === 0) return null;
  return count === 1 ? '1 pièce à corriger' : `${count} pièces à corriger`;
}

/** A piece's upload waiting on this computer, or refused by the server with its reason. */
export interface PieceQueueInfo {
  state: 'pending' | 'refused';
  reason?: string;
  /** The names of the documents waiting on this computer to be sent (pending only). */
  waiting?: string[];
}

/** Waiting wins over refused: a document sent again after a refusal is what counts. */
export function queueByPiece(view: QueueView): Map<string, PieceQueueInfo> {
  const byPiece = new Map<string, PieceQueueInfo>();
  for (const item of view.items) {
    if (item.state === 'pending') {
      const before = byPiece.get(item.pieceId);
      byPiece.set(item.pieceId, { state: 'pending', waiting: [...(before?.waiting ?? []), item.filename] });
    }
    else if (item.state === 'refused' && byPiece.get(item.pieceId)?.state !== 'pending')
      byPiece.set(item.pieceId, { state: 'refused', reason: item.error?.message });
  }
  return byPiece;
}

/**
 * `dossier`: with it, a piece whose correction was sent (a new document, not yet reviewed
 * again) says "Correction envoyée" rather than "Enregistré".
 */
export function pieceState(
  piece: PieceInfo & ReviewedPiece,
  queued: PieceQueueInfo | undefined,
  dossier?: DossierCorrections,
): PieceState {
  if (queued?.state === 'pending') return 'pending';
  if (correctionReason(piece) !== null) return 'correction';
  if (dossier && piece.documents.length > 0 && openForCorrection(piece, dossier)) return 'corrected';
  if (piece.documents.length > 0) return 'registered';
  if (queued?.state === 'refused') return 'refused';
  return 'todo';
}

/**
 * A sent document may be deleted (and so replaced) until the dossier is closed, and after, on a
 * piece the centre asked to correct.
 */
export function canDeleteDocuments(dossier: DossierCorrections, piece?: ReviewedPiece): boolean {
  return dossier.state === 'open' || (piece !== undefined && openForCorrection(piece, dossier));
}

/** The visible words of the button beside a sent document: what it opens, said plainly. */
export function documentActionLabel(dossier: DossierCorrections, piece?: ReviewedPiece): string {
  return canDeleteDocuments(dossier, piece) ? 'Voir, remplacer ou supprimer' : 'Voir';
}

/**
 * The document that "Remplacer le document", the main action of a piece asked for correction,
 * replaces: its only one. Null when there is nothing to replace, when a document already waits
 * on this computer for that piece, or when it holds several (the person then picks one in
 * "Gestion du document").
 */
export function replacementTarget<P extends Pick<PieceInfo, 'documents'> & ReviewedPiece>(
  piece: P,
  queued: PieceQueueInfo | undefined,
  dossier: DossierCorrections,
): P['documents'][number] | null {
  if (correctionReason(piece) === null || !canDeleteDocuments(dossier, piece)) return null;
  if ((queued?.waiting?.length ?? 0) > 0 || piece.documents.length !== 1) return null;
  return piece.documents[0]!;
}

/**
 * Whether "Ajouter un document" is offered: not on a closed dossier (except the pieces allowed
 * later and those the centre asked to correct), and not on a one-document piece that already
 * has one, sent or still waiting to go (a second would be refused by the server once the
 * connection is back).
 */
export function canAddDocument(
  piece: PieceInfo & ReviewedPiece,
  queued: PieceQueueInfo | undefined,
  dossier: DossierCorrections,
): boolean {
  if (dossier.state === 'closed' && !piece.lateAllowed && !openForCorrection(piece, dossier)) return false;
  return piece.multiple || (piece.documents.length === 0 && (queued?.waiting?.length ?? 0) === 0);
}

/**
 * The pieces closing needs (required, not allowed after the closure), each in one place:
 * `sent` the server has a document for it, `waiting` it has none yet but one waits on this
 * computer to be sent, `missing` nothing at all. The server's `missing` list is the word on what
 * it holds: closing needs the pieces on the server, a waiting document does not close anything.
 */
export interface RequiredPieces {
  sent: PieceInfo[];
  waiting: PieceInfo[];
  missing: PieceInfo[];
}

export function requiredPieces(
  dossier: Pick<Dossier, 'pieces' | 'missing'>,
  queue: ReadonlyMap<string, PieceQueueInfo> | undefined,
): RequiredPieces {
  const onServerMissing = new Set(dossier.missing);
  const sorted: RequiredPieces = { sent: [], waiting: [], missing: [] };
  for (const piece of dossier.pieces) {
    // The server's list counts too, should its rule ever be wider than the piece's flags.
    if ((!piece.required || piece.lateAllowed) && !onServerMissing.has(piece.id)) continue;
    if (!onServerMissing.has(piece.id)) sorted.sent.push(piece);
    else if ((queue?.get(piece.id)?.waiting?.length ?? 0) > 0) sorted.waiting.push(piece);
    else sorted.missing.push(piece);
  }
  return sorted;
}

/** Closing is offered once the server holds every piece it needs. */
export function readyToClose(pieces: RequiredPieces): boolean {
  return pieces.waiting.length === 0 && pieces.missing.length === 0;
}

/** Where a waiting document goes from here, in the words of the note above the screen. */
function whenItLeaves(offline: boolean): string {
  return offline ? 'dès que la connexion reviendra' : 'dès que le serveur répondra';
}

/**
 * The checklist's count: a piece whose document waits on this computer counts as added (the
 * person did add it) and is said to be waiting, so nobody reads it as lost; closing is offered
 * only once the server has them all.
 */
export function requiredPiecesLine(pieces: RequiredPieces, offline: boolean): string {
  const { sent, waiting, missing } = pieces;
  const total = sent.length + waiting.length + missing.length;
  const added = sent.length + waiting.length;
  let line = `Pièces obligatoires avant la clôture : ${added} sur ${total} ajoutée${added > 1 ? 's' : ''}`;
  if (waiting.length > 0) {
    const one = waiting.length === 1;
    line += waiting.length === added ? ', ' : `, dont ${waiting.length} `;
    line += `en attente d'envoi : ${one ? 'elle partira toute seule' : 'elles partiront toutes seules'} ${whenItLeaves(offline)}.`;
    if (missing.length === 0) line += ` Vous pourrez clôturer votre inscription après ${one ? 'son' : 'leur'} envoi.`;
    return line;
  }
  return readyToClose(pieces) ? `${line}. Vous pouvez clôturer votre inscription.` : `${line}.`;
}

/** Under the list of pieces waiting, on the closing screen. */
export function waitingPiecesNote(count: number, offline: boolean): string {
  return count === 1
    ? `Son document est gardé sur cet ordinateur et partira tout seul ${whenItLeaves(offline)}. Vous pourrez clôturer votre inscription après son envoi.`
    : `Leurs documents sont gardés sur cet ordinateur et partiront tout seuls ${whenItLeaves(offline)}. Vous pourrez clôturer votre inscription après leur envoi.`;
}
