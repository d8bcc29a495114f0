/** The back office's pure rules: the list's query, reasons, review words, places, errors. */
import { describe, expect, it } from 'vitest';
import {
  auditActionLabel,
  auditDescription,
  auditLines,
  auditPieceLabel,
  changesBetween,
  filterCounts,
  formatParis,
  listEntryStatus,
  listQuery,
  piecesInOrder,
  MAX_REASON_LENGTH,
  READY_REASON_NAMES,
  READY_REASONS,
  reasonProblem,
  reviewStatus,
  reviewSummary,
} from '../../../src-backoffice/instruction-rules';
import { hashOf, routeOf } from '../../../src-backoffice/routes';

describe('the list of dossiers', () => {
  it('asks for the filter, the trimmed search, the page and its size; nothing empty', () => {
    expect(listQuery({ filter: 'closed', q: '  ', cursor: null })).toEqual({ state: 'closed', limit: '25' });
    expect(listQuery({ filter: 'correction', q: ' Hélène Dupré ', cursor: 'abc' }, 10)).toEqual({
      state: 'correction',
      q: 'Hélène Dupré',
      cursor: 'abc',
      limit: '10',
    });
  });

  it('says each dossier\'s state and the corrections waiting', () => {
    const entry = { dossier: 'D1', lastName: 'M', firstName: 'L', campaignId: 'c', state: 'closed' as const, closedAt: null, missing: [] };
    expect(listEntryStatus({ ...entry, corrections: [] })).toBe('Clôturé');
    expect(listEntryStatus({ ...entry, corrections: ['identite'] })).toBe('Clôturé, 1 correction en attente');
    expect(listEntryStatus({ ...entry, state: 'open', corrections: ['a', 'b'] })).toBe('Ouvert, 2 corrections en attente');
    // A correction answered is no longer waiting on the candidate: it waits on the instructor.
    expect(listEntryStatus({ ...entry, corrections: ['a', 'b'], toReview: ['a'] })).toBe('Clôturé, 1 nouveau document à vérifier, 1 correction en attente');
    expect(listEntryStatus({ ...entry, corrections: [], toReview: ['a', 'c'] })).toBe('Clôturé, 2 nouveaux documents à vérifier');
  });

  it('adds up the counts of each filter over the campaigns', () => {
    const counts = (n: number) => ({ open: n, closed: 2 * n, correction: 3 * n, to_review: 4 * n });
    expect(filterCounts([])).toEqual(counts(0));
    expect(filterCounts([{ id: 'a', title: 'A', counts: counts(1) }, { id: 'b', title: 'B', counts: counts(2) }])).toEqual(counts(3));
  });

  it('gives dates in Paris time, summer and winter', () => {
    expect(formatParis('2027-04-27T21:59:00Z')).toBe('27/04/2027 à 23:59');
    expect(formatParis('2027-01-10T08:05:00Z')).toBe('10/01/2027 à 09:05');
  });
});

describe('a correction request', () => {
  it('offers the four ready-made reasons, each with its short name', () => {
    expect(READY_REASON_NAMES).toEqual(['Illisible', 'Incomplet (recto ou verso manquant)', 'Mauvaise pièce', 'Périmée']);
    expect(READY_REASONS).toHaveLength(READY_REASON_NAMES.length);
    for (const reason of READY_REASONS) expect(reasonProblem(reason)).toBeNull();
  });

  it('refuses an empty reason or one past 500 characters, saying why', () => {
    expect(reasonProblem('   ')).toMatch(/Indiquez le motif/);
    expect(reasonProblem('x'.repeat(MAX_REASON_LENGTH))).toBeNull();
    expect(reasonProblem('x'.repeat(MAX_REASON_LENGTH + 1))).toBe('Le motif est trop long : 500 caractères au plus (501 actuellement).');
  });

  it('words each review state beside the piece', () => {
    const at = { reason: null, reviewedAt: '2027-05-02T08:00:00Z', reviewer: 'instruction1' };
    expect(reviewStatus(null, true)).toEqual({ tone: 'todo', label: 'À vérifier' });
    expect(reviewStatus(null, false)).toEqual({ tone: 'todo', label: 'Aucun document' });
    expect(reviewStatus({ ...at, decision: 'accepted' }, true)).toEqual({ tone: 'ok', label: 'Conforme' });
    expect(reviewStatus({ ...at, decision: 'correction_requested', reason: 'x' }, true).label).toBe('Correction demandée');
    expect(reviewStatus(null, true, true)).toEqual({ tone: 'changed', label: 'Nouveau document à vérifier' });
    // The candidate took the document away and sent none yet: nothing to look at.
    expect(reviewStatus(null, false, true)).toEqual({ tone: 'todo', label: 'Aucun document' });
  });
});

describe("where a dossier's instruction stands", () => {
  const at = { reason: null, reviewedAt: '2027-05-02T08:00:00Z', reviewer: 'i' };
  const piece = (documents: number, decision: 'accepted' | 'correction_requested' | null) => ({
    documents: Array(documents).fill({}),
    review: decision ? { ...at, decision } : null,
  });

  it('counts conforming pieces, corrections and pieces to check, leaving out pieces without documents', () => {
    expect(reviewSummary([piece(1, 'accepted'), piece(1, 'correction_requested'), piece(2, null), piece(1, null), piece(0, null)])).toBe(
      '1 pièce conforme, 1 correction demandée, 2 pièces à vérifier.',
    );
    expect(reviewSummary([piece(1, 'accepted'), piece(1, 'accepted')])).toBe('2 pièces conformes.');
    // A correction asked on a piece left empty still counts: the candidate owes it.
    expect(reviewSummary([piece(0, 'correction_requested'), piece(0, null)])).toBe('1 correction demandée.');
    expect(reviewSummary([piece(0, null)])).toBe('Aucun document à vérifier.');
    expect(reviewSummary([piece(1, 'accepted'), { ...piece(1, null), changedSinceReview: true }])).toBe(
      '1 nouveau document à vérifier, 1 pièce conforme.',
    );
  });

  it('puts the pieces with a new document since a review first, the others in their order', () => {
    const pieces = [
      { id: 'a', ...piece(1, 'accepted') },
      { id: 'b', ...piece(1, null), changedSinceReview: true },
      { id: 'c', ...piece(1, null) },
      { id: 'd', ...piece(2, null), changedSinceReview: true },
    ];
    expect(piecesInOrder(pieces).map((p) => p.id)).toEqual(['b', 'd', 'a', 'c']);
  });
});

describe('the audit trail', () => {
  it('says known actions in French and shows an unknown one as recorded', () => {
    expect(auditActionLabel('export')).toBe('Téléchargement (ZIP)');
    expect(auditActionLabel('content')).toBe('Ouverture d’un document');
    expect(auditActionLabel('toString')).toBe('toString');
    expect(auditActionLabel('something_new')).toBe('something_new');
    const labels = new Map([['identite', "Pièce d'identité"]]);
    const entry = { at: '', staff: 's', action: 'review', dossier: 'D', documentId: null };
    expect(auditPieceLabel({ ...entry, pieceId: 'identite' }, labels)).toBe("Pièce d'identité");
    expect(auditPieceLabel({ ...entry, pieceId: 'gone' }, labels)).toBe('gone');
    expect(auditPieceLabel({ ...entry, pieceId: null }, labels)).toBe('');
  });

  it("says a review's decision and reason in plain French", () => {
    const review = { at: '', staff: 's', action: 'review', dossier: 'D', pieceId: 'identite', documentId: null };
    expect(auditDescription({ ...review, decision: 'correction_requested', reason: 'Le verso manque.' })).toBe(
      'Demande de correction : motif « Le verso manque. »',
    );
    expect(auditDescription({ ...review, decision: 'accepted', reason: null })).toBe('Décision : pièce conforme');
    // Recorded before decisions were kept in the trail.
    expect(auditDescription(review)).toBe('Décision sur une pièce');
    expect(auditDescription({ ...review, action: 'export', decision: null, reason: null })).toBe('Téléchargement (ZIP)');
  });

  it('shows the newest first, a run of look-ups by one person once with its count', () => {
    const at = (minute: number, staff: string, action: string) => ({
      at: `2027-05-02T08:${String(minute).padStart(2, '0')}:00.000Z`,
      staff,
      action,
      dossier: 'D',
      pieceId: null,
      documentId: null,
    });
    const lines = auditLines([
      at(1, 'a', 'lookup'),
      at(2, 'a', 'lookup'),
      at(3, 'b', 'lookup'),
      at(4, 'b', 'lookup'),
      at(5, 'b', 'content'),
      at(6, 'b', 'lookup'),
      at(7, 'b', 'lookup'),
    ]);
    expect(lines.map((l) => [l.entry.at.slice(14, 16), l.entry.staff, l.entry.action, l.times])).toEqual([
      ['07', 'b', 'lookup', 2],
      ['05', 'b', 'content', 1],
      ['04', 'b', 'lookup', 2],
      ['02', 'a', 'lookup', 2],
    ]);
  });
});

describe('places in the address', () => {
  it('goes to a dossier and back, whatever its number holds', () => {
    for (const dossier of ['DEMO-00001', 'A/B 1', 'é#?%']) expect(routeOf(hashOf({ screen: 'dossier', dossier }))).toEqual({ screen: 'dossier', dossier });
    expect(routeOf('')).toEqual({ screen: 'list' });
    expect(routeOf('#/dossiers/%E0%A4%A')).toEqual({ screen: 'list' });
    expect(routeOf('#/dossiers/')).toEqual({ screen: 'list' });
  });
});

describe('what changed while the dossier was open', () => {
  const doc = (id: string) => ({ id, filename: `${id}.pdf` });
  const review = (decision: 'accepted' | 'correction_requested', reviewer: string) => ({
    decision,
    reason: decision === 'accepted' ? null : 'Illisible.',
    reviewedAt: '2027-05-02T08:00:00Z',
    reviewer,
  });
  const before = [
    { id: 'identite', label: "Pièce d'identité", documents: [doc('a')], review: review('correction_requested', 'i1') },
    { id: 'diplome', label: 'Diplôme', documents: [doc('b'), doc('c')], review: null },
  ];

  it("says a candidate's new and removed documents and another instructor's decision, one sentence each", () => {
    const after = [
      { ...before[0]!, documents: [doc('d')], review: null },
      { ...before[1]!, documents: [doc('b')], review: review('accepted', 'i2') },
    ];
    expect(changesBetween(before, after)).toEqual([
      "Pièce d'identité : le candidat a envoyé un nouveau document (d.pdf).",
      "Pièce d'identité : le candidat a retiré un document.",
      'Diplôme : le candidat a retiré un document.',
      'Diplôme : i2 a décidé « conforme » le 02/05/2027 à 10:00.',
    ]);
  });

  it('says at least that the dossier changed when no sentence fits', () => {
    expect(changesBetween(before, before)).toEqual(['Le dossier a été modifié.']);
  });
});
