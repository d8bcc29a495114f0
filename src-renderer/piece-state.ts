/**
 * A piece's state as the checklist shows it, from the dossier and the local send queue. Pure,
 * so the rules are tested without a browser.
 */
import type { QueueView } from '../src-shared/assistant-api';
import type { Dossier, PieceInfo } from '../src-shared/contract';

export type PieceState = 'registered' | 'pending' | 'refused' | 'todo';

/** What the person reads next to each piece. */
export const PIECE_STATE_LABEL: Record<PieceState, string> = {
  registered: 'Enregistré',
  pending: 'Envoi en attente',
  refused: 'Refusé',
  todo: 'À fournir',
};

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

export function pieceState(piece: PieceInfo, queued: PieceQueueInfo | undefined): PieceState {
  if (queued?.state === 'pending') return 'pending';
  if (piece.documents.length > 0) return 'registered';
  if (queued?.state === 'refused') return 'refused';
  return 'todo';
}

/** A sent document may be deleted (and so replaced) until the dossier is closed. */
export function canDeleteDocuments(dossier: Pick<Dossier, 'state'>): boolean {
  return dossier.state === 'open';
}

/** The visible words of the button beside a sent document: what it opens, said plainly. */
export function documentActionLabel(dossier: Pick<Dossier, 'state'>): string {
  return canDeleteDocuments(dossier) ? 'Voir ou supprimer' : 'Voir';
}

/**
 * Whether "Ajouter un document" is offered: not on a closed dossier (except the pieces allowed
 * later), and not on a one-document piece that already has one, sent or still waiting to go
 * (a second would be refused by the server once the connection is back).
 */
export function canAddDocument(piece: PieceInfo, queued: PieceQueueInfo | undefined, dossier: Pick<Dossier, 'state'>): boolean {
  if (dossier.state === 'closed' && !piece.lateAllowed) return false;
  return piece.multiple || (piece.documents.length === 0 && (queued?.waiting?.length ?? 0) === 0);
}
