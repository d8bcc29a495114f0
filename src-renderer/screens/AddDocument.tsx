import { useRef, useState } from 'react';
import type { PreparedDocument } from '../../src-shared/assistant-api';
import type { PieceInfo } from '../../src-shared/contract';
import { formatBytes } from '../../src-shared/format';
import { assistant } from '../assistant-client';
import { Alert } from '../Alert';
import { Dialog } from '../Dialog';

type Step = 'choose' | 'preparing' | 'ready' | 'sending' | 'done';

export function AddDocument({ piece, onDone }: { piece: PieceInfo; onDone: () => void }) {
  const [step, setStep] = useState<Step>('choose');
  const [prepared, setPrepared] = useState<PreparedDocument | null>(null);
  const [error, setError] = useState<string | null>(null);
  const okRef = useRef<HTMLButtonElement>(null);

  async function choose(list: FileList | null) {
    if (!list || list.length === 0) return;
    setError(null);
    setStep('preparing');
    if (prepared) await assistant.discardPrepared({ preparedId: prepared.id });
    const files = await Promise.all(
      [...list].map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    const inspected = await assistant.inspectFiles({ files });
    const result = inspected.ok
      ? await assistant.prepareDocument({ pieceId: piece.id, sourceId: inspected.value.sourceId })
      : inspected;
    if (result.ok) {
      setPrepared(result.value);
      setStep('ready');
    } else {
      setPrepared(null);
      setError(result.error.message);
      setStep('choose');
    }
  }

  async function send() {
    if (!prepared) return;
    setError(null);
    setStep('sending');
    const result = await assistant.sendPrepared({ preparedId: prepared.id });
    if (result.ok) {
      setStep('done');
      setTimeout(() => okRef.current?.focus(), 0);
    } else {
      setError(result.error.message);
      setStep('ready');
    }
  }

  async function cancel() {
    if (prepared) await assistant.discardPrepared({ preparedId: prepared.id });
    onDone();
  }

  if (step === 'done')
    return (
      <Dialog title="Fichier enregistré" onClose={onDone}>
        <p>
          Votre document « {prepared?.filename} » est bien enregistré pour la pièce « {piece.label} ».
        </p>
        <div className="actions">
          <button ref={okRef} type="button" className="primary" onClick={onDone}>
            OK
          </button>
        </div>
      </Dialog>
    );

  return (
    <Dialog title={`Ajouter un document : ${piece.label}`} onClose={() => void cancel()}>
      {piece.help && <p>{piece.help}</p>}
      <p className="muted">
        Vous pouvez choisir des photos, des scans ou des PDF, et plusieurs fichiers à la fois (recto et verso) : ils
        seront réunis et mis au format demandé (PDF ou JPEG, {formatBytes(piece.maxBytes)} au plus).
      </p>
      <div className="file-choice">
        <input
          id="fichier"
          type="file"
          className="visually-hidden"
          multiple
          onChange={(e) => void choose(e.target.files)}
          disabled={step === 'preparing' || step === 'sending'}
        />
        <label htmlFor="fichier" className="button">
          Choisir un fichier
        </label>
      </div>
      <div aria-live="polite" className="status">
        {step === 'preparing' && <p>Préparation du document…</p>}
        {step === 'sending' && <p>Envoi en cours…</p>}
        {prepared && step !== 'preparing' && (
          <p>
            Prêt à envoyer : <strong>{prepared.filename}</strong> ({prepared.mediaType === 'application/pdf' ? 'PDF' : 'JPEG'},{' '}
            {prepared.pages} page{prepared.pages > 1 ? 's' : ''}, {formatBytes(prepared.bytes)}). {prepared.summary}
          </p>
        )}
      </div>
      <Alert message={error} />
      <div className="actions">
        <button type="button" className="primary" disabled={step !== 'ready'} onClick={() => void send()}>
          Ajouter le fichier
        </button>
        <button type="button" onClick={() => void cancel()}>
          Annuler
        </button>
      </div>
    </Dialog>
  );
}
