import { useEffect, useState, type FormEvent } from 'react';
import { Button, Input, Label, TextField } from 'react-aria-components';
import type { DossierView } from '../../src-shared/assistant-api';
import { assistant } from '../assistant-client';
import { ERRORS } from '../../src-shared/errors';
import { Alert } from '../Alert';
import { ScreenHeading } from '../ScreenHeading';

const MISSING_FIELDS = ERRORS.not_logged_in.message;

/** "Connexion": the dossier number and password from the pre-registration e-mail. */
export function Login({
  notice,
  onLoggedIn,
  onBack,
  onShown,
}: {
  notice: string | null;
  onLoggedIn: (d: DossierView) => void;
  onBack: () => void;
  /** Called once the screen is shown, to fetch the next screens meanwhile. */
  onShown?: () => void;
}) {
  const [dossier, setDossier] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(notice);
  const [busy, setBusy] = useState(false);
  useEffect(() => onShown?.(), [onShown]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!dossier.trim() || !password) {
      setError(MISSING_FIELDS);
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
    <section aria-labelledby="titre-connexion" className="narrow">
      <ScreenHeading id="titre-connexion">Connexion</ScreenHeading>
      <p>Votre numéro de dossier et votre mot de passe sont dans le courriel reçu après votre préinscription.</p>
      <form onSubmit={(e) => void submit(e)} noValidate className="card">
        <TextField className="field" name="dossier" value={dossier} onChange={setDossier} autoComplete="username">
          <Label>Identifiant (n° de dossier)</Label>
          <Input spellCheck={false} autoCapitalize="characters" />
        </TextField>
        <TextField className="field" name="password" type="password" value={password} onChange={setPassword} autoComplete="current-password">
          <Label>Mot de passe</Label>
          <Input />
        </TextField>
        <Alert message={error} />
        <div className="actions">
          <Button type="submit" className="button primary" isDisabled={busy}>
            Connexion
          </Button>
          <Button className="button" onPress={onBack}>
            Retour
          </Button>
        </div>
      </form>
    </section>
  );
}
