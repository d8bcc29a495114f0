import type { ReactNode } from 'react';
import { Button } from 'react-aria-components';

/**
 * A form's row of buttons: the one that sends it first, as the main action, then the others
 * (`children`), then « Annuler » when the form can be left unsent (`onCancel`).
 */
export function FormActions({
  submit,
  isDisabled,
  onCancel,
  children,
}: {
  submit: string;
  isDisabled: boolean;
  onCancel?: () => void;
  children?: ReactNode;
}) {
  return (
    <div className="actions">
      <Button type="submit" className="button primary" isDisabled={isDisabled}>
        {submit}
      </Button>
      {children}
      {onCancel && (
        <Button className="button" onPress={onCancel}>
          Annuler
        </Button>
      )}
    </div>
  );
}
