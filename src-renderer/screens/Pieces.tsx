import { useState } from 'react';
import type { DocumentInfo, Dossier, PieceInfo } from '../../src-shared/contract';
import { formatDeadlineDay } from '../format';
import { AddDocument } from './AddDocument';
import { ManageDocument } from './ManageDocument';
import { PieceList } from './PieceList';

export function Pieces({
  dossier,
  onChanged,
  onClose,
}: {
  dossier: Dossier;
  onChanged: () => Promise<unknown>;
  onClose: () => void;
}) {
  const [adding, setAdding] = useState<PieceInfo | null>(null);
  const [managing, setManaging] = useState<DocumentInfo | null>(null);
  const { campaign } = dossier;

  return (
    <section aria-labelledby="titre-pieces">
      <h1 id="titre-pieces">Mes pièces</h1>
      <p className="lead">
        Ajoutez chaque document demandé, puis clôturez votre inscription au plus tard{' '}
        <strong>{formatDeadlineDay(campaign.closesAt, campaign.timeZone)}</strong> (heure de Paris).
      </p>
      <PieceList dossier={dossier} onAdd={setAdding} onManage={setManaging} />
      <div className="actions">
        <button type="button" className="primary" onClick={onClose}>
          Clôturer mon inscription
        </button>
      </div>
      {adding && (
        <AddDocument
          piece={adding}
          onDone={() => {
            setAdding(null);
            void onChanged();
          }}
        />
      )}
      {managing && (
        <ManageDocument
          document={managing}
          canDelete={dossier.state === 'open'}
          onDeleted={() => void onChanged()}
          onClose={() => setManaging(null)}
        />
      )}
    </section>
  );
}
