/** The renderer's pure rules: page arrangement, piece states, dates and countdown. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { QueueItem } from '../../../src-shared/assistant-api';
import type { PieceInfo } from '../../../src-shared/contract';
import {
  formatCopyMoment,
  formatCopyMomentInCampaignTime,
  formatCountdown,
  formatDeadlineDay,
  formatInstant,
  formatRecordedAt,
} from '../../../src-renderer/format';
import { initialArrangement, move, remove, rotate, toPageRefs, type ArrangedPage } from '../../../src-renderer/page-arrangement';
import {
  canAddDocument,
  canDeleteDocuments,
  correctionReason,
  correctionsLine,
  documentActionLabel,
  openForCorrection,
  piecesToCorrect,
  pieceState,
  PIECE_STATE_LABEL,
  queueByPiece,
  readyToClose,
  replacementTarget,
  requiredPieces,
  requiredPiecesLine,
  waitingPiecesNote,
} from '../../../src-renderer/piece-state';

const pages = (n: number): ArrangedPage[] =>
  initialArrangement(Array.from({ length: n }, (_, i) => ({ file: i, page: 0, width: 10, height: 20, thumbnail: new Uint8Array() })));

describe('page arrangement', () => {
  it('starts with every page, in order, upright, and asks the engine for no rotation', () => {
    expect(toPageRefs(pages(2))).toEqual([
      { file: 0, page: 0 },
      { file: 1, page: 0 },
    ]);
  });

  it('turns a page by quarter turns both ways, back to upright after four', () => {
    let p = pages(2);
    p = rotate(p, 1, -90);
    expect(p[1]!.rotate).toBe(270);
    expect(toPageRefs(p)[1]).toEqual({ file: 1, page: 0, rotate: 270 });
    for (let i = 0; i < 3; i++) p = rotate(p, 1, 90);
    expect(p[1]!.rotate).toBe(180);
    p = rotate(rotate(p, 1, 90), 1, 90);
    expect(p[1]!.rotate).toBe(0);
    expect(p[0]!.rotate).toBe(0);
  });

  it('moves a page earlier or later, never past an end', () => {
    const p = pages(3);
    expect(move(p, 2, -1).map((x) => x.file)).toEqual([0, 2, 1]);
    expect(move(p, 0, -1).map((x) => x.file)).toEqual([0, 1, 2]);
    expect(move(p, 2, 1).map((x) => x.file)).toEqual([0, 1, 2]);
  });

  it('removes a page but never the last one', () => {
    expect(remove(pages(3), 1).map((x) => x.file)).toEqual([0, 2]);
    expect(remove(pages(1), 0)).toHaveLength(1);
  });

  it('whatever the edits, keeps a non-empty set of distinct pages with valid rotations', () => {
    const edit = fc.oneof(
      fc.record({ kind: fc.constant('rotate' as const), by: fc.constantFrom(90 as const, -90 as const), at: fc.nat(9) }),
      fc.record({ kind: fc.constant('move' as const), by: fc.constantFrom(1 as const, -1 as const), at: fc.nat(9) }),
      fc.record({ kind: fc.constant('remove' as const), at: fc.nat(9) }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(edit, { maxLength: 30 }), (n, edits) => {
        let p = pages(n);
        for (const e of edits) {
          const at = e.at % p.length;
          p = e.kind === 'rotate' ? rotate(p, at, e.by) : e.kind === 'move' ? move(p, at, e.by) : remove(p, at);
        }
        expect(p.length).toBeGreaterThanOrEqual(1);
        expect(new Set(p.map((x) => x.file)).size).toBe(p.length);
        for (const x of p) expect([0, 90, 180, 270]).toContain(x.rotate);
      }),
    );
  });
});

/** A piece as the server describes it, with `documents` sent documents. */
function pieceInfo(id: string, flags: Partial<PieceInfo> = {}, documents = 0): PieceInfo {
  return {
    id,
    label: id,
    help: '',
    required: true,
    lateAllowed: false,
    multiple: false,
    accepts: ['application/pdf', 'image/jpeg'],
    maxBytes: 10_485_760,
    documents: Array.from({ length: documents }, (_, i) => ({
      id: `${id}-${i}`,
      filename: 'a.pdf',
      mediaType: 'application/pdf' as const,
      bytes: 1,
      sha256: '0'.repeat(64),
      uploadedAt: '2027-01-01T00:00:00Z',
      late: false,
    })),
    ...flags,
  };
}

/** A document in the local send queue, refused (as too large) when `state` says so. */
function queueItem(state: QueueItem['state'], pieceId: string, id = `${pieceId}-${state}`): QueueItem {
  return {
    id,
    dossier: 'DEMO-00001',
    pieceId,
    replaces: null,
    filename: `${pieceId}.jpg`,
    mediaType: 'image/jpeg',
    bytes: 1,
    sha256: '0'.repeat(64),
    state,
    attempts: 0,
    nextAttemptAt: null,
    error: state === 'refused' ? { code: 'file_too_large', message: 'Le fichier est trop volumineux pour cette pièce.' } : null,
    document: null,
    queuedAt: '2027-01-01T00:00:00Z',
  };
}

describe('piece states', () => {
  const piece = (documents: number) => pieceInfo('identite', { label: "Pièce d'identité" }, documents);
  const item = (state: QueueItem['state']) => queueItem(state, 'identite');

  it('says "À fournir", "Enregistré", "Envoi en attente" or "Refusé" with the reason', () => {
    expect(pieceState(piece(0), undefined)).toBe('todo');
    expect(pieceState(piece(1), undefined)).toBe('registered');
    const refused = queueByPiece({ dossier: 'DEMO-00001', items: [item('refused')], pending: 0 });
    expect(refused.get('identite')).toEqual({ state: 'refused', reason: 'Le fichier est trop volumineux pour cette pièce.' });
    expect(pieceState(piece(0), refused.get('identite'))).toBe('refused');
    const waiting = queueByPiece({ dossier: 'DEMO-00001', items: [item('refused'), item('pending')], pending: 1 });
    expect(pieceState(piece(1), waiting.get('identite'))).toBe('pending');
    expect(queueByPiece({ dossier: 'DEMO-00001', items: [item('sent')], pending: 0 }).size).toBe(0);
  });

  it('names the documents waiting, and offers no second one for a one-document piece meanwhile', () => {
    const waiting = queueByPiece({ dossier: 'DEMO-00001', items: [item('pending')], pending: 1 }).get('identite');
    expect(waiting?.waiting).toEqual(['identite.jpg']);
    const open = { state: 'open' as const };
    expect(canAddDocument(piece(0), undefined, open)).toBe(true);
    expect(canAddDocument(piece(0), waiting, open)).toBe(false);
    expect(canAddDocument(piece(1), undefined, open)).toBe(false);
    expect(canAddDocument({ ...piece(1), multiple: true }, waiting, open)).toBe(true);
    // Closed: only the pieces allowed after the closure.
    expect(canAddDocument(piece(0), undefined, { state: 'closed' })).toBe(false);
    expect(canAddDocument({ ...piece(0), lateAllowed: true }, undefined, { state: 'closed' })).toBe(true);
  });
});

describe('corrections asked by the centre', () => {
  const asked = { decision: 'correction_requested' as const, reason: 'Le verso manque.', reviewedAt: '2027-05-02T08:00:00Z' };
  const identity = (documents: number, review: PieceInfo['review'] = null) =>
    ({ ...pieceInfo('identite', { label: "Pièce d'identité" }, documents), review });
  const closed = (corrections: string[]) => ({ state: 'closed' as const, corrections });

  it('says "Correction demandée" with the reason as written, before "Enregistré", but after a document waiting', () => {
    expect(pieceState(identity(1, asked), undefined)).toBe('correction');
    expect(correctionReason(identity(1, asked))).toBe('Le verso manque.');
    expect(pieceState(identity(1, { ...asked, decision: 'accepted', reason: null }), undefined)).toBe('registered');
    expect(correctionReason(identity(1, { ...asked, decision: 'accepted', reason: null }))).toBeNull();
    const waiting = queueByPiece({ dossier: 'DEMO-00001', items: [queueItem('pending', 'identite')], pending: 1 });
    expect(pieceState(identity(1, asked), waiting.get('identite'))).toBe('pending');
    // A v1 server sends no review at all.
    expect(pieceState(pieceInfo('identite', {}, 1), undefined)).toBe('registered');
  });

  it('opens the piece after closure, to add and delete, until it is reviewed again', () => {
    expect(canAddDocument(identity(0, asked), undefined, closed(['identite']))).toBe(true);
    expect(canDeleteDocuments(closed(['identite']), identity(1, asked))).toBe(true);
    expect(documentActionLabel(closed(['identite']), identity(1, asked))).toBe('Voir, remplacer ou supprimer');
    // A new document sent: the review is back to null, the piece stays open while listed.
    expect(openForCorrection(identity(1, null), closed(['identite']))).toBe(true);
    expect(canDeleteDocuments(closed(['identite']), identity(1, null))).toBe(true);
    // Reviewed again (no longer listed): closed like the rest.
    expect(canAddDocument(identity(0, null), undefined, closed([]))).toBe(false);
    expect(canDeleteDocuments(closed([]), identity(1, null))).toBe(false);
    expect(documentActionLabel(closed([]), identity(1, null))).toBe('Voir');
    // Nothing else of a closed dossier opens.
    expect(canAddDocument(pieceInfo('diplome', {}, 0), undefined, closed(['identite']))).toBe(false);
    expect(canDeleteDocuments(closed(['identite']), pieceInfo('diplome', {}, 1))).toBe(false);
  });

  it('keeps the one-document rule: its document is replaced, not added to', () => {
    expect(canAddDocument(identity(1, asked), undefined, closed(['identite']))).toBe(false);
    expect(canAddDocument({ ...identity(1, asked), multiple: true }, undefined, closed(['identite']))).toBe(true);
  });

  it('offers "Remplacer le document" on a piece asked for correction that holds one document', () => {
    const piece = identity(1, asked);
    expect(replacementTarget(piece, undefined, closed(['identite']))).toBe(piece.documents[0]);
    expect(replacementTarget({ ...piece, multiple: true }, undefined, closed(['identite']))).toBe(piece.documents[0]);
    // Several documents: the person picks the one to replace in "Gestion du document".
    expect(replacementTarget({ ...identity(2, asked), multiple: true }, undefined, closed(['identite']))).toBeNull();
    // Nothing to replace, no correction asked, or a new document already on its way: no.
    expect(replacementTarget(identity(0, asked), undefined, closed(['identite']))).toBeNull();
    expect(replacementTarget(identity(1, null), undefined, closed(['identite']))).toBeNull();
    const waiting = queueByPiece({ dossier: 'DEMO-00001', items: [queueItem('pending', 'identite')], pending: 1 });
    expect(replacementTarget(piece, waiting.get('identite'), closed(['identite']))).toBeNull();
  });

  it('says "Correction envoyée" once a new document is in, until the centre reviews it again', () => {
    expect(pieceState(identity(1, null), undefined, closed(['identite']))).toBe('corrected');
    expect(PIECE_STATE_LABEL.corrected).toBe('Correction envoyée');
    expect(pieceState(identity(1, asked), undefined, closed(['identite']))).toBe('correction');
    expect(pieceState(identity(1, null), undefined, closed([]))).toBe('registered');
    expect(pieceState(identity(0, null), undefined, closed(['identite']))).toBe('todo');
  });

  it('counts the pieces waiting on the candidate: "1 pièce à corriger", "2 pièces à corriger"', () => {
    const pieces = [identity(1, asked), { ...pieceInfo('diplome', {}, 1), review: asked }, identity(1, null)];
    expect(piecesToCorrect(pieces).map((p) => p.id)).toEqual(['identite', 'diplome']);
    expect(correctionsLine(piecesToCorrect(pieces).length)).toBe('2 pièces à corriger');
    expect(correctionsLine(1)).toBe('1 pièce à corriger');
    expect(correctionsLine(0)).toBeNull();
  });
});

describe('required pieces: sent, waiting to be sent, missing', () => {
  // As the demo campaign: two pieces needed to close, one optional, one allowed after closing.
  const pieces = (sentIds: string[]) => [
    pieceInfo('identite', {}, sentIds.includes('identite') ? 1 : 0),
    pieceInfo('diplome', { multiple: true }, sentIds.includes('diplome') ? 1 : 0),
    pieceInfo('cv', { required: false }, sentIds.includes('cv') ? 1 : 0),
    pieceInfo('etat-services', { lateAllowed: true }),
  ];
  const dossier = (sentIds: string[]) => ({
    pieces: pieces(sentIds),
    missing: ['identite', 'diplome'].filter((id) => !sentIds.includes(id)),
  });
  const ids = (sorted: ReturnType<typeof requiredPieces>) => ({
    sent: sorted.sent.map((p) => p.id),
    waiting: sorted.waiting.map((p) => p.id),
    missing: sorted.missing.map((p) => p.id),
  });
  const queue = (...items: QueueItem[]) => queueByPiece({ dossier: 'D-1', items, pending: items.length });

  it('counts only the pieces closing needs, each in one place', () => {
    expect(ids(requiredPieces(dossier([]), undefined))).toEqual({ sent: [], waiting: [], missing: ['identite', 'diplome'] });
    expect(ids(requiredPieces(dossier(['identite', 'cv']), undefined))).toEqual({ sent: ['identite'], waiting: [], missing: ['diplome'] });
    const all = requiredPieces(dossier(['identite', 'diplome']), undefined);
    expect(ids(all)).toEqual({ sent: ['identite', 'diplome'], waiting: [], missing: [] });
    expect(readyToClose(all)).toBe(true);
  });

  it('puts a piece whose document waits on this computer apart: added, not on the server, not ready to close', () => {
    const sorted = requiredPieces(dossier([]), queue(queueItem('pending', 'identite')));
    expect(ids(sorted)).toEqual({ sent: [], waiting: ['identite'], missing: ['diplome'] });
    const onlyWaiting = requiredPieces(dossier(['diplome']), queue(queueItem('pending', 'identite')));
    expect(ids(onlyWaiting)).toEqual({ sent: ['diplome'], waiting: ['identite'], missing: [] });
    expect(readyToClose(onlyWaiting)).toBe(false);
  });

  it('the server decides what it holds: a sent piece stays sent with more waiting, a refused one is missing', () => {
    const more = requiredPieces(dossier(['diplome']), queue(queueItem('pending', 'diplome')));
    expect(ids(more)).toEqual({ sent: ['diplome'], waiting: [], missing: ['identite'] });
    const refused = requiredPieces(dossier([]), queue(queueItem('refused', 'identite'), queueItem('sent', 'diplome')));
    expect(ids(refused)).toEqual({ sent: [], waiting: [], missing: ['identite', 'diplome'] });
    // A piece the server says is missing counts, whatever its flags say.
    const wider = requiredPieces({ ...dossier(['identite', 'diplome']), missing: ['etat-services'] }, undefined);
    expect(ids(wider)).toEqual({ sent: ['identite', 'diplome'], waiting: [], missing: ['etat-services'] });
    expect(readyToClose(wider)).toBe(false);
  });

  it('says how many are added and which wait to be sent, calmly, and when closing will be possible', () => {
    const line = (sentIds: string[], waiting: string[], offline = true) =>
      requiredPiecesLine(requiredPieces(dossier(sentIds), queue(...waiting.map((id) => queueItem('pending', id)))), offline);
    expect(line([], [])).toBe('Pièces obligatoires avant la clôture : 0 sur 2 ajoutée.');
    expect(line(['identite'], [])).toBe('Pièces obligatoires avant la clôture : 1 sur 2 ajoutée.');
    expect(line(['identite', 'diplome'], [])).toBe('Pièces obligatoires avant la clôture : 2 sur 2 ajoutées. Vous pouvez clôturer votre inscription.');
    expect(line([], ['identite'])).toBe(
      "Pièces obligatoires avant la clôture : 1 sur 2 ajoutée, en attente d'envoi : elle partira toute seule dès que la connexion reviendra.",
    );
    expect(line(['diplome'], ['identite'])).toBe(
      "Pièces obligatoires avant la clôture : 2 sur 2 ajoutées, dont 1 en attente d'envoi : elle partira toute seule dès que la connexion reviendra. Vous pourrez clôturer votre inscription après son envoi.",
    );
    expect(line([], ['identite', 'diplome'], false)).toBe(
      "Pièces obligatoires avant la clôture : 2 sur 2 ajoutées, en attente d'envoi : elles partiront toutes seules dès que le serveur répondra. Vous pourrez clôturer votre inscription après leur envoi.",
    );
  });

  it('on the closing screen, says where the waiting documents are and what comes next', () => {
    expect(waitingPiecesNote(1, true)).toBe(
      'Son document est gardé sur cet ordinateur et partira tout seul dès que la connexion reviendra. Vous pourrez clôturer votre inscription après son envoi.',
    );
    expect(waitingPiecesNote(2, false)).toContain('Leurs documents sont gardés sur cet ordinateur et partiront tout seuls dès que le serveur répondra.');
  });
});

describe('dates', () => {
  const closesAt = '2027-04-27T22:00:00.000Z'; // midnight ending 27 April, Paris summer time

  it('names the last day "avant minuit" in Paris time', () => {
    expect(formatDeadlineDay(closesAt, 'Europe/Paris')).toBe('le mardi 27 avril 2027 avant minuit');
    // The same instant in Martinique (UTC-4) and at La Réunion (UTC+4), as people say the hour.
    expect(formatDeadlineDay(closesAt, 'America/Martinique')).toBe('le mardi 27 avril 2027 avant 18 h');
    expect(formatDeadlineDay(closesAt, 'Indian/Reunion')).toBe('le mercredi 28 avril 2027 avant 2 h');
    expect(formatDeadlineDay(closesAt, 'Asia/Kolkata')).toBe('le mercredi 28 avril 2027 avant 3 h 30');
  });

  it('gives the same instant in an overseas time zone', () => {
    expect(formatInstant(closesAt, 'America/Martinique')).toBe('mardi 27 avril 2027 à 18:00');
    expect(formatInstant(closesAt, 'Pacific/Noumea')).toBe('mercredi 28 avril 2027 à 09:00');
  });

  it('counts down in days, hours and minutes, then says the deadline has passed', () => {
    expect(formatCountdown(((2 * 24 + 3) * 60 + 1) * 60_000 + 59_000)).toBe('Il reste 2 jours, 3 heures, 1 minute.');
    expect(formatCountdown(59 * 60_000)).toBe('Il reste 59 minutes.');
    expect(formatCountdown(0)).toBe('La date limite est dépassée.');
  });
});

describe('when the offline copy was read', () => {
  const now = new Date('2027-04-20T12:00:00Z'); // 14 h in Paris, 8 h in Martinique

  it('says today or yesterday with the time, in the given zone', () => {
    expect(formatCopyMoment('2027-04-20T07:05:00Z', now, 'Europe/Paris')).toBe("aujourd'hui à 9 h 05");
    expect(formatCopyMoment('2027-04-19T21:30:00Z', now, 'Europe/Paris')).toBe('hier à 23 h 30');
    // Days are the zone's days: already the 20th in Paris, still the 19th in Martinique.
    expect(formatCopyMoment('2027-04-20T03:30:00Z', now, 'Europe/Paris')).toBe("aujourd'hui à 5 h 30");
    expect(formatCopyMoment('2027-04-20T03:30:00Z', now, 'America/Martinique')).toBe('hier à 23 h 30');
  });

  it('gives the date for older copies, with the year only when it is another year', () => {
    expect(formatCopyMoment('2027-04-13T08:00:00Z', now, 'Europe/Paris')).toBe('le mardi 13 avril à 10 h 00');
    expect(formatCopyMoment('2026-12-31T08:00:00Z', now, 'Europe/Paris')).toBe('le jeudi 31 décembre 2026 à 9 h 00');
  });

  it("says it in the campaign's time, as the closure and the deadline are, naming that time where this computer's clock differs", () => {
    const readAt = '2027-04-20T07:05:00Z';
    // A French computer, or one in Brussels: the same clock, nothing to add.
    expect(formatCopyMomentInCampaignTime(readAt, now, 'Europe/Paris', 'Europe/Paris')).toBe("aujourd'hui à 9 h 05");
    expect(formatCopyMomentInCampaignTime(readAt, now, 'Europe/Paris', 'Europe/Brussels')).toBe("aujourd'hui à 9 h 05");
    // A candidate in Martinique (3 h 05 there) or in Montreal reads the Paris time, said as such.
    expect(formatCopyMomentInCampaignTime(readAt, now, 'Europe/Paris', 'America/Martinique')).toBe("aujourd'hui à 9 h 05 (heure de Paris)");
    expect(formatCopyMomentInCampaignTime(readAt, now, 'Europe/Paris', 'America/Toronto')).toBe("aujourd'hui à 9 h 05 (heure de Paris)");
    // The day is the campaign's too: still the 19th in Martinique, already the 20th in Paris.
    expect(formatCopyMomentInCampaignTime('2027-04-20T03:30:00Z', now, 'Europe/Paris', 'America/Martinique')).toBe(
      "aujourd'hui à 5 h 30 (heure de Paris)",
    );
    // A centre at La Réunion, a candidate in Paris.
    expect(formatCopyMomentInCampaignTime(readAt, now, 'Indian/Reunion', 'Europe/Paris')).toBe(
      "aujourd'hui à 11 h 05 (heure locale à La Réunion)",
    );
  });
});

describe('when a document was recorded', () => {
  it("says it in the campaign's time, whatever the computer's", () => {
    expect(formatRecordedAt('2027-04-20T07:05:00Z', 'Europe/Paris')).toBe('20 avril 2027 à 09:05');
    expect(formatRecordedAt('2027-04-20T07:05:00Z', 'Indian/Reunion')).toBe('20 avril 2027 à 11:05');
  });
});
