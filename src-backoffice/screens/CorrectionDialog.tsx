import { useState, type FormEvent } from 'react';
import { Button, Label, Text, TextArea, TextField } from 'react-aria-components';
import { Dialog, ErrorMessage, FormActions } from '../../src-ui';
import { MAX_REASON_LENGTH, READY_REASON_NAMES, READY_REASONS, reasonProblem } from '../instruction-rules';

/**
 * "Demander une correction": the reason the candidate will read as written, typed or taken from
 * a ready-made one and edited. Focus stays in the dialog; Escape cancels.
 */
export function CorrectionDialog({
  pieceLabel,
  onSend,
  onClose,
}: {
  pieceLabel: string;
  /** Sends the request; answers the error to show, or null once sent. */
  onSend: (reason: string) => Promise<string | null>;
  onClose: () => void;
}) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problem = reasonProblem(reason);
    if (problem) {
      setError(problem);
      return;
    }
    setBusy(true);
    const failure = await onSend(reason.trim());
    setBusy(false);
    if (failure) setError(failure);
    else onClose();
  }

  return (
    <Dialog title="Demander une correction" onClose={onClose} dismissable>
      <p>
        Pièce : <strong>{pieceLabel}</strong>. Le candidat verra cette pièce « Correction demandée » avec votre motif, et
        pourra envoyer un nouveau document même si son dossier est clôturé.
      </p>
      <form onSubmit={(e) => void submit(e)} noValidate>
        <fieldset className="ready-reasons">
          <legend>Motifs courants (le texte reste modifiable)</legend>
          {READY_REASONS.map((text, i) => (
            <Button key={text} className="button small" onPress={() => setReason(text)}>
              {READY_REASON_NAMES[i]}
            </Button>
          ))}
        </fieldset>
        {/* No maxLength: a pasted text too long is kept whole and the form says by how much. */}
        <TextField className="field" value={reason} onChange={setReason} autoFocus>
          <Label>Motif</Label>
          <TextArea rows={4} className="reason-input" />
          <Text slot="description" className="muted small">
            Le candidat lira ce motif tel quel. {reason.trim().length} / {MAX_REASON_LENGTH} caractères.
          </Text>
        </TextField>
        <ErrorMessage message={error} />
        <FormActions submit="Envoyer la demande" isDisabled={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
