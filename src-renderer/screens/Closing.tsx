import { useState } from 'react';
import { Button, Checkbox } from 'react-aria-components';
import type { DossierView } from '../../src-shared/assistant-api';
import { assistant } from '../assistant-client';
import { Alert, type AlertContent } from '../Alert';
import { formatDeadlineDay } from '../format';
import { CLOSE_WAITS_FOR_CONNECTION } from '../OfflineNote';
import { readyToClose, requiredPieces, waitingPiecesNote, type PieceQueueInfo } from '../piece-state';
import { ScreenHeading } from '../../src-ui';
import { campaignTimeName } from '../../src-shared/local-time';

/** "Clôture": what is sent, what is missing, what may come later; closing is final. */
export function Closing({
  dossier,
  queue,
  onBack,
  onClosed,
}: {
  dossier: DossierView;
  queue?: Map<string, PieceQueueInfo>;
  onBack: () => void;
  onClosed: () => Promise<unknown>;
}) {
  const [understood, setUnderstood] = useState(false);
  const [error, setError] = useState<AlertContent>(null);
  const [busy, setBusy] = useState(false);
  const required = requiredPieces(dossier, queue);
  const later = dossier.pieces.filter((p) => p.lateAllowed && p.documents.length === 0);
  const sent = dossier.pieces.filter((p) => p.documents.length > 0);
  // The same rule as the checklist's: a piece whose document still waits on this computer blocks.
  const blocked = !readyToClose(required);
  const offline = dossier.offlineCopy !== null;

  async function close() {
    setBusy(true);
    setError(null);
    const result = await assistant.closeDossier({});
    setBusy(false);
    if (result.ok) await onClosed();
    else setError(result.error);
  }

  return (
    <section aria-labelledby="titre-cloture">
      <ScreenHeading id="titre-cloture">Clôturer mon inscription</ScreenHeading>
      {required.missing.length > 0 && (
        <div className="card warning">
          <h2>Il manque encore des pièces obligatoires</h2>
          <ul>
            {required.missing.map((p) => (
              <li key={p.id}>{p.label}</li>
            ))}
          </ul>
          <p>Ajoutez-les avant de clôturer. Sans clôture avant la date limite, votre inscription n'est pas enregistrée.</p>
        </div>
      )}
      {required.waiting.length > 0 && (
        <div className="card">
          <h2>{required.waiting.length === 1 ? "Pièce obligatoire en attente d'envoi" : "Pièces obligatoires en attente d'envoi"}</h2>
          <ul>
            {required.waiting.map((p) => (
              <li key={p.id}>{p.label}</li>
            ))}
          </ul>
          <p>{waitingPiecesNote(required.waiting.length, offline)}</p>
        </div>
      )}
      <div className="card">
        <h2>Pièces envoyées</h2>
        {sent.length === 0 ? (
          <p>Aucune pièce envoyée pour l'instant.</p>
        ) : (
          <ul>
            {sent.map((p) => (
              <li key={p.id}>
                {p.label} : {p.documents.map((d) => d.filename).join(', ')}
              </li>
            ))}
          </ul>
        )}
      </div>
      {later.length > 0 && (
        <div className="card">
          <h2>Pièces que vous pourrez envoyer après la clôture</h2>
          <ul>
            {later.map((p) => (
              <li key={p.id}>{p.label}</li>
            ))}
          </ul>
          <p className="muted">Elles ne bloquent pas la clôture : vous pourrez les ajouter depuis l'écran de suivi.</p>
        </div>
      )}
      {!blocked && (
        <div className="card final">
          <h2>La clôture est définitive</h2>
          <p>
            Après la clôture, vous ne pourrez plus ajouter, modifier ni supprimer vos documents, sauf les pièces qui
            peuvent être envoyées après la clôture. Date limite :{' '}
            {formatDeadlineDay(dossier.campaign.closesAt, dossier.campaign.timeZone)} ({campaignTimeName(dossier.campaign.timeZone)}).
          </p>
          <Checkbox className="check" isSelected={understood} onChange={setUnderstood}>
            <span className="box" aria-hidden="true">
              {understood ? '✓' : ''}
            </span>
            <span>J'ai vérifié mes documents et je comprends que la clôture est définitive.</span>
          </Checkbox>
        </div>
      )}
      {offline && !blocked && (
        <p id="cloture-hors-connexion" className="offline-reason">
          {CLOSE_WAITS_FOR_CONNECTION}
        </p>
      )}
      <Alert message={error} />
      <div className="actions">
        {!blocked && (
          <Button
            className="button primary big"
            isDisabled={!understood || busy || offline}
            aria-describedby={offline ? 'cloture-hors-connexion' : undefined}
            onPress={() => void close()}
          >
            Clôturer mon inscription
          </Button>
        )}
        <Button className="button" onPress={onBack}>
          Retour à mes pièces
        </Button>
      </div>
      {busy && (
        <p role="status" className="status">
          Clôture en cours…
        </p>
      )}
    </section>
  );
}
