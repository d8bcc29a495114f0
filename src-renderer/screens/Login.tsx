import { useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import type { DossierView } from '../../src-shared/assistant-api';
import { assistant } from '../assistant-client';
import { ERRORS } from '../../src-shared/errors';
import { SignInForm } from '../../src-ui';

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

  async function submit() {
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
    <SignInForm
      intro="Votre numéro de dossier et votre mot de passe sont dans le courriel reçu après votre préinscription."
      identifier={{ name: 'dossier', label: 'Identifiant (n° de dossier)', value: dossier, onChange: setDossier, autoCapitalize: 'characters' }}
      password={password}
      onPasswordChange={setPassword}
      error={error}
      busy={busy}
      onSubmit={() => void submit()}
    >
      <Button className="button" onPress={onBack}>
        Retour
      </Button>
    </SignInForm>
  );
}
