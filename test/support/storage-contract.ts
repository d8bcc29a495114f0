/**
 * The storage contract: every Storage implementation (SQLite today, PostgreSQL later) must
 * pass this suite. Call `storageContract(name, factory)` from a test file.
 */
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import type { Storage, StorageFactory, StoredDocument, AddDocumentRules } from '../../src-server/storage/types';

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
  });
}
