import { Button, FileTrigger } from 'react-aria-components';
import type { PageCheck } from '../../src-shared/documents';

/**
 * A page's quality warnings, each message saying how to do better, beside the page. They never
 * block: "Reprendre la photo" chooses another file for this page, "Envoyer quand même" keeps it.
 * `id` names the warnings for the page's thumbnail (aria-describedby), so a screen reader says
 * them with the page.
 */
export function PageChecks({
  id,
  pageNumber,
  checks,
  acknowledged,
  disabled,
  onRetake,
  onAcknowledge,
}: {
  id: string;
  pageNumber: number;
  checks: readonly PageCheck[];
  acknowledged: boolean;
  disabled: boolean;
  onRetake: (file: File) => void;
  onAcknowledge: () => void;
}) {
  return (
    <div className={`page-checks${acknowledged ? ' acknowledged' : ''}`}>
      <div id={id}>
        <p className="page-checks-title">
          {acknowledged ? `Page ${pageNumber} envoyée telle quelle, malgré :` : `À vérifier sur la page ${pageNumber} :`}
        </p>
        <ul>
          {checks.map((check) => (
            <li key={check.code}>{check.message}</li>
          ))}
        </ul>
      </div>
      <div className="page-checks-actions">
        <FileTrigger
          onSelect={(list) => {
            const file = list?.[0];
            if (file) onRetake(file);
          }}
        >
          <Button className="button small page-retake" aria-label={`Reprendre la photo de la page ${pageNumber}`} isDisabled={disabled}>
            Reprendre la photo
          </Button>
        </FileTrigger>
        {!acknowledged && (
          <Button
            className="button small page-acknowledge"
            aria-label={`Envoyer quand même la page ${pageNumber}`}
            isDisabled={disabled}
            onPress={onAcknowledge}
          >
            Envoyer quand même
          </Button>
        )}
      </div>
    </div>
  );
}
