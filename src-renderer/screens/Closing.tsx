import { useState } from 'react';
import type { Dossier } from '../../src-shared/contract';
import { assistant } from '../assistant-client';
import { Alert } from '../Alert';
import { formatDeadlineDay } from '../format';

export function Closing({ dossier, onBack, onClosed }: { dossier: Dossier; onBack: () => void; onClosed: () => Promise<unknown> }) {
  const [understood, setUnderstood] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const label = (id: string) => dossier.pieces.find((p) => p.id === id)?.label ?? id;
  const later = dossier.pieces.filter((p) => p.lateAllowed && p.documents.length === 0);
  const sent = dossier.pieces.filter((p) => p.documents.length > 0);

  async function close() {
    setBusy(true);
    setError(null);
    const result = await assistant.closeDossier({});
    setBusy(false);
    if (result.ok) await onClosed();
    else setError(result.error.message);
  }

  return (
    <section aria-labelledby="titre-cloture">
      <h1 id="titre-cloture">Clôturer mon inscription</h1>
      {dossier.missing.length > 0 ? (
        <div className="card warning">
          <h2>Il manque encore des pièces obligatoires</h2>
          <ul>
            {dossier.missing.map((id) => (
              <li key={id}>{label(id)}</li>
            ))}
          </ul>
          <p>Ajoutez-les avant de clôturer. Sans clôture avant la date limite, votre inscription n'est pas enregistrée.</p>
        </div>
      ) : (
        <div className="card">
          <h2>Pièces envoyées</h2>
          <ul>
            {sent.map((p) => (
              <li key={p.id}>
                {p.label} : {p.documents.length} document{p.documents.length > 1 ? 's' : ''}
              </li>
            ))}
          </ul>
        </div>
      )}
      {later.length > 0 && (
        <div className="card">
          <h2>Pièces que vous pourrez envoyer après la clôture</h2>
          <ul>
            {later.map((p) => (
              <li key={p.id}>{p.label}</li>
            ))}
          </ul>
        </div>
      )}
      <p>
        La clôture est définitive : ensuite, vous ne pourrez plus modifier ni supprimer vos documents. Date limite :{' '}
        {formatDeadlineDay(dossier.campaign.closesAt, dossier.campaign.timeZone)} (heure de Paris).
      </p>
      <div className="check">
        <input id="compris" type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
        <label htmlFor="compris">J'ai vérifié mes documents et je comprends que la clôture est définitive.</label>
      </div>
      <Alert message={error} />
      <div className="actions">
        <button
          type="button"
          className="primary"
          disabled={!understood || busy || dossier.missing.length > 0}
          onClick={() => void close()}
        >
          Clôturer mon inscription
        </button>
        <button type="button" onClick={onBack}>
          Retour à mes pièces
        </button>
      </div>
    </section>
  );
}
