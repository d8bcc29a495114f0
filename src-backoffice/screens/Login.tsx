import { useState, type FormEvent } from 'react';
import { Button, Input, Label, TextField } from 'react-aria-components';
import { GUICHET_ACCOUNT } from '../instruction-rules';
import type { StaffSession } from '../session';
import { StaffApi, StaffApiError } from '../staff-api';
import { ErrorMessage, PageTitle } from '../ui';

/** "Connexion" for the service concours: the staff login and password given by the centre. */
export function Login({ notice, onLoggedIn }: { notice: string | null; onLoggedIn: (session: StaffSession) => void }) {
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(notice);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
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
    <section aria-labelledby="titre-connexion" className="narrow">
      <PageTitle id="titre-connexion">Connexion</PageTitle>
      <p>Espace réservé au service concours du centre de gestion : instruction des dossiers d'inscription.</p>
      <form onSubmit={(e) => void submit(e)} noValidate className="card">
        <TextField className="field" name="login" value={login} onChange={setLogin} autoComplete="username">
          <Label>Identifiant</Label>
          <Input spellCheck={false} />
        </TextField>
        <TextField className="field" name="password" type="password" value={password} onChange={setPassword} autoComplete="current-password">
          <Label>Mot de passe</Label>
          <Input />
        </TextField>
        <ErrorMessage message={error} />
        <div className="actions">
          <Button type="submit" className="button primary" isDisabled={busy}>
            Connexion
          </Button>
        </div>
      </form>
    </section>
  );
}
