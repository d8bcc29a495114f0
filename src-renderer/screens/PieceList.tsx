import type { DocumentInfo, Dossier, PieceInfo } from '../../src-shared/contract';
import { formatBytes } from '../../src-shared/format';

/** The checklist: each piece with its state, its documents, and the button to add one. */
export function PieceList({
  dossier,
  onAdd,
  onManage,
  only,
}: {
  dossier: Dossier;
  onAdd: (piece: PieceInfo) => void;
  onManage: (document: DocumentInfo) => void;
  only?: (piece: PieceInfo) => boolean;
}) {
  const closed = dossier.state === 'closed';
  return (
    <ul className="pieces">
      {dossier.pieces.filter(only ?? (() => true)).map((piece) => {
        const canAdd = (!closed || piece.lateAllowed) && (piece.multiple || piece.documents.length === 0);
        const state = piece.documents.length > 0 ? 'Enregistré' : 'À fournir';
        return (
          <li key={piece.id} className="card piece">
            <div className="piece-head">
              <h2>{piece.label}</h2>
              <span className={`state ${piece.documents.length > 0 ? 'ok' : 'todo'}`}>{state}</span>
            </div>
            {piece.help && <p>{piece.help}</p>}
            <p className="tags">
              {piece.required ? 'Obligatoire' : 'Facultatif'}
              {piece.lateAllowed && ' — peut être envoyé après la clôture'}
            </p>
            {piece.documents.length > 0 && (
              <ul className="documents">
                {piece.documents.map((doc) => (
                  <li key={doc.id}>
                    <button type="button" className="document" onClick={() => onManage(doc)}>
                      {doc.filename} <span className="muted">({formatBytes(doc.bytes)})</span>
                      <span className="sr-only"> : gérer ce document</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
            {canAdd && (
              <button type="button" aria-label={`Ajouter un document : ${piece.label}`} onClick={() => onAdd(piece)}>
                Ajouter un document
              </button>
            )}
          </li>
        );
      })}
    </ul>
  );
}
