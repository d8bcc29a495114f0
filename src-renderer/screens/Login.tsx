import { useState, type FormEvent } from 'react';
import type { Dossier } from '../../src-shared/contract';
import { assistant } from '../assistant-client';
import { Alert } from '../Alert';

export function Login({ onLoggedIn, onBack }: { onLoggedIn: (d: Dossier) => void; onBack: () => void }) {
  const [dossier, setDossier] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!dossier.trim() || !password) {
      setError('Indiquez votre numéro de dossier et votre mot de passe.');
      return;
    }
    setBusy(true);
    setError(null);
    const result = await assistant.login({ dossier, password });
    setBusy(false);
    if (result.ok) onLoggedIn(result.value);
    else setError(result.error.message);
  }

  return (
    <section aria-labelledby="titre-connexion">
      <h1 id="titre-connexion">Connexion</h1>
      <p>Vous trouverez votre numéro de dossier et votre mot de passe dans le courriel reçu après votre préinscription.</p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <label htmlFor="dossier">Identifiant (n° de dossier)</label>
        <input id="dossier" name="dossier" autoComplete="username" value={dossier} onChange={(e) => setDossier(e.target.value)} autoFocus />
        <label htmlFor="password">Mot de passe</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        <Alert message={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            Connexion
          </button>
          <button type="button" onClick={onBack}>
            Retour
          </button>
        </div>
      </form>
    </section>
  );
}
