import { useEffect, useId, useRef, useState } from 'react';
import { Button } from 'react-aria-components';
import { assistant } from './assistant-client';

export const REPORT_COPIED = "Rapport copié : collez-le dans votre message à l'assistance.";
export const REPORT_SELECT = 'Sélectionnez le texte puis copiez-le';

/**
 * "Copier le rapport pour l'assistance": the support report (versions, queue state, last error
 * codes; nothing personal) put on the clipboard. Where the clipboard is refused (a browser's
 * permission, an old system), the text is shown in a read-only field to copy by hand.
 */
export function SupportReportButton() {
  const [status, setStatus] = useState('');
  const [manual, setManual] = useState<string | null>(null);
  const field = useRef<HTMLTextAreaElement>(null);
  const fieldId = useId();

  async function copy() {
    setStatus('');
    const result = await assistant.supportReport({});
    if (!result.ok) {
      setStatus(result.error.message);
      return;
    }
    try {
      if (!navigator.clipboard) throw new Error('clipboard unavailable');
      await navigator.clipboard.writeText(result.value.text);
      setManual(null);
      setStatus(REPORT_COPIED);
    } catch {
      setManual(result.value.text);
      setStatus(`La copie automatique n'est pas possible ici. ${REPORT_SELECT}.`);
    }
  }

  // The field comes with its text selected: Ctrl+C (or the context menu) is all that is left.
  useEffect(() => {
    if (manual === null) return;
    field.current?.focus();
    field.current?.select();
  }, [manual]);

  return (
    <div className="support-report no-print">
      <Button className="button" onPress={() => void copy()}>
        Copier le rapport pour l'assistance
      </Button>
      <p role="status" className="support-report-status">
        {status}
      </p>
      {manual !== null && (
        <div className="field">
          <label htmlFor={fieldId}>{REPORT_SELECT}</label>
          <textarea id={fieldId} ref={field} readOnly rows={12} value={manual} className="support-report-text" />
        </div>
      )}
    </div>
  );
}
