import { useEffect, useMemo, useRef, useState } from 'react';
import { Button, DropZone, FileTrigger, Text, isFileDropItem } from 'react-aria-components';
import type { InputFile, InspectedFiles, PreparedDocument } from '../../src-shared/assistant-api';
import type { Corners } from '../../src-shared/documents';
import type { DocumentInfo, PieceInfo } from '../../src-shared/contract';
import { formatSize } from '../../src-shared/format';
import { assistant } from '../assistant-client';
import { Alert, type AlertContent } from '../Alert';
import { ScannerPicker } from '../counter/ScannerPicker';
import { Dialog } from '../Dialog';
import { Progress } from '../Progress';
import {
  checksOf,
  filesKept,
  isPhoto,
  initialArrangement,
  move,
  pageKey,
  remove,
  replacePage,
  rotate,
  setBlackAndWhite,
  setCorners,
  toPageRefs,
  type ArrangedPage,
} from '../page-arrangement';
import { useEngineProgress } from '../use-engine-progress';
import { useThumbnails } from '../use-thumbnails';
import { CornerEditor } from './CornerEditor';
import { PageEditor, type PageEdit } from './PageEditor';

type Phase = 'choose' | 'inspecting' | 'arrange' | 'sending' | 'done';

const NO_PAGES: InspectedFiles['pages'] = [];
/** How long the page edits must pause before the document is built again. */
const EDIT_SETTLE_MS = 400;

/**
 * "Ajouter un document": choose or drop files, see the pages as they will be sent, arrange
 * them, see the final format and size, then send. Nothing leaves the computer before
 * "Ajouter le fichier".
 */
export function AddDocument({
  piece,
  replacing,
  onDone,
}: {
  piece: PieceInfo;
  /** "Remplacer": the document the new one takes the place of, once the new one is stored. */
  replacing?: DocumentInfo;
  /** The document sent, 'queued' when it waits on this computer, null when nothing was added. */
  onDone: (added: DocumentInfo | 'queued' | null) => void;
}) {
  const [phase, setPhase] = useState<Phase>('choose');
  const [source, setSource] = useState<{ id: string; names: string[]; pages: InspectedFiles['pages'] } | null>(null);
  const [arrangement, setArrangement] = useState<ArrangedPage[]>([]);
  const [prepared, setPrepared] = useState<PreparedDocument | null>(null);
  const [updating, setUpdating] = useState(false);
  const [error, setError] = useState<AlertContent>(null);
  const [status, setStatus] = useState('');
  const [added, setAdded] = useState<DocumentInfo | null>(null);
  /** The page whose corners are being placed ("Recadrer"), by its place in the arrangement. */
  const [cropping, setCropping] = useState<number | null>(null);
  /** Pages whose warnings the person chose to send anyway, by page key. */
  const [acknowledged, setAcknowledged] = useState<ReadonlySet<string>>(new Set());
  /** The chosen files as read, to build a new source when one page's photo is taken again. */
  const chosenFiles = useRef<InputFile[]>([]);
  const request = useRef(0);
  const pendingEdit = useRef<ReturnType<typeof setTimeout>>(undefined);
  const preparedRef = useRef<PreparedDocument | null>(null);
  const readyHeading = useRef<HTMLHeadingElement>(null);
  const progress = useEngineProgress(phase === 'inspecting' || updating);
  const thumbnails = useThumbnails(source?.pages ?? NO_PAGES);
  const flattened = useMemo(
    () => (prepared?.report ?? []).flatMap((r) => (r.flattened ? [{ ...r.source, thumbnail: r.flattened.thumbnail }] : [])),
    [prepared],
  );
  const sentThumbnails = useThumbnails(flattened);

  useEffect(() => {
    preparedRef.current = prepared;
  }, [prepared]);

  useEffect(() => () => clearTimeout(pendingEdit.current), []);

  // A new document is ready: the focus goes to its preview, which a screen reader then reads.
  const [focusPreview, setFocusPreview] = useState(0);
  useEffect(() => {
    if (focusPreview > 0) readyHeading.current?.focus();
  }, [focusPreview]);

  async function forget(doc: PreparedDocument | null) {
    if (doc) await assistant.discardPrepared({ preparedId: doc.id });
  }

  /** Builds the file to send; a newer arrangement wins over an older one still in progress. */
  async function prepare(sourceId: string, pages: ArrangedPage[], first: boolean) {
    const mine = ++request.current;
    setUpdating(true);
    setStatus(first ? 'Préparation de votre document…' : 'Mise à jour du document…');
    const result = await assistant.prepareDocument({ pieceId: piece.id, sourceId, pages: toPageRefs(pages) });
    if (mine !== request.current) {
      if (result.ok) void forget(result.value);
      return;
    }
    setUpdating(false);
    if (result.ok) {
      void forget(preparedRef.current);
      setPrepared(result.value);
      setPhase('arrange');
      setStatus(`Document prêt : ${describe(result.value)}.${warned(result.value)}`);
      if (first) setFocusPreview((n) => n + 1);
    } else {
      void forget(preparedRef.current);
      setPrepared(null);
      setError(result.error);
      setStatus('');
      if (first) setPhase('choose');
    }
  }

  async function choose(files: File[]) {
    if (files.length === 0) return;
    setError(null);
    setPhase('inspecting');
    setStatus('Préparation de vos fichiers…');
    void forget(preparedRef.current);
    setPrepared(null);
    setSource(null);
    const inputs = await Promise.all(files.map(async (f) => ({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) })));
    const inspected = await assistant.inspectFiles({ files: inputs });
    if (!inspected.ok) {
      setError(inspected.error);
      setStatus('');
      setPhase('choose');
      return;
    }
    const pages = initialArrangement(inspected.value.pages);
    chosenFiles.current = inputs;
    setAcknowledged(new Set());
    setCropping(null);
    setSource({ id: inspected.value.sourceId, names: files.map((f) => f.name), pages: inspected.value.pages });
    setArrangement(pages);
    await prepare(inspected.value.sourceId, pages, true);
  }

  function edit(index: number, change: PageEdit) {
    const next =
      change.kind === 'rotate'
        ? rotate(arrangement, index, change.by)
        : change.kind === 'move'
          ? move(arrangement, index, change.by)
          : change.kind === 'bw'
            ? setBlackAndWhite(arrangement, index, change.bw)
            : remove(arrangement, index);
    rearrange(next);
  }

  /** The pages arranged anew: the document is built again once the edits pause. */
  function rearrange(next: ArrangedPage[]) {
    if (!source) return;
    setArrangement(next);
    setError(null);
    // Several quick clicks (turning a page twice) make one new document, not one per click.
    setUpdating(true);
    request.current++;
    clearTimeout(pendingEdit.current);
    pendingEdit.current = setTimeout(() => void prepare(source.id, next, false), EDIT_SETTLE_MS);
  }

  /** The corner editor's answer for one page: the document is built again with it, and the focus goes back to "Recadrer". */
  function recrop(index: number, corners: Corners | null | undefined) {
    setCropping(null);
    const page = arrangement[index];
    if (page && page.corners !== corners) rearrange(setCorners(arrangement, index, corners));
    requestAnimationFrame(() => document.querySelectorAll<HTMLElement>('.page-grid > li')[index]?.querySelector<HTMLElement>('.page-recrop')?.focus());
  }

  /** "Reprendre la photo": that page comes from the new file; the other pages keep their files and places. */
  async function retake(index: number, file: File) {
    if (!source) return;
    setError(null);
    clearTimeout(pendingEdit.current);
    request.current++;
    setUpdating(false);
    setPhase('inspecting');
    setStatus('Préparation de la nouvelle photo…');
    const { keep, renumber } = filesKept(arrangement, index);
    const files = [...keep.map((i) => chosenFiles.current[i]!), { name: file.name, bytes: new Uint8Array(await file.arrayBuffer()) }];
    const inspected = await assistant.inspectFiles({ files });
    if (!inspected.ok) {
      setError(inspected.error);
      setStatus('');
      setPhase('arrange');
      return;
    }
    const added = files.length - 1;
    const next = replacePage(arrangement, index, renumber, inspected.value.pages.filter((p) => p.file === added));
    chosenFiles.current = files;
    void forget(preparedRef.current);
    setPrepared(null);
    setAcknowledged(new Set());
    setSource({ id: inspected.value.sourceId, names: files.map((f) => f.name), pages: inspected.value.pages });
    setArrangement(next);
    await prepare(inspected.value.sourceId, next, true);
  }

  async function send() {
    if (!prepared) return;
    setError(null);
    setPhase('sending');
    setStatus('Envoi en cours…');
    const result = await assistant.sendPrepared({ preparedId: prepared.id, ...(replacing ? { replaces: replacing.id } : {}) });
    if (result.ok) {
      preparedRef.current = null;
      setAdded(result.value);
      setStatus('');
      setPhase('done');
    } else if (result.error.code === 'upload_queued') {
      // Kept on this computer and sent by the queue as soon as the server answers: the
      // checklist shows the piece as "Envoi en attente" with the queue's notice.
      preparedRef.current = null;
      onDone('queued');
    } else {
      setError(result.error);
      setStatus('');
      setPhase('arrange');
    }
  }

  async function cancel() {
    clearTimeout(pendingEdit.current);
    request.current++;
    await forget(preparedRef.current);
    onDone(null);
  }

  if (phase === 'done')
    return (
      <Dialog title="Fichier enregistré" onClose={() => onDone(added)}>
        <p className="success">
          Votre document « {added?.filename ?? prepared?.filename} » est bien enregistré pour la pièce « {piece.label} »
          {replacing ? <>, à la place de « {replacing.filename} ». Le centre de gestion va le vérifier.</> : '.'}
        </p>
        <div className="actions">
          <Button className="button primary" autoFocus onPress={() => onDone(added)}>
            OK
          </Button>
        </div>
      </Dialog>
    );

  const busy = phase === 'inspecting' || phase === 'sending';
  const title = `${replacing ? 'Remplacer le document' : 'Ajouter un document'} : ${piece.label}`;
  // Pages whose warnings wait for the person's answer: said at the top, where the result is read.
  const toCheck = arrangement.filter((p) => {
    const preview = source?.pages.find((v) => v.file === p.file && v.page === p.page);
    return isPhoto(preview) && checksOf(p, preview, prepared?.report).length > 0 && !acknowledged.has(pageKey(p));
  }).length;
  const croppedPage = cropping !== null ? arrangement[cropping] : undefined;
  const croppedPreview = croppedPage && source?.pages.find((v) => v.file === croppedPage.file && v.page === croppedPage.page);
  if (source && cropping !== null && croppedPage && croppedPreview)
    return (
      <Dialog title={title} onClose={() => void cancel()} wide>
        <CornerEditor
          key={pageKey(croppedPage)}
          pageNumber={cropping + 1}
          photo={croppedPreview}
          turn={croppedPage.rotate}
          source={{ sourceId: source.id, file: croppedPage.file, page: croppedPage.page }}
          thumbnail={thumbnails.get(pageKey(croppedPage))}
          detected={croppedPreview.corners ?? null}
          current={croppedPage.corners}
          onApply={(corners) => recrop(cropping, corners)}
          onCancel={() => recrop(cropping, croppedPage.corners)}
        />
      </Dialog>
    );

  return (
    <Dialog title={title} onClose={() => void cancel()} wide>
      {replacing && (
        <p className="replace-note">
          Ce document remplacera « {replacing.filename} » après l'envoi. D'ici là, « {replacing.filename} » reste enregistré.
        </p>
      )}
      {piece.help && <p>{piece.help}</p>}
      <DropZone
        className="dropzone"
        aria-label="Déposer des fichiers ici"
        isDisabled={busy}
        getDropOperation={() => 'copy'}
        onDrop={async (e) => void choose(await Promise.all(e.items.filter(isFileDropItem).map((item) => item.getFile())))}
      >
        <FileTrigger allowsMultiple onSelect={(list) => void choose(list ? [...list] : [])}>
          <Button className={source ? 'button' : 'button primary'} isDisabled={busy}>
            {source ? 'Choisir un autre fichier' : 'Choisir un fichier'}
          </Button>
        </FileTrigger>
        <Text slot="label" className="dropzone-text">
          ou déposez vos fichiers ici. Photos, scans ou PDF ; plusieurs fichiers à la fois (recto et verso) deviennent un
          seul document.
        </Text>
      </DropZone>
      <ScannerPicker disabled={busy} onFiles={(files) => void choose(files)} />

      <div role="status" className="sr-only">
        {status}
      </div>
      {phase === 'inspecting' && <Progress label="Préparation de vos fichiers" fraction={progress} />}
      <Alert message={error} />

      {source && phase !== 'inspecting' && (
        <section aria-labelledby="titre-apercu" className="ready">
          <h3 id="titre-apercu" ref={readyHeading} tabIndex={-1}>
            Votre document, tel qu'il sera envoyé
          </h3>
          {updating && <Progress label="Mise à jour du document" fraction={progress} />}
          {prepared && !updating && (
            <p className="result">
              <strong>{prepared.filename}</strong> : {describe(prepared)}. {prepared.summary}
              <br />
              <span className="muted">Taille permise pour cette pièce : {formatSize(piece.maxBytes)} au plus.</span>
            </p>
          )}
          {toCheck > 0 && !updating && (
            <p className="summary">
              {toCheck === 1 ? 'Une page est à vérifier' : `${toCheck} pages sont à vérifier`} : lisez le conseil sous la page,
              puis reprenez la photo ou envoyez-la quand même.
            </p>
          )}
          <p className="muted">
            Vérifiez chaque page avant l'envoi : <span aria-hidden="true">↺ ↻</span> pour la tourner,{' '}
            <span aria-hidden="true">← →</span> pour la changer de place, « Retirer » pour l'enlever. Sur une photo,
            « Recadrer » montre les bords du document qui sera envoyé.
          </p>
          <PageEditor
            pages={arrangement}
            previews={source.pages}
            thumbnails={thumbnails}
            fileNames={source.names}
            disabled={busy}
            onEdit={edit}
            photo={{
              report: prepared?.report,
              sentThumbnails,
              acknowledged,
              onRecrop: setCropping,
              onRetake: (index, file) => void retake(index, file),
              onAcknowledge: (index) => {
                const page = arrangement[index];
                if (page) setAcknowledged((set) => new Set(set).add(pageKey(page)));
              },
            }}
          />
        </section>
      )}

      <div className="actions">
        <Button className="button primary" isDisabled={phase !== 'arrange' || updating || !prepared} onPress={() => void send()}>
          {replacing ? 'Envoyer et remplacer' : 'Ajouter le fichier'}
        </Button>
        {phase === 'sending' && <span aria-hidden="true">Envoi en cours…</span>}
        <Button className="button" onPress={() => void cancel()}>
          Annuler
        </Button>
      </div>
    </Dialog>
  );
}

/** Said with "Document prêt" when pages have warnings: they are shown beside each page. */
function warned(doc: PreparedDocument): string {
  const pages = doc.report?.filter((r) => r.checks.length > 0).length ?? 0;
  if (pages === 0) return '';
  return pages === 1 ? ' Une page est à vérifier.' : ` ${pages} pages sont à vérifier.`;
}

function describe(doc: PreparedDocument): string {
  const format = doc.mediaType === 'application/pdf' ? 'PDF' : 'image JPEG';
  return `${format}, ${doc.pages} page${doc.pages > 1 ? 's' : ''}, ${formatSize(doc.bytes)}`;
}
