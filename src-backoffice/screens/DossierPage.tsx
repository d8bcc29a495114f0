import { useCallback, useEffect, useState } from 'react';
import { Button } from 'react-aria-components';
import type { DocumentInfo, StaffDossier } from '../../src-shared/contract';
import { formatSize } from '../../src-shared/format';
import type { ReviewDecision } from '../../src-shared/contract';
import type { AuditEntry, InstructionPiece } from '../../src-shared/instruction';
import {
  DOWNLOAD_STARTED,
  auditDescription,
  auditLines,
  auditPieceLabel,
  CHANGE_CHECK_MS,
  changesBetween,
  formatParis,
  OUTDATED_RELOADED,
  piecesInOrder,
  reviewStatus,
  reviewSummary,
} from '../instruction-rules';
import { StaffApiError, type StaffApi } from '../staff-api';
import { ErrorMessage, ScreenHeading } from '../../src-ui';
import { CorrectionDialog } from './CorrectionDialog';
import { openBlobInNewTab, startDownload } from '../blob-actions';

interface Loaded {
  dossier: StaffDossier;
  pieces: InstructionPiece[];
  etag: string | null;
  audit: AuditEntry[];
}

const KIND: Record<string, string> = { 'application/pdf': 'PDF', 'image/jpeg': 'JPEG' };

function messageOf(error: unknown): string {
  return error instanceof StaffApiError ? error.message : 'Une erreur imprévue est survenue. Réessayez.';
}

/** A dossier's page: each piece, its documents and the decision on it; the export; the audit trail. */
export function DossierPage({ api, number, onBack }: { api: StaffApi; number: string; onBack: () => void }) {
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<string | null>(null);
  // A refused decision is said in the piece's card, beside the button pressed.
  const [pieceError, setPieceError] = useState<{ pieceId: string; message: string; details: string[] } | null>(null);
  // What changed since the page loaded the dossier (another instructor, the candidate), as found
  // by the page's checks: said before anyone decides on an outdated view.
  const [changes, setChanges] = useState<string[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [correcting, setCorrecting] = useState<InstructionPiece | null>(null);
  const [busy, setBusy] = useState(false);
  // After a decision or a reload the button pressed may be gone or disabled: the focus goes to
  // the piece's title, so a keyboard user stays where they were.
  const [focusPiece, setFocusPiece] = useState<string | null>(null);
  useEffect(() => {
    if (!focusPiece || !loaded) return;
    document.getElementById(`piece-${focusPiece}`)?.focus();
    setFocusPiece(null);
  }, [focusPiece, loaded]);

  /** Reads the dossier again; answers what it read (null when it failed, the error then shown). */
  const load = useCallback(async (): Promise<Loaded | null> => {
    try {
      const [dossier, pieces] = await Promise.all([api.dossier(number), api.pieces(number)]);
      // Read after them, so that the history the instructor sees already holds this consultation.
      const audit = await api.audit(number);
      const next = { dossier, pieces: pieces.pieces, etag: pieces.etag, audit };
      setLoaded(next);
      setError(null);
      setPieceError(null);
      setChanges(null);
      return next;
    } catch (e) {
      setError(messageOf(e));
      return null;
    }
  }, [api, number]);
  useEffect(() => void load(), [load]);

  // Two instructors on one dossier, or a candidate answering a correction meanwhile: the page
  // checks (when the window comes back to the front, and every CHANGE_CHECK_MS while shown)
  // whether the dossier changed. A check that finds nothing new reads nothing and leaves no
  // audit entry (304).
  useEffect(() => {
    if (!loaded) return;
    let current = true;
    const check = () => {
      if (document.visibilityState !== 'visible') return;
      api.piecesIfChanged(number, loaded.etag).then(
        (newer) => current && newer && setChanges(changesBetween(loaded.pieces, newer.pieces)),
        // A failed check changes nothing on the page: the next one, or a decision, will tell.
        () => undefined,
      );
    };
    const timer = setInterval(check, CHANGE_CHECK_MS);
    window.addEventListener('focus', check);
    return () => {
      current = false;
      clearInterval(timer);
      window.removeEventListener('focus', check);
    };
  }, [api, number, loaded]);

  const refreshAudit = useCallback(async () => {
    const audit = await api.audit(number).catch(() => null);
    if (audit) setLoaded((current) => (current ? { ...current, audit } : current));
  }, [api, number]);

  /** Sends a decision; answers the error to show (null when recorded). */
  async function decide(piece: InstructionPiece, decision: ReviewDecision, reason: string | null): Promise<string | null> {
    if (!loaded) return null;
    setDone(null);
    setPieceError(null);
    try {
      await api.review(number, piece.id, decision, reason, loaded.etag);
      setDone(decision === 'accepted' ? `${piece.label} : conforme.` : `${piece.label} : correction demandée au candidat.`);
      await load();
      setFocusPiece(piece.id);
      return null;
    } catch (e) {
      if (!(e instanceof StaffApiError && e.code === 'review_outdated')) return messageOf(e);
      // The view was outdated: the page reads the dossier again at once and says what changed,
      // beside the piece, so the instructor decides on what is there now.
      const before = loaded.pieces;
      const fresh = await load();
      if (!fresh) return messageOf(e);
      const details = changesBetween(before, fresh.pieces);
      setPieceError({ pieceId: piece.id, message: OUTDATED_RELOADED, details });
      setFocusPiece(piece.id);
      // Said in the correction dialog too, which covers the page.
      return `${OUTDATED_RELOADED} ${details.join(' ')}`;
    }
  }

  async function accept(piece: InstructionPiece) {
    const failure = await decide(piece, 'accepted', null);
    if (failure) setPieceError((current) => current ?? { pieceId: piece.id, message: failure, details: [] });
  }

  async function open(document: DocumentInfo) {
    setError(null);
    const failure = await openBlobInNewTab(() => api.documentContent(document.id, document.mediaType));
    if (failure) setError(failure);
    await refreshAudit();
  }

  async function download() {
    setError(null);
    setBusy(true);
    setDone(null);
    try {
      startDownload((await api.dossierZipTicket(number)).url);
      setDone(DOWNLOAD_STARTED);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
    await refreshAudit();
  }

  const back = (
    <a
      href="#/"
      className="back-link"
      onClick={(event) => {
        event.preventDefault();
        onBack();
      }}
    >
      Retour à la liste des dossiers
    </a>
  );

  if (!loaded)
    return (
      <section aria-labelledby="titre-dossier">
        {back}
        <ScreenHeading id="titre-dossier">Dossier n° {number}</ScreenHeading>
        <ErrorMessage message={error} />
        {!error && <p role="status">Chargement…</p>}
      </section>
    );

  const { dossier, pieces, audit } = loaded;
  const labels = new Map(pieces.map((p) => [p.id, p.label]));
  const filenames = new Map(pieces.flatMap((p) => p.documents.map((d) => [d.id, d.filename] as const)));
  const missing = dossier.missing.map((id) => labels.get(id) ?? id);

  return (
    <section aria-labelledby="titre-dossier">
      {back}
      <ScreenHeading id="titre-dossier">
        Dossier n° {dossier.dossier} : {dossier.firstName} {dossier.lastName}
      </ScreenHeading>
      <div className="card dossier-summary">
        <p className={dossier.state === 'closed' ? 'dossier-state closed' : 'dossier-state'}>
          {dossier.state === 'closed' && dossier.closedAt
            ? `Clôturé le ${formatParis(dossier.closedAt)} (heure de Paris).`
            : "Ouvert : le candidat n'a pas encore clôturé son inscription."}
        </p>
        {missing.length > 0 && <p>Pièces obligatoires manquantes : {missing.join(', ')}.</p>}
        <p className="review-summary">{reviewSummary(pieces)}</p>
        <div className="actions">
          <Button className="button primary" isDisabled={busy} onPress={() => void download()}>
            Télécharger le dossier (ZIP)
          </Button>
          <Button className="button" onPress={() => void load()}>
            Recharger le dossier
          </Button>
        </div>
      </div>
      <ErrorMessage message={error} />
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
      {changes && (
        <div role="alert" className="alert changed-meanwhile">
          <p>Ce dossier a changé depuis que vous l'avez ouvert. Rechargez-le avant de décider :</p>
          <ul className="changes">
            {changes.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ul>
          <div className="actions">
            <Button className="button small" onPress={() => void load()}>
              Recharger le dossier
            </Button>
          </div>
        </div>
      )}
      <h2 className="section-title">Pièces</h2>
      <ul className="pieces">
        {piecesInOrder(pieces).map((piece) => {
          const status = reviewStatus(piece.review, piece.documents.length > 0, piece.changedSinceReview);
          return (
            <li key={piece.id} className={`card piece review-${status.tone}`}>
              <div className="piece-head">
                <h3 id={`piece-${piece.id}`} tabIndex={-1}>
                  {piece.label}
                </h3>
                <span className={`state review-${status.tone}`}>
                  <span className="sr-only">Décision : </span>
                  {status.label}
                </span>
              </div>
              <p className="tags">
                <span className="tag">{piece.required ? 'Obligatoire' : 'Facultative'}</span>
                {piece.lateAllowed && <span className="tag later">Peut être envoyée après la clôture</span>}
              </p>
              {status.tone === 'changed' && (
                <p className="review-line">
                  {piece.correctionPending
                    ? 'Le candidat a répondu à la demande de correction : vérifiez le nouveau document en premier.'
                    : 'Un nouveau document est arrivé depuis la dernière décision : vérifiez-le en premier.'}
                </p>
              )}
              {piece.review && (
                <p className="review-line">
                  {piece.review.decision === 'accepted' ? 'Déclarée conforme' : 'Correction demandée'} par {piece.review.reviewer} le{' '}
                  {formatParis(piece.review.reviewedAt)}
                  {piece.review.reason && (
                    <>
                      {' '}
                      : <q>{piece.review.reason}</q>
                    </>
                  )}
                </p>
              )}
              {piece.documents.length === 0 ? (
                <p className="muted">Aucun document envoyé.</p>
              ) : (
                <ul className="documents">
                  {piece.documents.map((doc) => (
                    <li key={doc.id} className="document">
                      <span className="document-name">{doc.filename}</span>
                      <span className="muted">
                        {KIND[doc.mediaType] ?? doc.mediaType}, {formatSize(doc.bytes)}, déposé le {formatParis(doc.uploadedAt)}
                        {doc.late && ', après la clôture'}
                      </span>
                      <Button className="button small" aria-label={`Ouvrir : ${doc.filename}`} onPress={() => void open(doc)}>
                        Ouvrir
                      </Button>
                    </li>
                  ))}
                </ul>
              )}
              {pieceError?.pieceId === piece.id && (
                <ErrorMessage message={pieceError.message}>
                  {pieceError.details.length > 0 && (
                    <ul className="changes">
                      {pieceError.details.map((line, i) => (
                        <li key={i}>{line}</li>
                      ))}
                    </ul>
                  )}
                </ErrorMessage>
              )}
              <div className="actions">
                <Button
                  className="button"
                  aria-label={`Conforme : ${piece.label}`}
                  isDisabled={piece.documents.length === 0 || piece.review?.decision === 'accepted'}
                  onPress={() => void accept(piece)}
                >
                  Conforme
                </Button>
                <Button className="button" aria-label={`Demander une correction : ${piece.label}`} onPress={() => setCorrecting(piece)}>
                  Demander une correction
                </Button>
              </div>
            </li>
          );
        })}
      </ul>
      <h2 className="section-title" id="titre-historique">
        Historique du dossier
      </h2>
      {audit.length === 0 ? (
        <p className="muted">Aucune consultation ni décision enregistrée.</p>
      ) : (
        <div className="table-wrap">
          <table className="audit" aria-labelledby="titre-historique">
            <thead>
              <tr>
                <th scope="col">Date (heure de Paris)</th>
                <th scope="col">Agent</th>
                <th scope="col">Action</th>
                <th scope="col">Pièce</th>
                <th scope="col">Document</th>
              </tr>
            </thead>
            <tbody>
              {auditLines(audit).map(({ entry, times }, i) => (
                <tr key={`${entry.at}-${i}`}>
                  <td>{formatParis(entry.at)}</td>
                  <td>{entry.staff}</td>
                  <td>
                    {auditDescription(entry)}
                    {times > 1 && ` (${times} fois)`}
                  </td>
                  <td>{auditPieceLabel(entry, labels)}</td>
                  <td>{entry.documentId ? (filenames.get(entry.documentId) ?? 'document retiré depuis') : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {correcting && (
        <CorrectionDialog
          pieceLabel={correcting.label}
          onSend={(reason) => decide(correcting, 'correction_requested', reason)}
          onClose={() => setCorrecting(null)}
        />
      )}
    </section>
  );
}
