/**
 * The storage contract: every Storage implementation (SQLite today, PostgreSQL later) must
 * pass this suite. Call `storageContract(name, factory)` from a test file.
 */
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { Storage, StorageFactory, StoredDocument, AddDocumentRules, PieceReviewRecord, ReviewRules, ReviewWrite } from '../../src-server/storage/types';
import { searchWords } from '../../src-shared/search';

const T0 = new Date('2027-04-01T10:00:00Z');
const DEADLINE = new Date('2027-04-27T22:00:00Z');
/** Midnight in Paris, summer time (UTC+2) and winter time (UTC+1). */
const DEADLINES = [
  ['summer time', DEADLINE],
  ['winter time', new Date('2027-01-15T23:00:00Z')],
] as const;

function doc(id: string, overrides: Partial<StoredDocument> = {}): StoredDocument {
  return {
    id,
    dossier: 'D-1',
    pieceId: 'identite',
    filename: `${id}.pdf`,
    mediaType: 'application/pdf',
    bytes: 100,
    sha256: id.padEnd(64, '0').slice(0, 64),
    uploadedAt: T0,
    late: false,
    ...overrides,
  };
}

const rules = (overrides: Partial<AddDocumentRules> = {}): AddDocumentRules => ({
  campaignId: 'c1',
  now: T0,
  deadline: DEADLINE,
  lateAllowed: false,
  single: false,
  ...overrides,
});

const closeRules = (blockingPieces: string[] = [], now = T0, deadline = DEADLINE) => ({
  campaignId: 'c1',
  now,
  deadline,
  blockingPieces,
  buildReceipt: (closedAt: Date, documents: StoredDocument[]) =>
    JSON.stringify({ closedAt: closedAt.toISOString(), ids: documents.map((d) => d.id) }),
});

const tagOf = (documents: StoredDocument[], reviews: PieceReviewRecord[] = []) =>
  [...documents.map((d) => d.id).sort(), ...reviews.map((r) => `${r.pieceId}:${r.decision}:${r.reviewer}`)].join(',');
const reviewRules = (expectedTag: string | null = null): ReviewRules => ({ campaignId: 'c1', expectedTag, tagOf });
const correction = (reason = 'Illisible', reviewedAt = T0): ReviewWrite => ({
  decision: 'correction_requested',
  reason,
  reviewedAt,
  reviewer: 'instructeur1',
});
const accepted = (reviewedAt = T0): ReviewWrite => ({ decision: 'accepted', reason: null, reviewedAt, reviewer: 'instructeur2' });

export function storageContract(name: string, factory: StorageFactory): void {
  describe(`storage contract: ${name}`, () => {
    let storage: Storage;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ storage, cleanup } = await factory());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('stores a document and lists it, for its dossier only', async () => {
      const added = await storage.addDocument(doc('a1'), rules());
      expect(added.kind).toBe('created');
      expect(await storage.listDocuments('D-1')).toEqual([doc('a1')]);
      expect(await storage.listDocuments('D-2')).toEqual([]);
      expect(await storage.getDocument('D-1', 'a1')).toEqual(doc('a1'));
      expect(await storage.getDocument('D-2', 'a1')).toBeNull();
      expect(await storage.allDocumentIds()).toEqual(new Set(['a1']));
    });

    it('gives back the existing document for the same bytes in the same piece', async () => {
      await storage.addDocument(doc('a1', { sha256: 'f'.repeat(64) }), rules());
      const again = await storage.addDocument(doc('a2', { sha256: 'f'.repeat(64) }), rules({ single: true }));
      expect(again).toEqual({ kind: 'existing', document: doc('a1', { sha256: 'f'.repeat(64) }) });
      const otherPiece = await storage.addDocument(doc('a3', { sha256: 'f'.repeat(64), pieceId: 'cv' }), rules());
      expect(otherPiece.kind).toBe('created');
    });

    it('refuses a second document in a single-document piece', async () => {
      await storage.addDocument(doc('a1'), rules({ single: true }));
      expect(await storage.addDocument(doc('a2'), rules({ single: true }))).toEqual({ kind: 'refused', code: 'piece_full' });
    });

    it.each(DEADLINES)('%s: refuses uploads and deletions at the deadline, not one millisecond before', async (_season, deadline) => {
      const before = new Date(deadline.getTime() - 1);
      expect((await storage.addDocument(doc('a1'), rules({ now: before, deadline }))).kind).toBe('created');
      expect(await storage.addDocument(doc('a2'), rules({ now: deadline, deadline }))).toEqual({ kind: 'refused', code: 'deadline_passed' });
      expect(await storage.deleteDocument('D-1', 'a1', { campaignId: 'c1', now: deadline, deadline })).toEqual({
        kind: 'refused',
        code: 'deadline_passed',
      });
      const deleted = await storage.deleteDocument('D-1', 'a1', { campaignId: 'c1', now: before, deadline });
      expect(deleted.kind).toBe('deleted');
      expect(await storage.listDocuments('D-1')).toEqual([]);
    });

    it('answers not_found for a document of another dossier', async () => {
      await storage.addDocument(doc('a1'), rules());
      expect(await storage.deleteDocument('D-2', 'a1', { campaignId: 'c1', now: T0, deadline: DEADLINE })).toEqual({ kind: 'not_found' });
      expect(await storage.listDocuments('D-1')).toHaveLength(1);
    });

    it('closes once, with the missing pieces named, and idempotently', async () => {
      const refused = await storage.closeDossier('D-1', closeRules(['identite', 'diplome']));
      expect(refused).toEqual({ kind: 'refused', code: 'pieces_missing', missing: ['identite', 'diplome'] });
      await storage.addDocument(doc('a1'), rules());
      await storage.addDocument(doc('a2', { pieceId: 'diplome' }), rules());
      const closed = await storage.closeDossier('D-1', closeRules(['identite', 'diplome']));
      expect(closed.kind).toBe('closed');
      const later = new Date(T0.getTime() + 60_000);
      const again = await storage.closeDossier('D-1', closeRules(['identite', 'diplome'], later));
      expect(again.kind).toBe('already_closed');
      if (closed.kind !== 'closed' || again.kind !== 'already_closed') throw new Error('unreachable');
      expect(again.receipt).toBe(closed.receipt);
      expect(again.closedAt).toEqual(T0);
      expect(JSON.parse(closed.receipt)).toEqual({ closedAt: T0.toISOString(), ids: ['a1', 'a2'] });
      const record = await storage.getDossier('D-1');
      expect(record).toEqual({ dossier: 'D-1', campaignId: 'c1', closedAt: T0, receipt: closed.receipt, documentsAtClosure: 2 });
    });

    it.each(DEADLINES)('%s: refuses closure at the deadline, not one millisecond before', async (_season, deadline) => {
      const before = new Date(deadline.getTime() - 1);
      // D-1 is new, D-2 already holds a document: a storage may decide the two on different paths.
      await storage.addDocument(doc('a1', { dossier: 'D-2' }), rules({ now: before, deadline }));
      for (const dossier of ['D-1', 'D-2']) {
        expect(await storage.closeDossier(dossier, closeRules([], deadline, deadline))).toEqual({ kind: 'refused', code: 'deadline_passed' });
        expect((await storage.closeDossier(dossier, closeRules([], before, deadline))).kind).toBe('closed');
      }
    });

    it('after closure: read-only, except late documents on pieces that allow them', async () => {
      await storage.closeDossier('D-1', closeRules());
      expect(await storage.addDocument(doc('a1'), rules())).toEqual({ kind: 'refused', code: 'dossier_closed' });
      const afterDeadline = new Date(DEADLINE.getTime() + 86_400_000);
      const late = await storage.addDocument(doc('a2', { pieceId: 'etat-services' }), rules({ lateAllowed: true, now: afterDeadline }));
      expect(late.kind).toBe('created');
      if (late.kind === 'created') expect(late.document.late).toBe(true);
      expect((await storage.listDocuments('D-1'))[0]!.late).toBe(true);
      expect(await storage.deleteDocument('D-1', 'a2', { campaignId: 'c1', now: T0, deadline: DEADLINE })).toEqual({
        kind: 'refused',
        code: 'dossier_closed',
      });
    });

    it('lists closures of the wanted campaigns, with the document count at closure', async () => {
      await storage.addDocument(doc('a1'), rules());
      await storage.closeDossier('D-1', closeRules());
      await storage.closeDossier('D-9', { ...closeRules(), campaignId: 'c2' });
      await storage.addDocument(doc('a2', { pieceId: 'etat-services' }), rules({ lateAllowed: true }));
      expect(await storage.listClosures(['c1'])).toEqual([
        { dossier: 'D-1', campaignId: 'c1', closedAt: T0, documentsAtClosure: 1 },
      ]);
      expect((await storage.listClosures(['c1', 'c2'])).map((r) => r.dossier).sort()).toEqual(['D-1', 'D-9']);
    });

    it('serialises racing closures and uploads: one closure, consistent receipt', async () => {
      await storage.addDocument(doc('a1'), rules());
      const results = await Promise.all([
        storage.closeDossier('D-1', closeRules(['identite'])),
        storage.addDocument(doc('a2', { pieceId: 'diplome' }), rules()),
        storage.closeDossier('D-1', closeRules(['identite'])),
      ]);
      const kinds = results.map((r) => r.kind).sort();
      expect(kinds.filter((k) => k === 'closed')).toHaveLength(1);
      const record = await storage.getDossier('D-1');
      const docs = await storage.listDocuments('D-1');
      const inReceipt = (JSON.parse(record!.receipt!) as { ids: string[] }).ids;
      expect(inReceipt).toEqual(docs.filter((d) => !d.late).map((d) => d.id));
    });

    it('finds a document by id whatever its dossier', async () => {
      await storage.addDocument(doc('a1', { dossier: 'D-7' }), rules());
      expect(await storage.findDocument('a1')).toEqual(doc('a1', { dossier: 'D-7' }));
      expect(await storage.findDocument('nope')).toBeNull();
    });

    it('a correction reopens its piece after closure, and only that piece, until the next review', async () => {
      await storage.addDocument(doc('a1'), rules());
      await storage.closeDossier('D-1', closeRules(['identite']));
      const receipt = (await storage.getDossier('D-1'))!.receipt;
      const afterDeadline = new Date(DEADLINE.getTime() + 86_400_000);
      const late = rules({ now: afterDeadline });
      expect(await storage.addDocument(doc('a2'), late)).toEqual({ kind: 'refused', code: 'dossier_closed' });

      const asked = await storage.reviewPiece('D-1', 'identite', correction('Recto manquant'), reviewRules());
      expect(asked).toEqual({
        kind: 'reviewed',
        review: { dossier: 'D-1', pieceId: 'identite', ...correction('Recto manquant'), correctionOpen: true },
      });
      // Only the piece under correction opens: the others stay as closed.
      expect(await storage.addDocument(doc('b1', { pieceId: 'diplome' }), late)).toEqual({ kind: 'refused', code: 'dossier_closed' });
      const stamp = { campaignId: 'c1', now: afterDeadline, deadline: DEADLINE };
      expect(await storage.deleteDocument('D-1', 'a1', stamp)).toMatchObject({ kind: 'deleted' });
      const added = await storage.addDocument(doc('a2', { uploadedAt: afterDeadline }), { ...late, single: true });
      expect(added).toEqual({ kind: 'created', document: doc('a2', { uploadedAt: afterDeadline, late: true }) });
      // The new document puts the review back to null; the piece stays open until reviewed.
      expect(await storage.listReviews('D-1')).toEqual([
        { dossier: 'D-1', pieceId: 'identite', decision: null, reason: null, reviewedAt: null, reviewer: null, correctionOpen: true },
      ]);
      expect((await storage.addDocument(doc('a3'), late)).kind).toBe('created');

      await storage.reviewPiece('D-1', 'identite', accepted(afterDeadline), reviewRules());
      expect(await storage.listReviews('D-1')).toEqual([
        { dossier: 'D-1', pieceId: 'identite', ...accepted(afterDeadline), correctionOpen: false },
      ]);
      expect(await storage.addDocument(doc('a4'), late)).toEqual({ kind: 'refused', code: 'dossier_closed' });
      expect(await storage.deleteDocument('D-1', 'a2', stamp)).toEqual({ kind: 'refused', code: 'dossier_closed' });
      // Nothing else of the closed dossier moved.
      const record = await storage.getDossier('D-1');
      expect(record).toMatchObject({ closedAt: T0, receipt, documentsAtClosure: 1 });
    });

    it('replaces a document in one step: the old row goes and the new one comes, or nothing moves', async () => {
      await storage.addDocument(doc('a1'), rules({ single: true }));
      await storage.addDocument(doc('b1', { pieceId: 'diplome' }), rules());
      await storage.addDocument(doc('f1', { dossier: 'D-2' }), rules());
      const single = rules({ single: true });
      // A full one-document piece takes the replacement; the old one is handed back for its bytes.
      expect(await storage.addDocument(doc('a2'), { ...single, replaces: 'a1' })).toEqual({
        kind: 'created',
        document: doc('a2'),
        replaced: doc('a1'),
      });
      expect((await storage.listDocuments('D-1')).map((d) => d.id)).toEqual(['b1', 'a2']);
      expect(await storage.getDocument('D-1', 'a1')).toBeNull();
      // Sent again once done (its answer lost): the document it made comes back, nothing moves.
      expect(await storage.addDocument(doc('a9', { sha256: doc('a2').sha256 }), { ...single, replaces: 'a1' })).toEqual({
        kind: 'existing',
        document: doc('a2'),
      });
      // Bytes already in the piece while the old document is still there would correct nothing.
      expect(await storage.addDocument(doc('a9', { sha256: doc('a2').sha256 }), { ...single, replaces: 'a2' })).toEqual({
        kind: 'refused',
        code: 'already_stored',
      });
      // Gone already, another dossier's, another piece's: refused, and nothing written.
      expect(await storage.addDocument(doc('a3'), { ...single, replaces: 'a1' })).toEqual({ kind: 'not_found' });
      expect(await storage.addDocument(doc('a3'), { ...single, replaces: 'f1' })).toEqual({ kind: 'not_found' });
      expect(await storage.addDocument(doc('a3'), { ...single, replaces: 'b1' })).toEqual({
        kind: 'refused',
        code: 'replaced_other_piece',
      });
      // Without `replaces` the full piece still refuses a second document.
      expect(await storage.addDocument(doc('a3'), single)).toEqual({ kind: 'refused', code: 'piece_full' });
      expect((await storage.listDocuments('D-1')).map((d) => d.id)).toEqual(['b1', 'a2']);
      expect((await storage.listDocuments('D-2')).map((d) => d.id)).toEqual(['f1']);
      // In a piece of several documents, only the one named goes.
      await storage.addDocument(doc('b2', { pieceId: 'diplome' }), rules());
      expect((await storage.addDocument(doc('b3', { pieceId: 'diplome' }), rules({ replaces: 'b1' }))).kind).toBe('created');
      expect((await storage.listDocuments('D-1')).map((d) => d.id)).toEqual(['a2', 'b2', 'b3']);
      // Past the deadline, an open dossier is read-only: the old document stays.
      const afterDeadline = new Date(DEADLINE.getTime() + 1000);
      expect(await storage.addDocument(doc('a4'), { ...single, now: afterDeadline, replaces: 'a2' })).toEqual({
        kind: 'refused',
        code: 'deadline_passed',
      });
      expect(await storage.getDocument('D-1', 'a2')).toEqual(doc('a2'));
    });

    it('keeps the old document when writing the replacement fails inside the transaction', async () => {
      await storage.addDocument(doc('a1'), rules({ single: true }));
      await storage.addDocument(doc('f1', { dossier: 'D-2' }), rules());
      // The new row's id is taken (by another dossier's document): its insert fails after the
      // old row's removal, and that removal must be rolled back with it.
      await expect(storage.addDocument(doc('f1', { sha256: 'e'.repeat(64) }), rules({ single: true, replaces: 'a1' }))).rejects.toThrow();
      expect(await storage.listDocuments('D-1')).toEqual([doc('a1')]);
      expect(await storage.allDocumentIds()).toEqual(new Set(['a1', 'f1']));
    });

    it('after closure, replaces only on a piece whose correction is open: late, review back to null', async () => {
      await storage.addDocument(doc('a1'), rules({ single: true }));
      await storage.addDocument(doc('e1', { pieceId: 'tardive' }), rules({ lateAllowed: true }));
      await storage.closeDossier('D-1', closeRules(['identite']));
      const receipt = (await storage.getDossier('D-1'))!.receipt;
      const afterDeadline = new Date(DEADLINE.getTime() + 86_400_000);
      const late = rules({ now: afterDeadline, single: true });
      expect(await storage.addDocument(doc('a2'), { ...late, replaces: 'a1' })).toEqual({ kind: 'refused', code: 'dossier_closed' });
      // A piece that takes late documents may grow, but its documents are not replaced without a correction.
      expect(
        await storage.addDocument(doc('e2', { pieceId: 'tardive' }), { ...late, single: false, lateAllowed: true, replaces: 'e1' }),
      ).toEqual({ kind: 'refused', code: 'dossier_closed' });

      await storage.reviewPiece('D-1', 'identite', correction('Illisible'), reviewRules());
      const replaced = await storage.addDocument(doc('a2', { uploadedAt: afterDeadline }), { ...late, replaces: 'a1' });
      expect(replaced).toEqual({
        kind: 'created',
        document: doc('a2', { uploadedAt: afterDeadline, late: true }),
        replaced: doc('a1'),
      });
      expect((await storage.listDocuments('D-1')).map((d) => d.id)).toEqual(['e1', 'a2']);
      expect(await storage.listReviews('D-1')).toEqual([
        { dossier: 'D-1', pieceId: 'identite', decision: null, reason: null, reviewedAt: null, reviewer: null, correctionOpen: true },
      ]);
      expect(await storage.getDossier('D-1')).toMatchObject({ closedAt: T0, receipt, documentsAtClosure: 2 });
      await storage.reviewPiece('D-1', 'identite', accepted(afterDeadline), reviewRules());
      expect(await storage.addDocument(doc('a3'), { ...late, replaces: 'a2' })).toEqual({ kind: 'refused', code: 'dossier_closed' });
    });

    it('refuses a review written on a view that changed since: documents, or another decision', async () => {
      await storage.addDocument(doc('a1'), rules());
      const seen = tagOf(await storage.listDocuments('D-1'));
      await storage.addDocument(doc('a2'), rules());
      expect(await storage.reviewPiece('D-1', 'identite', accepted(), reviewRules(seen))).toEqual({
        kind: 'refused',
        code: 'review_outdated',
      });
      expect(await storage.listReviews('D-1')).toEqual([]);
      const now = tagOf(await storage.listDocuments('D-1'));
      expect((await storage.reviewPiece('D-1', 'identite', accepted(), reviewRules(now))).kind).toBe('reviewed');
      // Another instructor's decision since the view was loaded makes it outdated too.
      const before = tagOf(await storage.listDocuments('D-1'), await storage.listReviews('D-1'));
      expect((await storage.reviewPiece('D-1', 'cv', correction(), reviewRules(before))).kind).toBe('reviewed');
      expect(await storage.reviewPiece('D-1', 'identite', correction(), reviewRules(before))).toEqual({ kind: 'refused', code: 'review_outdated' });
      const after = tagOf(await storage.listDocuments('D-1'), await storage.listReviews('D-1'));
      expect((await storage.reviewPiece('D-1', 'identite', correction(), reviewRules(after))).kind).toBe('reviewed');
      // A review of a dossier that holds nothing yet creates what it needs.
      expect((await storage.reviewPiece('D-5', 'identite', correction(), reviewRules(tagOf([])))).kind).toBe('reviewed');
    });

    it('lists dossiers by number, filtered by campaign, state and accent-free search, in pages', async () => {
      const people = [
        { dossier: 'D-1', campaignId: 'c1', lastName: 'Martin', firstName: 'Léa' },
        { dossier: 'D-2', campaignId: 'c1', lastName: 'Durand', firstName: 'Paul' },
        { dossier: 'D-3', campaignId: 'c1', lastName: 'Nguyễn', firstName: 'Thi Mai' },
        { dossier: 'E-1', campaignId: 'c2', lastName: 'Martin', firstName: 'Éloïse' },
      ];
      expect(await storage.indexDossiers(people)).toBe(4);
      expect(await storage.indexDossiers(people)).toBe(0);
      expect(await storage.indexDossiers([{ ...people[1]!, lastName: 'Durand-Roy' }])).toBe(1);
      await storage.addDocument(doc('a1'), rules());
      await storage.addDocument(doc('a2', { pieceId: 'cv' }), rules());
      await storage.closeDossier('D-1', closeRules());
      await storage.reviewPiece('D-2', 'identite', correction(), reviewRules());

      const list = (filter: Partial<Parameters<Storage['listDossiers']>[0]>) =>
        storage.listDossiers({ campaignIds: ['c1'], state: null, words: [], after: null, limit: 10, ...filter });
      const all = await list({});
      expect(all.map((r) => r.dossier)).toEqual(['D-1', 'D-2', 'D-3']);
      expect(all[0]).toEqual({
        dossier: 'D-1',
        campaignId: 'c1',
        lastName: 'Martin',
        firstName: 'Léa',
        closedAt: T0,
        corrections: [],
        toReview: [],
        piecesHeld: expect.arrayContaining(['identite', 'cv']),
      });
      expect(all[0]!.piecesHeld).toHaveLength(2);
      expect(all[1]).toMatchObject({ lastName: 'Durand-Roy', closedAt: null, corrections: ['identite'], piecesHeld: [] });
      expect((await list({ campaignIds: ['c1', 'c2'] })).map((r) => r.dossier)).toEqual(['D-1', 'D-2', 'D-3', 'E-1']);
      expect((await list({ state: 'closed' })).map((r) => r.dossier)).toEqual(['D-1']);
      expect((await list({ state: 'open' })).map((r) => r.dossier)).toEqual(['D-2', 'D-3']);
      expect((await list({ state: 'correction' })).map((r) => r.dossier)).toEqual(['D-2']);
      expect((await list({ words: searchWords('LEA') })).map((r) => r.dossier)).toEqual(['D-1']);
      expect((await list({ words: searchWords('nguyen mai') })).map((r) => r.dossier)).toEqual(['D-3']);
      expect((await list({ words: searchWords('martin'), campaignIds: ['c1', 'c2'] })).map((r) => r.dossier)).toEqual(['D-1', 'E-1']);
      expect((await list({ words: searchWords('d-2') })).map((r) => r.dossier)).toEqual(['D-2']);
      expect((await list({ words: searchWords('durand-roy paul'), state: 'correction' })).map((r) => r.dossier)).toEqual(['D-2']);
      expect(await list({ words: searchWords('zzz') })).toEqual([]);
      const first = await list({ limit: 2 });
      expect(first.map((r) => r.dossier)).toEqual(['D-1', 'D-2']);
      expect((await list({ limit: 2, after: 'D-2' })).map((r) => r.dossier)).toEqual(['D-3']);
      expect(await list({ campaignIds: [] })).toEqual([]);
    });

    it('lists and counts the dossiers whose documents changed since a review, to check again, apart from corrections still awaited', async () => {
      await storage.indexDossiers([
        { dossier: 'D-1', campaignId: 'c1', lastName: 'Martin', firstName: 'Léa' },
        { dossier: 'D-2', campaignId: 'c1', lastName: 'Durand', firstName: 'Paul' },
        { dossier: 'D-3', campaignId: 'c1', lastName: 'Petit', firstName: 'Jean' },
        { dossier: 'E-1', campaignId: 'c2', lastName: 'Roy', firstName: 'Anne' },
      ]);
      for (const [i, dossier] of ['D-1', 'D-2', 'D-3'].entries()) await storage.addDocument(doc(`a${i}`, { dossier }), rules());
      await storage.closeDossier('D-1', closeRules());
      await storage.closeDossier('D-2', closeRules());
      // D-1: a correction asked, then answered with a new document. D-2: asked, not answered.
      // D-3: accepted, then a new document before the deadline.
      await storage.reviewPiece('D-1', 'identite', correction(), reviewRules());
      await storage.reviewPiece('D-2', 'identite', correction(), reviewRules());
      await storage.reviewPiece('D-3', 'identite', accepted(), reviewRules());
      await storage.addDocument(doc('b1', { dossier: 'D-1' }), rules({ now: new Date(DEADLINE.getTime() + 1) }));
      await storage.addDocument(doc('b3', { dossier: 'D-3' }), rules());

      const list = (state: 'to_review' | 'correction') =>
        storage.listDossiers({ campaignIds: ['c1', 'c2'], state, words: [], after: null, limit: 10 });
      // An answered correction waits on the instructor now, no longer on the candidate.
      expect((await list('to_review')).map((r) => [r.dossier, r.toReview, r.corrections])).toEqual([
        ['D-1', ['identite'], []],
        ['D-3', ['identite'], []],
      ]);
      expect((await list('correction')).map((r) => [r.dossier, r.corrections])).toEqual([['D-2', ['identite']]]);
      const counts = await storage.countDossiers(['c1', 'c2', 'c3']);
      expect(counts.get('c1')).toEqual({ open: 1, closed: 2, correction: 1, to_review: 2 });
      expect(counts.get('c2')).toEqual({ open: 1, closed: 0, correction: 0, to_review: 0 });
      expect(counts.has('c3')).toBe(false);
      expect((await storage.countDossiers([])).size).toBe(0);
    });

    it('keeps the staff audit trail of each dossier, oldest first', async () => {
      const later = new Date(T0.getTime() + 1000);
      await storage.recordAudit([
        { at: later, staff: 'i1', action: 'content', dossier: 'D-1', pieceId: 'identite', documentId: 'a1', decision: null, reason: null },
        { at: T0, staff: 'i1', action: 'lookup', dossier: 'D-1', pieceId: null, documentId: null, decision: null, reason: null },
        { at: T0, staff: 'i2', action: 'export', dossier: 'D-2', pieceId: null, documentId: null, decision: null, reason: null },
      ]);
      expect((await storage.listAudit('D-1')).map((e) => [e.action, e.at])).toEqual([
        ['lookup', T0],
        ['content', later],
      ]);
      expect(await storage.listAudit('D-2')).toEqual([
        { at: T0, staff: 'i2', action: 'export', dossier: 'D-2', pieceId: null, documentId: null, decision: null, reason: null },
      ]);
      expect(await storage.listAudit('D-3')).toEqual([]);
    });

    it("keeps a review's decision and reason in its audit entry", async () => {
      const asked = { at: T0, staff: 'i1', action: 'review', dossier: 'D-1', pieceId: 'identite', documentId: null };
      await storage.recordAudit([
        { ...asked, decision: 'correction_requested', reason: 'Recto manquant : « envoyez les deux faces »' },
        { ...asked, at: new Date(T0.getTime() + 1), decision: 'accepted', reason: null },
      ]);
      expect((await storage.listAudit('D-1')).map((e) => [e.decision, e.reason])).toEqual([
        ['correction_requested', 'Recto manquant : « envoyez les deux faces »'],
        ['accepted', null],
      ]);
    });

    it("purges a campaign's documents, sessions, audit and reviews older than a date, keeping its closures", async () => {
      const later = new Date(T0.getTime() + 3_600_000);
      await storage.indexDossiers([
        { dossier: 'D-1', campaignId: 'c1', lastName: 'A', firstName: 'B' },
        { dossier: 'E-1', campaignId: 'c2', lastName: 'C', firstName: 'D' },
      ]);
      await storage.addDocument(doc('a1'), rules());
      await storage.addDocument(doc('a2', { pieceId: 'cv', uploadedAt: later }), rules());
      await storage.addDocument(doc('b1', { dossier: 'E-1' }), { ...rules(), campaignId: 'c2' });
      await storage.closeDossier('D-1', closeRules());
      const closed = await storage.getDossier('D-1');
      await storage.reviewPiece('D-1', 'identite', correction(), reviewRules());
      await storage.recordAudit([
        { at: T0, staff: 'i1', action: 'lookup', dossier: 'D-1', pieceId: null, documentId: null, decision: null, reason: null },
        { at: later, staff: 'i1', action: 'lookup', dossier: 'D-1', pieceId: null, documentId: null, decision: null, reason: null },
        { at: T0, staff: 'i1', action: 'lookup', dossier: 'E-1', pieceId: null, documentId: null, decision: null, reason: null },
      ]);
      const expiresAt = new Date(T0.getTime() + 86_400_000);
      await storage.createSession('s1', { kind: 'candidate', subject: 'D-1', expiresAt });
      await storage.createSession('s2', { kind: 'candidate', subject: 'E-1', expiresAt });
      await storage.createDeviceToken('dev1', { dossier: 'D-1', expiresAt });
      await storage.createDeviceToken('dev2', { dossier: 'E-1', expiresAt });
      const cut = new Date(T0.getTime() + 1);

      expect(await storage.purgeCampaign('nope', cut, false)).toBeNull();
      const expected = { dossiers: 1, documentIds: ['a1'], documentBytes: 100, sessions: 1, deviceTokens: 1, auditEntries: 1, reviews: 1 };
      expect(await storage.purgeCampaign('c1', cut, true)).toEqual(expected);
      expect(await storage.listDocuments('D-1')).toHaveLength(2);
      expect(await storage.purgeCampaign('c1', cut, false)).toEqual(expected);
      expect((await storage.listDocuments('D-1')).map((d) => d.id)).toEqual(['a2']);
      expect(await storage.findSession('s1', T0)).toBeNull();
      expect(await storage.findSession('s2', T0)).not.toBeNull();
      expect(await storage.findDeviceToken('dev1', T0)).toBeNull();
      expect(await storage.findDeviceToken('dev2', T0)).not.toBeNull();
      expect((await storage.listAudit('D-1')).map((e) => e.at)).toEqual([later]);
      expect(await storage.listAudit('E-1')).toHaveLength(1);
      expect(await storage.listReviews('D-1')).toEqual([]);
      expect(await storage.listDocuments('E-1')).toHaveLength(1);
      expect(await storage.getDossier('D-1')).toEqual(closed);
      expect(await storage.listClosures(['c1'])).toEqual([{ dossier: 'D-1', campaignId: 'c1', closedAt: T0, documentsAtClosure: 2 }]);
    });

    it('keeps sessions until they expire, and forgets them on delete', async () => {
      const expiresAt = new Date(T0.getTime() + 1000);
      await storage.createSession('h1', { kind: 'candidate', subject: 'D-1', expiresAt });
      expect(await storage.findSession('h1', T0)).toEqual({ kind: 'candidate', subject: 'D-1', expiresAt });
      expect(await storage.findSession('h1', expiresAt)).toBeNull();
      expect(await storage.findSession('nope', T0)).toBeNull();
      await storage.createSession('h2', { kind: 'staff', subject: 'g1', expiresAt });
      await storage.deleteSession('h2');
      expect(await storage.findSession('h2', T0)).toBeNull();
      expect(await storage.purgeExpiredSessions(expiresAt)).toBe(1);
    });

    it('throttles login attempts per key, atomically, and clears on success', async () => {
      const delay = (n: number) => (n >= 3 ? 10_000 : 0);
      const admissions = await Promise.all([1, 2, 3, 4, 5].map(() => storage.admitLoginAttempt('k1', T0, delay)));
      expect(admissions.filter((a) => a.admitted)).toHaveLength(3);
      const refused = admissions.find((a) => !a.admitted);
      expect(refused).toEqual({ admitted: false, retryAt: new Date(T0.getTime() + 10_000) });
      expect((await storage.admitLoginAttempt('k2', T0, delay)).admitted).toBe(true);
      expect((await storage.admitLoginAttempt('k1', new Date(T0.getTime() + 10_000), delay)).admitted).toBe(true);
      await storage.clearLoginThrottle('k1');
      expect(await storage.admitLoginAttempt('k1', T0, delay)).toEqual({ admitted: true, attempts: 1 });
      expect(await storage.purgeLoginThrottles(new Date(T0.getTime() + 1))).toBeGreaterThanOrEqual(1);
    });

    it('keeps device tokens until they expire', async () => {
      const expiresAt = new Date(T0.getTime() + 1000);
      await storage.createDeviceToken('d1', { dossier: 'D-1', expiresAt });
      expect(await storage.findDeviceToken('d1', T0)).toEqual({ dossier: 'D-1', expiresAt });
      expect(await storage.findDeviceToken('d1', expiresAt)).toBeNull();
      expect(await storage.findDeviceToken('nope', T0)).toBeNull();
      expect(await storage.purgeExpiredDeviceTokens(expiresAt)).toBe(1);
      expect(await storage.findDeviceToken('d1', T0)).toBeNull();
    });

    it('hands a download ticket out once, expired or not, and purges expired ones', async () => {
      const expiresAt = new Date(T0.getTime() + 60_000);
      await storage.createDownloadTicket('t1', { staff: 'i1', target: 'campaign:c1:closed', expiresAt });
      await storage.createDownloadTicket('t2', { staff: 'i2', target: 'dossier:D-1', expiresAt: T0 });
      await storage.createDownloadTicket('t3', { staff: 'i2', target: 'dossier:D-2', expiresAt });
      const taken = await Promise.all([storage.takeDownloadTicket('t1'), storage.takeDownloadTicket('t1')]);
      expect(taken.filter((t) => t !== null)).toEqual([{ staff: 'i1', target: 'campaign:c1:closed', expiresAt }]);
      expect(await storage.takeDownloadTicket('t1')).toBeNull();
      expect(await storage.takeDownloadTicket('nope')).toBeNull();
      expect(await storage.purgeExpiredDownloadTickets(T0)).toBe(1);
      expect(await storage.takeDownloadTicket('t2')).toBeNull();
      expect(await storage.takeDownloadTicket('t3')).toEqual({ staff: 'i2', target: 'dossier:D-2', expiresAt });
    });

    it('keeps the staff audit trail per dossier, oldest first', async () => {
      const later = new Date(T0.getTime() + 1000);
      await storage.recordAudit([{ at: later, staff: 'g1', action: 'unlock', dossier: 'D-1', pieceId: null, documentId: null, decision: null, reason: null }]);
      await storage.recordAudit([
        { at: T0, staff: 'g2', action: 'read', dossier: 'D-1', pieceId: 'cv', documentId: 'doc-1', decision: null, reason: null },
        { at: T0, staff: 'g1', action: 'unlock', dossier: 'D-2', pieceId: null, documentId: null, decision: null, reason: null },
      ]);
      expect(await storage.listAudit('D-1')).toEqual([
        { at: T0, staff: 'g2', action: 'read', dossier: 'D-1', pieceId: 'cv', documentId: 'doc-1', decision: null, reason: null },
        { at: later, staff: 'g1', action: 'unlock', dossier: 'D-1', pieceId: null, documentId: null, decision: null, reason: null },
      ]);
    });
  });
}
