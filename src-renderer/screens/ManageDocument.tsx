import { useEffect, useRef, useState } from 'react';
import { Button } from 'react-aria-components';
import type { DocumentInfo } from '../../src-shared/contract';
import { formatSize } from '../../src-shared/format';
import { campaignTimeName } from '../../src-shared/local-time';
import { formatRecordedAt } from '../format';
import { assistant } from '../assistant-client';
import { Alert, type AlertContent } from '../Alert';
import { Dialog } from '../../src-ui';
import { BinIcon, EyeIcon, ReplaceIcon } from '../icons';

/**
 * "Gestion du document": see it (the eye), replace it by a new one in one step (where it may be
 * deleted), delete it (the bin), close.
 */
export function ManageDocument({
  document: doc,
  timeZone,
  canDelete,
  onClose,
  onReplace,
}: {
  document: DocumentInfo;
  /** The campaign's time zone: the candidate reads every instant in the campaign's time. */
  timeZone: string;
  canDelete: boolean;
  onClose: (deleted: boolean) => void;
  /** Opens "Ajouter un document" to replace this one; offered where it may be deleted. */
  onReplace?: () => void;
}) {
  const [preview, setPreview] = useState<{ url: string; mediaType: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<AlertContent>(null);
  const [deleted, setDeleted] = useState(false);
  const [busy, setBusy] = useState(false);
  const closeButton = useRef<HTMLButtonElement>(null);
  const deleteButton = useRef<HTMLButtonElement>(null);
  const wasConfirming = useRef(false);

  // The button that was pressed disappears: the focus goes to the next sensible one.
  useEffect(() => {
    if (deleted) closeButton.current?.focus();
    else if (wasConfirming.current && !confirming) deleteButton.current?.focus();
    wasConfirming.current = confirming;
  }, [deleted, confirming]);

  useEffect(
    () => () => {
      if (preview) URL.revokeObjectURL(preview.url);
    },
    [preview],
  );

  async function view() {
    setError(null);
    setBusy(true);
    const result = await assistant.getDocumentContent({ documentId: doc.id });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    const blob = new Blob([result.value.bytes as Uint8Array<ArrayBuffer>], { type: result.value.mediaType });
    setPreview({ url: URL.createObjectURL(blob), mediaType: result.value.mediaType });
  }

  async function remove() {
    setError(null);
    setBusy(true);
    const result = await assistant.deleteDocument({ documentId: doc.id });
    setBusy(false);
    if (!result.ok) return setError(result.error);
    setDeleted(true);
    setConfirming(false);
  }

  const uploaded = formatRecordedAt(doc.uploadedAt, timeZone);
  return (
    <Dialog title="Gestion du document" onClose={() => onClose(deleted)} wide={preview !== null}>
      <p>
        <strong>{doc.filename}</strong> ({doc.mediaType === 'application/pdf' ? 'PDF' : 'image JPEG'}, {formatSize(doc.bytes)}),
        enregistré le {uploaded} ({campaignTimeName(timeZone)}).
      </p>
      {deleted ? (
        <p role="status" className="success">
          Le document a été supprimé.
        </p>
      ) : (
        <div className="actions">
          <Button className="button" isDisabled={busy} onPress={() => void view()}>
            <EyeIcon /> Voir
          </Button>
          {canDelete && onReplace && !confirming && (
            <Button className="button" isDisabled={busy} onPress={onReplace}>
              <ReplaceIcon /> Remplacer
            </Button>
          )}
          {canDelete && !confirming && (
            <Button ref={deleteButton} className="button danger" isDisabled={busy} onPress={() => setConfirming(true)}>
              <BinIcon /> Supprimer
            </Button>
          )}
        </div>
      )}
      {confirming && !deleted && (
        <div className="confirm" role="group" aria-labelledby="confirm-delete">
          <p id="confirm-delete">Supprimer ce document ? Vous pourrez en ajouter un autre ensuite.</p>
          <div className="actions">
            <Button className="button danger" autoFocus isDisabled={busy} onPress={() => void remove()}>
              Oui, supprimer
            </Button>
            <Button className="button" onPress={() => setConfirming(false)}>
              Non, garder
            </Button>
          </div>
        </div>
      )}
      <Alert message={error} />
      {preview && !deleted && (
        <div className="preview">
          {preview.mediaType === 'image/jpeg' ? (
            <img src={preview.url} alt={`Aperçu de ${doc.filename}`} />
          ) : (
            <iframe src={preview.url} title={`Aperçu de ${doc.filename}`} />
          )}
        </div>
      )}
      <div className="actions">
        <Button ref={closeButton} className="button primary" onPress={() => onClose(deleted)}>
          Fermer
        </Button>
      </div>
    </Dialog>
  );
}
