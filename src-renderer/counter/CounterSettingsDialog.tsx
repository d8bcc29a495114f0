import { useState, type FormEvent } from 'react';
import { Checkbox, Input, Label, NumberField, TextField } from 'react-aria-components';
import type { CounterStatus } from '../../src-shared/counter';
import { assistant } from '../assistant-client';
import { Alert } from '../Alert';
import { Dialog, FormActions } from '../../src-ui';
import { NO_STAFF_CREDENTIALS, StaffCredentialFields, staffCredentialsFilled } from './StaffCredentialFields';

/**
 * "Réglages du guichet": counter mode, the scanner folder and the inactivity delay, behind a
 * staff account (the staff code), checked by the centre's server.
 */
export function CounterSettingsDialog({
  status,
  onClose,
  onSaved,
}: {
  status: CounterStatus | null;
  onClose: () => void;
  onSaved: () => Promise<void>;
}) {
  const [enabled, setEnabled] = useState(status?.enabled ?? false);
  const [scanFolder, setScanFolder] = useState(status?.scanFolder ?? '');
  const [minutes, setMinutes] = useState(Math.max(1, Math.round((status?.idleSeconds ?? 300) / 60)));
  const [credentials, setCredentials] = useState(NO_STAFF_CREDENTIALS);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const result = await assistant.counterConfigure({
      login: credentials.login.trim(),
      password: credentials.password,
      enabled,
      scanFolder: scanFolder.trim(),
      idleSeconds: Math.min(60, Math.max(1, Math.round(minutes))) * 60,
    });
    setBusy(false);
    setCredentials((c) => ({ ...c, password: '' }));
    if (!result.ok) return setError(result.error.message);
    await onSaved();
    onClose();
  }

  return (
    <Dialog title="Réglages du guichet" onClose={onClose}>
      <form onSubmit={(e) => void save(e)} noValidate>
        <Checkbox className="check" isSelected={enabled} onChange={setEnabled}>
          <span className="box" aria-hidden="true">
            {enabled ? '✓' : ''}
          </span>
          <span>Mode guichet (un candidat après l'autre, tout est effacé entre deux candidats)</span>
        </Checkbox>
        <TextField className="field" value={scanFolder} onChange={setScanFolder} autoComplete="off">
          <Label>Dossier où le scanner enregistre (facultatif)</Label>
          <Input spellCheck={false} />
        </TextField>
        <NumberField className="field" value={minutes} onChange={setMinutes} minValue={1} maxValue={60} step={1}>
          <Label>Effacement automatique après (minutes sans activité)</Label>
          <Input />
        </NumberField>
        <p className="muted">Pour enregistrer, un agent du centre de gestion saisit son identifiant et son mot de passe.</p>
        <StaffCredentialFields value={credentials} onChange={setCredentials} />
        <Alert message={error} />
        <FormActions submit="Enregistrer les réglages" isDisabled={busy || !staffCredentialsFilled(credentials)} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
