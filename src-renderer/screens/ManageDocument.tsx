import { useEffect, useState } from 'react';
import type { DocumentInfo } from '../../src-shared/contract';
import { formatBytes } from '../../src-shared/format';
import { assistant } from '../assistant-client';
import { Alert } from '../Alert';
import { Dialog } from '../Dialog';

/** "Gestion du document": see it (the eye), delete it (the bin), close. */
export function ManageDocument({
  document: doc,
  canDelete,
  onDeleted,
  onClose,
}: {
  document: DocumentInfo;
  canDelete: boolean;
  onDeleted: () => void;
  onClose: () => void;
}) {
  const [preview, setPreview] = useState<{ url: string; mediaType: string } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [deleted, setDeleted] = useState(false);

  useEffect(() => () => { if (preview) URL.revokeObjectURL(preview.url); }, [preview]);

  async function view() {
    setError(null);
    const result = await assistant.getDocumentContent({ documentId: doc.id });
    if (!result.ok) return setError(result.error.message);
    const blob = new Blob([result.value.bytes as Uint8Array<ArrayBuffer>], { type: result.value.mediaType });
    setPreview({ url: URL.createObjectURL(blob), mediaType: result.value.mediaType });
  }

  async function remove() {
    setError(null);
    const result = await assistant.deleteDocument({ documentId: doc.id });
    if (!result.ok) return setError(result.error.message);
    setDeleted(true);
    onDeleted();
  }

  return (
    <Dialog title="Gestion du document" onClose={onClose}>
      <p>
        <strong>{doc.filename}</strong> ({formatBytes(doc.bytes)})
      </p>
      {deleted ? (
        <p role="status">Le document a été supprimé.</p>
      ) : (
        <div className="actions">
          <button type="button" onClick={() => void view()}>
            <span aria-hidden="true">👁 </span>Voir
          </button>
          {canDelete && !confirming && (
            <button type="button" className="danger" onClick={() => setConfirming(true)}>
              <span aria-hidden="true">🗑 </span>Supprimer
            </button>
          )}
        </div>
      )}
      {confirming && !deleted && (
        <div className="confirm">
          <p>Supprimer ce document ? Vous pourrez en ajouter un autre ensuite.</p>
          <div className="actions">
            <button type="button" className="danger" onClick={() => void remove()}>
              Oui, supprimer
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Non, garder
            </button>
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
        <button type="button" className="primary" onClick={onClose}>
          Fermer
        </button>
      </div>
    </Dialog>
  );
}
