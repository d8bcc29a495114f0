import type { FormEvent, ReactNode } from 'react';
import { Input, Label, TextField } from 'react-aria-components';
import { ErrorMessage } from './ErrorMessage';
import { FormActions } from './FormActions';
import { ScreenHeading } from './ScreenHeading';

/**
 * The « Connexion » screen, the same for candidates and instructors: what to type says
 * `intro`, then the identifier, the password, the error if any and « Connexion ». The caller
 * checks and sends; the form only shows.
 */
export function SignInForm({
  intro,
  identifier,
  password,
  onPasswordChange,
  error,
  busy,
  onSubmit,
  children,
}: {
  intro: string;
  identifier: {
    name: string;
    label: string;
    value: string;
    onChange: (value: string) => void;
    /** Dossier numbers are in capitals; a staff login is typed as it is. */
    autoCapitalize?: string;
  };
  password: string;
  onPasswordChange: (value: string) => void;
  error: string | null;
  busy: boolean;
  onSubmit: () => void;
  /** Further buttons after « Connexion ». */
  children?: ReactNode;
}) {
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <section aria-labelledby="titre-connexion" className="narrow">
      <ScreenHeading id="titre-connexion">Connexion</ScreenHeading>
      <p>{intro}</p>
      <form onSubmit={submit} noValidate className="card">
        <TextField
          className="field"
          name={identifier.name}
          value={identifier.value}
          onChange={identifier.onChange}
          autoComplete="username"
        >
          <Label>{identifier.label}</Label>
          <Input spellCheck={false} autoCapitalize={identifier.autoCapitalize} />
        </TextField>
        <TextField
          className="field"
          name="password"
          type="password"
          value={password}
          onChange={onPasswordChange}
          autoComplete="current-password"
        >
          <Label>Mot de passe</Label>
          <Input />
        </TextField>
        <ErrorMessage message={error} />
        <FormActions submit="Connexion" isDisabled={busy}>
          {children}
        </FormActions>
      </form>
    </section>
  );
}
