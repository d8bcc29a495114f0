import { useState, type FormEvent } from 'react';
import { Button, Input, Label, TextField } from 'react-aria-components';
import type { StaffDossier } from '../../src-shared/contract';
import { formatParisTimestamp } from '../../src-shared/deadline';
import { assistant } from '../assistant-client';
import { Alert } from '../Alert';
import { Dialog, FormActions } from '../../src-ui';
import { NO_STAFF_CREDENTIALS, StaffCredentialFields, staffCredentialsFilled } from './StaffCredentialFields';

/**
 * "Consulter un dossier" for the help desk: with their own staff account, staff see a dossier's
 * state and missing pieces (never its documents), to answer "is my dossier closed?".
 */
export function StaffLookup({
  staffLogin,
  onClose,
  onChanged,
}: {
  staffLogin: string | null;
  onClose: () => void;
  onChanged: () => Promise<void>;
}) {
  const [credentials, setCredentials] = useState(NO_STAFF_CREDENTIALS);
  const [number, setNumber] = useState('');
  const [found, setFound] = useState<StaffDossier | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function signIn(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await assistant.staffLogin({ login: credentials.login.trim(), password: credentials.password });
    setBusy(false);
    setCredentials((c) => ({ ...c, password: '' }));
    if (!result.ok) setError(result.error.message);
    await onChanged();
  }

  async function lookUp(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    setFound(null);
    const result = await assistant.staffLookup({ dossier: number.trim() });
    setBusy(false);
    if (result.ok) setFound(result.value);
    else {
      setError(result.error.message);
      if (result.error.code === 'staff_not_logged_in') await onChanged();
    }
  }

  async function signOut() {
    await assistant.staffLogout({});
    setFound(null);
    await onChanged();
  }

  return (
    <Dialog title="Consulter un dossier (agent)" onClose={onClose} wide>
      {!staffLogin ? (
        <form onSubmit={(e) => void signIn(e)} noValidate>
          <p>Connectez-vous avec votre compte d'agent du centre de gestion (pas celui du candidat).</p>
          <StaffCredentialFields value={credentials} onChange={setCredentials} autoFocus />
          <Alert message={error} />
          <FormActions submit="Se connecter" isDisabled={busy || !staffCredentialsFilled(credentials)}>
            <Button className="button" onPress={onClose}>
              Fermer
            </Button>
          </FormActions>
        </form>
      ) : (
        <>
          <p className="muted">Connecté en tant qu'agent : {staffLogin}</p>
          <form onSubmit={(e) => void lookUp(e)} noValidate>
            <TextField className="field" value={number} onChange={setNumber} autoComplete="off" isRequired>
              <Label>Numéro de dossier à consulter</Label>
              <Input spellCheck={false} autoCapitalize="characters" autoFocus />
            </TextField>
            <FormActions submit="Consulter" isDisabled={busy || !number.trim()} />
          </form>
          <Alert message={error} />
          {found && <StaffDossierView dossier={found} />}
          <div className="actions">
            <Button className="button" onPress={() => void signOut()}>
              Fermer la session agent
            </Button>
            <Button className="button" onPress={onClose}>
              Fermer
            </Button>
          </div>
        </>
      )}
    </Dialog>
  );
}

function StaffDossierView({ dossier }: { dossier: StaffDossier }) {
  const labelOf = (id: string) => dossier.pieces.find((p) => p.id === id)?.label ?? id;
  return (
    <section aria-labelledby="titre-dossier-agent" className="card counter-lookup" aria-live="polite">
      <h3 id="titre-dossier-agent">
        Dossier n° {dossier.dossier} : {dossier.firstName} {dossier.lastName}
      </h3>
      {dossier.state === 'closed' && dossier.closedAt ? (
        <p className="status-closed">Clôturé le {formatParisTimestamp(new Date(dossier.closedAt))} (heure de Paris).</p>
      ) : (
        <p className="state todo">Pas encore clôturé.</p>
      )}
      {dossier.missing.length > 0 ? (
        <>
          <h4>Pièces obligatoires manquantes</h4>
          <ul>
            {dossier.missing.map((id) => (
              <li key={id}>{labelOf(id)}</li>
            ))}
          </ul>
        </>
      ) : (
        <p>Aucune pièce obligatoire ne manque.</p>
      )}
      <h4>Documents reçus par pièce</h4>
      <ul>
        {dossier.pieces.map((p) => (
          <li key={p.id}>
            {p.label} : {p.documents === 0 ? 'aucun' : p.documents}
          </li>
        ))}
      </ul>
    </section>
  );
}
