import { useEffect, useRef, useState } from 'react';
import type { DocumentInfo, Dossier, PieceInfo } from '../../src-shared/contract';
import { canDeleteDocuments } from '../piece-state';
import { AddDocument } from './AddDocument';
import { ManageDocument } from './ManageDocument';
import { pieceHeadingId } from './PieceList';

/**
 * The two dialogs of a piece ("Ajouter un document", also to replace one, and "Gestion du
 * document") and where the
 * focus goes when they close: the button that opened them may be gone (a full piece has no
 * "Ajouter" button, a deleted document no link), so the focus lands on the piece's title once
 * the dossier has been read again.
 */
export function usePieceDialogs(dossier: Dossier, onChanged: () => Promise<unknown>) {
  // `replacing`: the document the new one takes the place of ("Remplacer").
  const [adding, setAdding] = useState<{ piece: PieceInfo; replacing?: DocumentInfo } | null>(null);
  const [managing, setManaging] = useState<{ doc: DocumentInfo; piece: PieceInfo } | null>(null);
  const focusAfter = useRef<string | null>(null);

  useEffect(() => {
    const id = focusAfter.current;
    if (!id) return;
    focusAfter.current = null;
    // After the dialog has given the focus back (or failed to), move it to the piece.
    requestAnimationFrame(() => document.getElementById(pieceHeadingId(id))?.focus());
  }, [dossier]);

  async function closeAndRefresh(pieceId: string, changed: boolean) {
    if (!changed) return;
    focusAfter.current = pieceId;
    await onChanged();
  }

  const dialogs = (
    <>
      {adding && (
        <AddDocument
          piece={adding.piece}
          replacing={adding.replacing}
          onDone={(added) => {
            const { piece } = adding;
            setAdding(null);
            void closeAndRefresh(piece.id, added !== null);
          }}
        />
      )}
      {managing && (
        <ManageDocument
          document={managing.doc}
          timeZone={dossier.campaign.timeZone}
          canDelete={canDeleteDocuments(dossier, managing.piece)}
          onClose={(deleted) => {
            const { piece } = managing;
            setManaging(null);
            void closeAndRefresh(piece.id, deleted);
          }}
          onReplace={() => {
            const { doc, piece } = managing;
            setManaging(null);
            setAdding({ piece, replacing: doc });
          }}
        />
      )}
    </>
  );

  return {
    openAdd: (piece: PieceInfo) => setAdding({ piece }),
    openReplace: (doc: DocumentInfo, piece: PieceInfo) => setAdding({ piece, replacing: doc }),
    openManage: (doc: DocumentInfo, piece: PieceInfo) => setManaging({ doc, piece }),
    dialogs,
  };
}
