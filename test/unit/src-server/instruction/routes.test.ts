/** The instruction API (api-contract.md 5.2, 5.3) through app.inject: roles, list, reviews, corrections, audit. */
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { verifyReceipt } from '../../../../src-server/receipts';
import { ERRORS, type ErrorCode } from '../../../../src-shared/errors';
import type { Dossier, DocumentInfo, SignedReceipt } from '../../../../src-shared/contract';
import type { DossierList, InstructionPieces, Review } from '../../../../src-shared/instruction';
import { API, makeTestApp, otherInstructionCampaign, testCampaign, tinyPdf, type TestApp } from '../../../support/server-helpers';

const otherCampaign = otherInstructionCampaign();

describe('instruction API', () => {
  let t: TestApp;
  let instructor: string;
  beforeEach(async () => {
    t = await makeTestApp({ campaigns: [testCampaign(), otherCampaign] });
    instructor = await t.staffLogin('instructeur1');
  });
  afterEach(async () => {
    await t.close();
  });

  const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, token?: string, extra: { payload?: object; headers?: Record<string, string> } = {}) =>
    t.app.inject({
      method,
      url: `${API}${url}`,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...extra.headers },
      ...(extra.payload ? { payload: extra.payload } : {}),
    });
  const get = (url: string, token = instructor) => call('GET', url, token);
  const review = (dossier: string, pieceId: string, payload: object, headers: Record<string, string> = {}, token = instructor) =>
    call('PUT', `/staff/dossiers/${dossier}/pieces/${pieceId}/review`, token, { payload, headers });
  const expectProblem = (res: { statusCode: number; json: () => unknown }, code: ErrorCode) => {
    expect(res.json()).toMatchObject({ code, detail: ERRORS[code].message });
    expect(res.statusCode).toBe((ERRORS[code] as { status: number }).status);
  };

  /** T-001 with a document in each required piece, closed. */
  async function closedDossier(): Promise<{ token: string; identity: DocumentInfo }> {
    const token = await t.login();
    const identity = (await t.upload(token, 'identite', tinyPdf('identite'))).json<DocumentInfo>();
    expect((await t.upload(token, 'diplome', tinyPdf('diplome'))).statusCode).toBe(201);
    expect((await t.app.inject({ method: 'POST', url: `${API}/closure`, headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(201);
    return { token, identity };
  }

  describe('roles', () => {
    it('lets only instruction accounts in: guichet 403, candidate 403, nobody 401', async () => {
      const guichet = await t.staffLogin();
      const candidate = await t.login();
      for (const url of [
        '/staff/dossiers',
        '/staff/dossiers/T-001/pieces',
        '/staff/audit?dossier=T-001',
        '/staff/dossiers/T-001/export.zip',
        '/staff/campaigns/test-2027/export.zip?state=closed',
      ]) {
        expectProblem(await get(url, guichet), 'forbidden');
        expectProblem(await get(url, candidate), 'forbidden');
        expectProblem(await call('GET', url), 'unauthenticated');
      }
      expectProblem(await review('T-001', 'identite', { decision: 'accepted' }, {}, guichet), 'forbidden');
      expect((await get('/staff/dossiers')).statusCode).toBe(200);
      // The help desk's look-up stays open to both roles.
      expect((await get('/staff/dossiers/T-001', guichet)).statusCode).toBe(200);
      expect((await get('/staff/dossiers/T-001')).statusCode).toBe(200);
    });

    it("reaches only the instructor's own campaigns: anything else is 404", async () => {
      const zoe = await t.login('A-001', 'secret-zoe');
      const doc = (await t.upload(zoe, 'identite', tinyPdf('zoe'))).json<DocumentInfo>();
      expect((await get('/staff/dossiers')).json<DossierList>().dossiers.map((d) => d.dossier)).toEqual(['T-001', 'T-002']);
      expectProblem(await get('/staff/dossiers/A-001/pieces'), 'not_found');
      expectProblem(await get(`/staff/documents/${doc.id}/content`), 'not_found');
      expectProblem(await review('A-001', 'identite', { decision: 'accepted' }), 'not_found');
      expectProblem(await get('/staff/audit?dossier=A-001'), 'not_found');
      expectProblem(await get('/staff/dossiers/A-001/export.zip'), 'not_found');
      expectProblem(await get('/staff/campaigns/autre-2027/export.zip'), 'not_found');
      expectProblem(await get('/staff/dossiers/NOPE/pieces'), 'not_found');
      const other = await t.staffLogin('instructeur2', 'secret-autre');
      expect((await get(`/staff/documents/${doc.id}/content`, other)).rawPayload.equals(tinyPdf('zoe'))).toBe(true);
    });
  });

  describe('list', () => {
    it('filters by state, searches names without accents or case, and pages with a cursor', async () => {
      await closedDossier();
      const page = (query: string) => get(`/staff/dossiers${query}`).then((r) => r.json<DossierList>());
      expect((await page('')).dossiers).toEqual([
        { dossier: 'T-001', lastName: 'Martin', firstName: 'Léa', campaignId: 'test-2027', state: 'closed', closedAt: '2027-04-01T10:00:00.000Z', missing: [], corrections: [], toReview: [] },
        { dossier: 'T-002', lastName: 'Durand', firstName: 'Paul', campaignId: 'test-2027', state: 'open', closedAt: null, missing: ['identite', 'diplome'], corrections: [], toReview: [] },
      ]);
      expect((await page('?state=closed')).dossiers.map((d) => d.dossier)).toEqual(['T-001']);
      expect((await page('?state=open')).dossiers.map((d) => d.dossier)).toEqual(['T-002']);
      expect((await page('?q=LEA')).dossiers.map((d) => d.dossier)).toEqual(['T-001']);
      expect((await page(`?q=${encodeURIComponent('  durAnd ')}`)).dossiers.map((d) => d.dossier)).toEqual(['T-002']);
      expect((await page('?q=t-002')).dossiers.map((d) => d.dossier)).toEqual(['T-002']);
      const first = await page('?limit=1');
      expect(first.dossiers.map((d) => d.dossier)).toEqual(['T-001']);
      expect(first.next).toEqual(expect.any(String));
      const second = await page(`?limit=1&cursor=${first.next}`);
      expect(second).toMatchObject({ dossiers: [{ dossier: 'T-002' }], next: null });
      for (const bad of ['?limit=0', '?limit=201', '?limit=abc', '?cursor=%25%25', '?state=lost'])
        expectProblem(await get(`/staff/dossiers${bad}`), 'validation_failed');
    });
  });

  describe('reviews and corrections', () => {
    it('asks for a correction that reaches the candidate and reopens only that piece after closure', async () => {
      const { token, identity } = await closedDossier();
      const receiptBefore = (await get('/receipt', token)).body;
      const pieces = await get('/staff/dossiers/T-001/pieces');
      expect(pieces.headers.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
      const identite = pieces.json<InstructionPieces>().pieces.find((p) => p.id === 'identite')!;
      expect(identite).toMatchObject({ documents: [identity], review: null, correctionPending: false });

      const reason = 'Illisible : le verso est coupé. Renvoyez une photo nette « recto et verso ».';
      const asked = await review('T-001', 'identite', { decision: 'correction_requested', reason }, { 'if-match': pieces.headers.etag as string });
      expect(asked.statusCode).toBe(200);
      expect(asked.json<Review>()).toEqual({ decision: 'correction_requested', reason, reviewedAt: '2027-04-01T10:00:00.000Z', reviewer: 'instructeur1' });
      expect((await get('/staff/dossiers?state=correction')).json<DossierList>().dossiers).toMatchObject([{ dossier: 'T-001', corrections: ['identite'] }]);

      // Well past the deadline: the piece under correction is open, nothing else is.
      t.clock.set('2027-06-01T10:00:00Z');
      const token2 = await t.login();
      instructor = await t.staffLogin('instructeur1');
      const seen = (await get('/dossier', token2)).json<Dossier>();
      expect(seen.corrections).toEqual(['identite']);
      expect(seen.pieces.find((p) => p.id === 'identite')!.review).toEqual({ decision: 'correction_requested', reason, reviewedAt: '2027-04-01T10:00:00.000Z' });
      expect(seen.pieces.find((p) => p.id === 'diplome')!.review).toBeNull();
      expectProblem(await t.upload(token2, 'diplome', tinyPdf('autre diplome')), 'dossier_closed');
      expect((await call('DELETE', `/documents/${identity.id}`, token2)).statusCode).toBe(204);
      const replaced = await t.upload(token2, 'identite', tinyPdf('identite nette'));
      expect(replaced.statusCode).toBe(201);
      expect(replaced.json<DocumentInfo>().late).toBe(true);
      const after = (await get('/dossier', token2)).json<Dossier>();
      expect(after.pieces.find((p) => p.id === 'identite')!.review).toBeNull();
      expect(after.corrections).toEqual(['identite']);
      expect(after).toMatchObject({ state: 'closed', closedAt: '2027-04-01T10:00:00.000Z' });
      // The receipt is the one of the closure, still valid.
      expect((await get('/receipt', token2)).body).toBe(receiptBefore);
      const envelope = JSON.parse(receiptBefore) as SignedReceipt;
      expect(verifyReceipt(envelope, t.context.signer.publicKey.publicKey)).toBe(true);

      // An instructor who opened the dossier before the new document is told so.
      expectProblem(await review('T-001', 'identite', { decision: 'accepted' }, { 'if-match': pieces.headers.etag as string }), 'review_outdated');
      const fresh = await get('/staff/dossiers/T-001/pieces');
      expect(fresh.headers.etag).not.toBe(pieces.headers.etag);
      expect(fresh.json<InstructionPieces>().pieces.find((p) => p.id === 'identite')).toMatchObject({
        review: null,
        correctionPending: true,
        changedSinceReview: true,
      });
      expect(fresh.json<InstructionPieces>().pieces.find((p) => p.id === 'diplome')).toMatchObject({ changedSinceReview: false });
      expect((await get('/staff/dossiers?state=to_review')).json<DossierList>().dossiers).toMatchObject([{ dossier: 'T-001', toReview: ['identite'] }]);
      const ok = await review('T-001', 'identite', { decision: 'accepted' }, { 'if-match': `W/${fresh.headers.etag as string}` });
      expect(ok.json<Review>()).toMatchObject({ decision: 'accepted', reason: null, reviewer: 'instructeur1' });
      expect((await get('/staff/dossiers?state=to_review')).json<DossierList>().dossiers).toEqual([]);
      const closedAgain = (await get('/dossier', token2)).json<Dossier>();
      expect(closedAgain.corrections).toEqual([]);
      expect(closedAgain.pieces.find((p) => p.id === 'identite')!.review).toMatchObject({ decision: 'accepted' });
      expectProblem(await t.upload(token2, 'identite', tinyPdf('encore')), 'dossier_closed');
      // The audit trail keeps each decision with its reason, as written.
      const reviews = (await get('/staff/audit?dossier=T-001')).json<{ entries: { action: string }[] }>().entries.filter((e) => e.action === 'review');
      expect(reviews).toMatchObject([
        { pieceId: 'identite', decision: 'correction_requested', reason },
        { pieceId: 'identite', decision: 'accepted', reason: null },
      ]);
    });

    it("watches for changes without an audit entry (304); another instructor's decision shows as a change but refuses no decision", async () => {
      await closedDossier();
      const second = await t.staffLogin('instructeur1');
      const seen = await get('/staff/dossiers/T-001/pieces');
      const tag = seen.headers.etag as string;
      const auditSize = async () => (await get('/staff/audit?dossier=T-001')).json<{ entries: unknown[] }>().entries.length;
      const entries = await auditSize();
      const unchanged = await call('GET', '/staff/dossiers/T-001/pieces', instructor, { headers: { 'if-none-match': tag } });
      expect(unchanged.statusCode).toBe(304);
      expect(unchanged.body).toBe('');
      expect(await auditSize()).toBe(entries);
      // The other instructor decides on a piece: the page watching sees a change...
      expect((await review('T-001', 'diplome', { decision: 'accepted' }, { 'if-match': tag }, second)).statusCode).toBe(200);
      const changed = await call('GET', '/staff/dossiers/T-001/pieces', instructor, { headers: { 'if-none-match': tag } });
      expect(changed.statusCode).toBe(200);
      expect(changed.headers.etag).not.toBe(tag);
      // ...but only changed documents outdate a view (api-contract.md 5.3): one view decides piece after piece.
      expect((await review('T-001', 'identite', { decision: 'correction_requested', reason: 'Illisible.' }, { 'if-match': tag })).statusCode).toBe(200);
      expect((await review('T-001', 'identite', { decision: 'accepted' }, { 'if-match': tag })).statusCode).toBe(200);
      expectProblem(await review('T-001', 'identite', { decision: 'accepted' }, { 'if-match': '"not-a-tag-of-this-dossier"' }), 'review_outdated');
    });

    it('refuses a correction without a reason or with too long a one, and an unknown piece', async () => {
      await closedDossier();
      for (const payload of [
        { decision: 'correction_requested' },
        { decision: 'correction_requested', reason: '   ' },
        { decision: 'correction_requested', reason: 'x'.repeat(10_000) },
        { decision: 'accepted', reason: 'é'.repeat(501) },
      ])
        expectProblem(await review('T-001', 'identite', payload), 'review_reason_invalid');
      expect((await review('T-001', 'identite', { decision: 'correction_requested', reason: 'é'.repeat(500) })).statusCode).toBe(200);
      expectProblem(await review('T-001', 'passeport', { decision: 'accepted' }), 'piece_not_found');
      expectProblem(await review('T-001', 'identite', { decision: 'maybe' }), 'validation_failed');
    });
  });

  describe('content and audit', () => {
    it('gives the exact bytes and records every look-up (the help desk too), read and review', async () => {
      const { identity } = await closedDossier();
      const guichet = await t.staffLogin();
      await get('/staff/dossiers/T-001', guichet);
      await get('/staff/dossiers/T-001/pieces');
      const content = await get(`/staff/documents/${identity.id}/content`);
      expect(content.statusCode).toBe(200);
      expect(content.rawPayload.equals(tinyPdf('identite'))).toBe(true);
      expect(content.headers['content-type']).toBe('application/pdf');
      expect(content.headers['content-disposition']).toMatch(/^attachment;/);
      await review('T-001', 'diplome', { decision: 'accepted' });
      const audit = (await get('/staff/audit?dossier=T-001')).json<{ entries: unknown[] }>();
      expect(audit.entries).toEqual([
        { at: '2027-04-01T10:00:00.000Z', staff: 'guichet1', action: 'lookup', dossier: 'T-001', pieceId: null, documentId: null, decision: null, reason: null },
        { at: '2027-04-01T10:00:00.000Z', staff: 'instructeur1', action: 'lookup', dossier: 'T-001', pieceId: null, documentId: null, decision: null, reason: null },
        { at: '2027-04-01T10:00:00.000Z', staff: 'instructeur1', action: 'content', dossier: 'T-001', pieceId: 'identite', documentId: identity.id, decision: null, reason: null },
        { at: '2027-04-01T10:00:00.000Z', staff: 'instructeur1', action: 'review', dossier: 'T-001', pieceId: 'diplome', documentId: null, decision: 'accepted', reason: null },
      ]);
      expectProblem(await get('/staff/audit'), 'validation_failed');
    });

    it('documents every instruction route in the OpenAPI document', async () => {
      const doc = (await call('GET', '/openapi.json')).json<{ paths: Record<string, Record<string, { parameters?: { name: string; in: string }[] }>> }>();
      for (const path of [
        '/staff/dossiers',
        '/staff/dossiers/{dossier}/pieces',
        '/staff/documents/{id}/content',
        '/staff/dossiers/{dossier}/pieces/{pieceId}/review',
        '/staff/audit',
        '/staff/dossiers/{dossier}/export.zip',
        '/staff/campaigns/{campaignId}/export.zip',
      ])
        expect(Object.keys(doc.paths)).toContain(path);
      expect(doc.paths['/staff/dossiers']!.get!.parameters!.map((p) => `${p.in}:${p.name}`)).toEqual(
        expect.arrayContaining(['query:state', 'query:q', 'query:cursor', 'query:limit']),
      );
    });
  });
});
