import { Button } from 'react-aria-components';
import type { DocumentInfo, Dossier, PieceInfo } from '../../src-shared/contract';
import { formatSize } from '../../src-shared/format';
import { FileIcon } from '../icons';
import {
  canAddDocument,
  correctionReason,
  documentActionLabel,
  openForCorrection,
  PIECE_STATE_LABEL,
  pieceState,
  replacementTarget,
  requiredPieces,
  type PieceQueueInfo,
} from '../piece-state';

export type { PieceQueueInfo } from '../piece-state';

export function pieceHeadingId(pieceId: string): string {
  return `piece-${pieceId}`;
}

/**
 * The checklist: each piece with its state, its documents, and the button to add one (on a
 * piece asked for correction, to replace its document).
 */
export function PieceList({
  dossier,
  pieces,
  queue,
  onAdd,
  onManage,
  onReplace,
}: {
  dossier: Dossier;
  pieces: PieceInfo[];
  queue?: Map<string, PieceQueueInfo>;
  onAdd: (piece: PieceInfo) => void;
  onManage: (document: DocumentInfo, piece: PieceInfo) => void;
  onReplace: (document: DocumentInfo, piece: PieceInfo) => void;
}) {
  // A piece whose document waits to be sent needs nothing more from the person: no emphasis.
  const missing = new Set(requiredPieces(dossier, queue).missing.map((p) => p.id));
  return (
    <ul className="pieces">
      {pieces.map((piece) => {
        const queued = queue?.get(piece.id);
        const state = pieceState(piece, queued, dossier);
        const canAdd = canAddDocument(piece, queued, dossier);
        const toReplace = replacementTarget(piece, queued, dossier);
        const waiting = queued?.waiting ?? [];
        const action = documentActionLabel(dossier, piece);
        const reason = correctionReason(piece);
        const rechecking = reason === null && openForCorrection(piece, dossier) && piece.documents.length > 0;
        return (
          <li key={piece.id} className={`card piece ${state}`}>
            <div className="piece-head">
              <h2 id={pieceHeadingId(piece.id)} tabIndex={-1}>
                {piece.label}
              </h2>
              <span className={`state ${state}`}>
                <span className="sr-only">État : </span>
                {PIECE_STATE_LABEL[state]}
              </span>
            </div>
            {piece.help && <p>{piece.help}</p>}
            <p className="tags">
              <span className="tag">{piece.required ? 'Obligatoire' : 'Facultatif'}</span>
              {piece.lateAllowed && <span className="tag later">Peut être envoyée après la clôture</span>}
            </p>
            {reason !== null && (
              <div className="correction-request">
                <p className="correction-title">Le centre de gestion vous demande de corriger cette pièce. Motif :</p>
                <p className="correction-reason">{reason}</p>
                <p>{correctionHelp(piece, toReplace !== null, waiting.length > 0)}</p>
              </div>
            )}
            {rechecking && <p className="recheck-note">Nouveau document reçu : le centre de gestion va le vérifier.</p>}
            {queued?.state === 'refused' && queued.reason && (
              <p className="refused-reason">{queued.reason}</p>
            )}
            {piece.documents.length + waiting.length > 0 && (
              <ul className="documents">
                {piece.documents.map((doc) => (
                  <li key={doc.id} className="document">
                    <span className="document-name">
                      <FileIcon />
                      {doc.filename}{' '}
                      <span className="muted">
                        ({formatSize(doc.bytes)}
                        {doc.late ? ', envoyé après la clôture' : ''})
                      </span>
                    </span>
                    {/* The name starts with the visible words (WCAG 2.5.3) and says which document. */}
                    <Button className="button small" aria-label={`${action} : ${doc.filename}`} onPress={() => onManage(doc, piece)}>
                      {action}
                    </Button>
                  </li>
                ))}
                {waiting.map((filename, i) => (
                  <li key={`waiting-${i}`} className="document">
                    <span className="document-name">
                      <FileIcon />
                      {filename}
                    </span>
                    <span className="muted">en attente d'envoi, gardé sur cet ordinateur</span>
                  </li>
                ))}
              </ul>
            )}
            {toReplace && (
              <Button
                className="button primary"
                aria-label={`Remplacer le document : ${piece.label}`}
                onPress={() => onReplace(toReplace, piece)}
              >
                Remplacer le document
              </Button>
            )}
            {canAdd && (
              <Button
                className={missing.has(piece.id) && !toReplace ? 'button primary' : 'button'}
                aria-label={`Ajouter un document : ${piece.label}`}
                onPress={() => onAdd(piece)}
              >
                Ajouter un document
              </Button>
            )}
          </li>
        );
      })}
    </ul>
  );
}

/** What to do about a correction, in the words of the buttons the piece shows. */
function correctionHelp(piece: PieceInfo, replaceOffered: boolean, waiting: boolean): string {
  if (waiting)
    return "Votre nouveau document est gardé sur cet ordinateur : il partira tout seul dès que possible, et l'ancien reste enregistré jusque-là.";
  if (piece.documents.length === 0) return 'Ajoutez le nouveau document avec le bouton « Ajouter un document ».';
  if (replaceOffered)
    return "Appuyez sur « Remplacer le document » et choisissez le nouveau : l'ancien reste enregistré jusqu'à ce que le nouveau soit bien reçu.";
  return "Choisissez le document à remplacer avec son bouton « Voir, remplacer ou supprimer », puis « Remplacer ». Vous pouvez aussi ajouter un document.";
}
