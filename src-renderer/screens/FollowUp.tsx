import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import type { Dossier, SignedReceipt } from '../../src-shared/contract';
import { formatSize } from '../../src-shared/format';
import { assistant } from '../assistant-client';
import { Alert, type AlertContent } from '../Alert';
import { formatInstant } from '../format';
import { ScreenHeading } from '../ScreenHeading';
import { SupportReportButton } from '../SupportReportButton';
import { PieceList, type PieceQueueInfo } from './PieceList';
import { usePieceDialogs } from './use-piece-dialogs';
import { correctionsLine, openForCorrection, piecesToCorrect } from '../piece-state';
import { campaignTimeName } from '../../src-shared/local-time';

/** "Suivi": the dossier is closed; the receipt to keep; the pieces that may still come. */
export function FollowUp({
  dossier,
  queue,
  onChanged,
}: {
  dossier: Dossier;
  queue?: Map<string, PieceQueueInfo>;
  onChanged: () => Promise<unknown>;
}) {
  const [receipt, setReceipt] = useState<SignedReceipt | null>(null);
  const [error, setError] = useState<AlertContent>(null);
  const { openAdd, openManage, openReplace, dialogs } = usePieceDialogs(dossier, onChanged);
  // The pieces the centre asked to correct come first: they are what the person must do now.
  const correcting = dossier.pieces.filter((p) => openForCorrection(p, dossier));
  const toCorrect = correctionsLine(piecesToCorrect(dossier.pieces).length);
  const late = dossier.pieces.filter((p) => p.lateAllowed && !correcting.includes(p));
  // The receipt lists the documents held at closure: a corrected piece's new document is not
  // on it, and the person must not read that as lost.
  const sentSinceClosure = dossier.pieces.some((p) => p.documents.some((d) => d.late));
  const label = (id: string) => dossier.pieces.find((p) => p.id === id)?.label ?? id;

  useEffect(() => {
    void assistant.getReceipt({}).then((r) => (r.ok ? setReceipt(r.value) : setError(r.error)));
  }, [dossier.closedAt]);

  function save() {
    if (!receipt) return;
    const blob = new Blob([JSON.stringify(receipt, null, 2)], { type: 'application/json' });
    const link = document.createElement('a');
    link.href = URL.createObjectURL(blob);
    link.download = `accuse-de-cloture-${receipt.receipt.dossier}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
  }

  return (
    <section aria-labelledby="titre-suivi">
      <ScreenHeading id="titre-suivi">Suivi de mon dossier</ScreenHeading>
      <p className="status-closed">
        <span aria-hidden="true">✓ </span>
        {dossier.statusMessage}
      </p>
      {dossier.closedAt && (
        <p>
          Clôturé le {formatInstant(dossier.closedAt, dossier.campaign.timeZone)} ({campaignTimeName(dossier.campaign.timeZone)}).
        </p>
      )}
      {toCorrect && (
        <p className="corrections-count">
          {toCorrect} : le centre de gestion vous demande un nouveau document, le motif est indiqué ci-dessous.
        </p>
      )}
      {correcting.length > 0 && (
        <section aria-labelledby="titre-corrections" className="no-print">
          <h2 id="titre-corrections">{toCorrect ? 'Pièces à corriger' : 'Pièces corrigées, en attente de vérification'}</h2>
          <p>
            Votre inscription reste clôturée. Seules ces pièces peuvent encore être changées, jusqu'à ce que le centre de
            gestion les vérifie à nouveau.
          </p>
          <PieceList dossier={dossier} pieces={correcting} queue={queue} onAdd={openAdd} onManage={openManage} onReplace={openReplace} />
        </section>
      )}
      <Alert message={error} />
      {receipt && (
        <div className="card receipt" id="accuse">
          <h2>Accusé de clôture</h2>
          <p>Gardez cet accusé : il prouve que votre inscription a été clôturée, avec la liste des documents reçus.</p>
          <dl className="receipt-fields">
            <dt>Dossier</dt>
            <dd>
              n° {receipt.receipt.dossier}, {receipt.receipt.firstName} {receipt.receipt.lastName}
            </dd>
            <dt>Concours</dt>
            <dd>{dossier.campaign.title}</dd>
            <dt>Clôturé le</dt>
            <dd>
              {formatInstant(receipt.receipt.closedAt, dossier.campaign.timeZone)} ({campaignTimeName(dossier.campaign.timeZone)})
            </dd>
          </dl>
          <h3>Documents reçus</h3>
          <ul>
            {receipt.receipt.documents.map((d) => (
              <li key={d.sha256 + d.pieceId}>
                {label(d.pieceId)} : {d.filename} ({formatSize(d.bytes)})
              </li>
            ))}
          </ul>
          {sentSinceClosure && (
            <p className="receipt-since">
              Cette liste est celle du jour de la clôture et ne change plus. Les documents envoyés depuis (corrections,
              pièces envoyées après la clôture) sont bien reçus : vous les voyez sur cette page, avec leur pièce.
            </p>
          )}
          <p className="muted small">
            Signé électroniquement par le centre de gestion (clé {receipt.keyId}). Signature : <span className="sig">{receipt.signature}</span>
          </p>
          <div className="actions">
            <Button className="button primary" onPress={() => window.print()}>
              Imprimer l'accusé
            </Button>
            <Button className="button" onPress={save}>
              Enregistrer l'accusé
            </Button>
          </div>
        </div>
      )}
      {late.length > 0 && (
        <section aria-labelledby="titre-apres" className="no-print">
          <h2 id="titre-apres">Pièces que vous pouvez encore envoyer</h2>
          <p>Ces pièces peuvent être envoyées après la clôture, à tout moment.</p>
          <PieceList dossier={dossier} pieces={late} queue={queue} onAdd={openAdd} onManage={openManage} onReplace={openReplace} />
        </section>
      )}
      <section aria-labelledby="titre-aide" className="no-print">
        <h2 id="titre-aide">Besoin d'aide ?</h2>
        <p>
          Si quelque chose ne fonctionne pas, écrivez à l'assistance du centre de gestion et joignez ce rapport. Il
          décrit l'application et les dernières erreurs, sans vos documents ni vos données personnelles.
        </p>
        <SupportReportButton />
      </section>
      {dialogs}
    </section>
  );
}
