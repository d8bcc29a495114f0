import { Input, Label, TextField } from 'react-aria-components';

export interface StaffCredentials {
  login: string;
  password: string;
}

export const NO_STAFF_CREDENTIALS: StaffCredentials = { login: '', password: '' };

/** Whether both fields are filled (the submit buttons wait for it). */
export function staffCredentialsFilled(credentials: StaffCredentials): boolean {
  return credentials.login.trim() !== '' && credentials.password !== '';
}

/**
 * The staff account's two fields (a help-desk agent's own account, checked by the centre's
 * server, never the candidate's), the same wherever staff sign: the counter's settings, the
 * dossier look-up.
 */
export function StaffCredentialFields({
  value,
  onChange,
  autoFocus = false,
}: {
  value: StaffCredentials;
  onChange: (next: StaffCredentials) => void;
  autoFocus?: boolean;
}) {
  return (
    <>
      <TextField className="field" value={value.login} onChange={(login) => onChange({ ...value, login })} autoComplete="off" isRequired>
        <Label>Identifiant d'agent</Label>
        <Input spellCheck={false} autoFocus={autoFocus} />
      </TextField>
      <TextField
        className="field"
        type="password"
        value={value.password}
        onChange={(password) => onChange({ ...value, password })}
        autoComplete="off"
        isRequired
      >
        <Label>Mot de passe d'agent</Label>
        <Input />
      </TextField>
    </>
  );
}
