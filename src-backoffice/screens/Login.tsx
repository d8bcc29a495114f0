import { useState } from 'react';
import { SignInForm } from '../../src-ui';
import { GUICHET_ACCOUNT } from '../instruction-rules';
import type { StaffSession } from '../session';
import { StaffApi, StaffApiError } from '../staff-api';

/** "Connexion" for the service concours: the staff login and password given by the centre. */
export function Login({ notice, onLoggedIn }: { notice: string | null; onLoggedIn: (session: StaffSession) => void }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(notice);
  const [busy, setBusy] = useState(false);

  async function submit() {
    if (!login.trim() || !password) {
      setError('Indiquez votre identifiant et votre mot de passe.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const session = await StaffApi.logIn(login.trim(), password);
      // A help-desk account opens a session too: it is told here, not by an empty list.
      const api = new StaffApi(session.token, () => undefined);
      const role = await api.listDossiers({ filter: 'closed', q: '', cursor: null }).then(
        () => 'instruction',
        (e: unknown) => (e instanceof StaffApiError && e.code === 'forbidden' ? 'guichet' : 'instruction'),
      );
      if (role === 'guichet') {
        await api.logOut();
        setError(GUICHET_ACCOUNT);
        setBusy(false);
        return;
      }
      onLoggedIn({ login: login.trim(), ...session });
    } catch (e) {
      setError(e instanceof StaffApiError ? e.message : 'La connexion a échoué. Réessayez.');
      setBusy(false);
    }
  }

  return (
    <SignInForm
      intro="Espace réservé au service concours du centre de gestion : instruction des dossiers d'inscription."
      identifier={{ name: 'login', label: 'Identifiant', value: login, onChange: setLogin }}
      password={password}
      onPasswordChange={setPassword}
      error={error}
      busy={busy}
      onSubmit={() => void submit()}
    />
  );
}
