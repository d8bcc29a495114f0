import { useEffect, useState } from 'react';
import type { DocumentInfo, Dossier, PieceInfo, SignedReceipt } from '../../src-shared/contract';
import { assistant } from '../assistant-client';
import { formatInstant } from '../format';
import { AddDocument } from './AddDocument';
import { ManageDocument } from './ManageDocument';
import { PieceList } from './PieceList';

/** "Suivi": the dossier is closed; the receipt; the pieces that may still come. */
export function FollowUp({ dossier, onChanged }: { dossier: Dossier; onChanged: () => Promise<unknown> }) {
  const [receipt, setReceipt] = useState<SignedReceipt | null>(null);
  const [adding, setAdding] = useState<PieceInfo | null>(null);
  const [managing, setManaging] = useState<DocumentInfo | null>(null);
  const late = dossier.pieces.filter((p) => p.lateAllowed);

  useEffect(() => {
    void assistant.getReceipt({}).then((r) => r.ok && setReceipt(r.value));
  }, [dossier.closedAt]);

  return (
    <section aria-labelledby="titre-suivi">
      <h1 id="titre-suivi">Suivi de mon dossier</h1>
      <p className="status-closed" role="status">
        {dossier.statusMessage}
      </p>
      {dossier.closedAt && <p>Clôturé le {formatInstant(dossier.closedAt, dossier.campaign.timeZone)} (heure de Paris).</p>}
      {receipt && (
        <div className="card receipt">
          <h2>Accusé de clôture</h2>
          <p>
            Dossier n° {receipt.receipt.dossier}, {receipt.receipt.firstName} {receipt.receipt.lastName}
          </p>
          <ul>
            {receipt.receipt.documents.map((d) => (
              <li key={d.sha256 + d.pieceId}>
                {dossier.pieces.find((p) => p.id === d.pieceId)?.label ?? d.pieceId} : {d.filename}
              </li>
            ))}
          </ul>
          <p className="muted">Signature électronique du centre de gestion (clé {receipt.keyId}).</p>
          <button type="button" onClick={() => window.print()}>
            Imprimer l'accusé
          </button>
        </div>
      )}
      {late.length > 0 && (
        <>
          <h2>Pièces que vous pouvez encore envoyer</h2>
          <PieceList dossier={dossier} onAdd={setAdding} onManage={setManaging} only={(p) => p.lateAllowed} />
        </>
      )}
      {adding && (
        <AddDocument
          piece={adding}
          onDone={() => {
            setAdding(null);
            void onChanged();
          }}
        />
      )}
      {managing && <ManageDocument document={managing} canDelete={false} onDeleted={() => {}} onClose={() => setManaging(null)} />}
    </section>
  );
}
