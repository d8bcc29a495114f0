/** The contract's rules, through app.inject. */
import { Readable } from 'node:stream';
import { describe, expect, it, beforeEach, afterEach } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { verifyReceipt } from '../../../src-server/receipts';
import { ERRORS } from '../../../src-shared/errors';
import type { Closure, Dossier, DocumentInfo, SignedReceipt } from '../../../src-shared/contract';
import { drawnText } from '../../support/pdf-text';
import { API, corpusFile, makeTestApp, sha256Header, testCampaign, tinyPdf, type TestApp } from '../../support/server-helpers';

/**
 * Each error code's status, copied by hand from api-contract.md section 3 (and 5.6) rather than
 * read from src-shared/errors.ts, so that a wrong entry there is caught here.
 */
const CONTRACT_STATUS = {
  validation_failed: 400,
  digest_missing: 400,
  digest_mismatch: 400,
  invalid_credentials: 401,
  unauthenticated: 401,
  forbidden: 403,
  deadline_passed: 403,
  not_found: 404,
  piece_not_found: 404,
  not_closed: 404,
  request_timeout: 408,
  piece_full: 409,
  dossier_closed: 409,
  file_too_large: 413,
  file_type_not_allowed: 415,
  file_corrupt: 422,
  pdf_encrypted: 422,
  pdf_active_content: 422,
  pieces_missing: 422,
  too_many_attempts: 429,
  headers_too_large: 431,
  internal_error: 500,
  overloaded: 503,
} as const satisfies Partial<Record<keyof typeof ERRORS, number>>;

const SUMMER_DEADLINE = '2027-04-27T22:00:00.000Z'; // closesOn 2027-04-27, CEST (UTC+2)

describe('companion API', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
  });
  afterEach(async () => {
    await t.close();
  });

  const get = (url: string, token?: string) =>
    t.app.inject({ method: 'GET', url: `${API}${url}`, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const post = (url: string, token?: string, payload?: unknown) =>
    t.app.inject({
      method: 'POST',
      url: `${API}${url}`,
      headers: token ? { authorization: `Bearer ${token}` } : {},
      ...(payload !== undefined ? { payload: payload as object } : {}),
    });
  const del = (url: string, token?: string) =>
    t.app.inject({ method: 'DELETE', url: `${API}${url}`, headers: token ? { authorization: `Bearer ${token}` } : {} });
  const expectProblem = (res: Awaited<ReturnType<typeof get>>, code: keyof typeof CONTRACT_STATUS) => {
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json();
    expect(body).toMatchObject({ code, status: res.statusCode, detail: ERRORS[code].message });
    // The status as the contract sets it, not as the code's own table says.
    expect(res.statusCode).toBe(CONTRACT_STATUS[code]);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
  };

  describe('public routes', () => {
    it('answers health, time from the server clock, campaigns and the receipt key', async () => {
      expect((await get('/health')).json()).toEqual({ status: 'ok' });
      expect((await get('/time')).json()).toEqual({ now: '2027-04-01T10:00:00.000Z' });
      expect((await get('/campaigns')).json()).toEqual([
        { id: 'test-2027', title: 'Concours de test 2027', organiser: 'Centre de gestion de test', closesAt: SUMMER_DEADLINE, timeZone: 'Europe/Paris' },
      ]);
      const key = (await get('/keys/receipt')).json();
      expect(key.algorithm).toBe('Ed25519');
      expect(Buffer.from(key.publicKey, 'base64')).toHaveLength(32);
    });

    it('sets security headers and answers unknown routes with a problem', async () => {
      const res = await get('/nope');
      expectProblem(res, 'not_found');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    });
  });

  // The words a candidate reads, written out here in full: a wrong or swapped sentence in
  // src-shared/errors.ts must fail a test, not pass through both sides unseen.
  describe('answers in plain French', () => {
    it.each([
      ['a wrong password', 401, 'invalid_credentials', 'Le numéro de dossier ou le mot de passe est incorrect. Vérifiez-les sur le courriel reçu lors de votre préinscription.'],
      ['no session', 401, 'unauthenticated', 'Votre session a expiré. Reconnectez-vous avec votre numéro de dossier et votre mot de passe.'],
      ['too many tries', 429, 'too_many_attempts', 'Trop de tentatives de connexion pour ce dossier. Patientez un moment avant de réessayer.'],
      ['a closure with pieces missing', 422, 'pieces_missing', 'Il manque des pièces obligatoires : ajoutez-les avant de clôturer votre inscription.'],
      ['an unknown page', 404, 'not_found', "Ce document ou cette page n'existe pas."],
    ] as const)('%s: %i %s', async (situation, status, code, detail) => {
      let res;
      if (situation === 'a wrong password') res = await post('/session', undefined, { dossier: 'T-001', password: 'nope' });
      else if (situation === 'no session') res = await get('/dossier');
      else if (situation === 'too many tries')
        for (let i = 0; i < 8; i++) res = await post('/session', undefined, { dossier: 'T-001', password: `bad-${i}` });
      else if (situation === 'a closure with pieces missing') res = await post('/closure', await t.login());
      else res = await get('/nope');
      expect(res!.statusCode).toBe(status);
      expect(res!.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(res!.json()).toMatchObject({ status, code, detail });
    });
  });

  describe('sessions', () => {
    it('gives the same answer for an unknown dossier and a wrong password', async () => {
      const wrong = await post('/session', undefined, { dossier: 'T-001', password: 'nope' });
      const unknown = await post('/session', undefined, { dossier: 'X-999', password: 'nope' });
      expectProblem(wrong, 'invalid_credentials');
      expectProblem(unknown, 'invalid_credentials');
      expect(wrong.body).toBe(unknown.body);
    });

    it('refuses malformed and wrong-typed bodies with validation_failed', async () => {
      for (const payload of ['{"dossier":', '[]', '{"dossier":1,"password":"x"}', '{"dossier":"T-001"}', 'null']) {
        const res = await t.app.inject({ method: 'POST', url: `${API}/session`, payload, headers: { 'content-type': 'application/json' } });
        expectProblem(res, 'validation_failed');
      }
      const text = await t.app.inject({ method: 'POST', url: `${API}/session`, payload: 'x', headers: { 'content-type': 'text/plain' } });
      expectProblem(text, 'validation_failed');
    });

    it('opens a session with an expiry, and closes it', async () => {
      const res = await post('/session', undefined, { dossier: 'T-001', password: 'secret-lea' });
      expect(res.statusCode).toBe(201);
      const { token, expiresAt } = res.json();
      expect(Date.parse(expiresAt)).toBeGreaterThan(t.clock.now().getTime());
      expect((await get('/dossier', token)).statusCode).toBe(200);
      expect((await del('/session', token)).statusCode).toBe(204);
      expectProblem(await get('/dossier', token), 'unauthenticated');
    });

    it('refuses a missing, unknown or expired token', async () => {
      expectProblem(await get('/dossier'), 'unauthenticated');
      expectProblem(await get('/dossier', 'A'.repeat(43)), 'unauthenticated');
      const token = await t.login();
      t.clock.set('2027-04-02T10:00:00Z');
      expectProblem(await get('/dossier', token), 'unauthenticated');
    });

    it('throttles failed logins per dossier with Retry-After, never blocking another dossier', async () => {
      let last;
      for (let i = 0; i < 8; i++) last = await post('/session', undefined, { dossier: 'T-001', password: `bad-${i}` });
      expectProblem(last!, 'too_many_attempts');
      const retryAfter = Number(last!.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      // Even the right password waits: otherwise the throttle would be an oracle.
      expectProblem(await post('/session', undefined, { dossier: 'T-001', password: 'secret-lea' }), 'too_many_attempts');
      expect((await post('/session', undefined, { dossier: 'T-002', password: 'secret-paul' })).statusCode).toBe(201);
      // Once the wait is over the right password opens the dossier. (That the wait never grows
      // past a minute is shown in server-http.test.ts, 'login throttle over HTTP'.)
      t.clock.set(new Date(t.clock.now().getTime() + retryAfter * 1000).toISOString());
      expect((await post('/session', undefined, { dossier: 'T-001', password: 'secret-lea' })).statusCode).toBe(201);
    });
  });

  describe('documents', () => {
    it('stores a PDF, lists it in the dossier, gives back the exact bytes', async () => {
      const token = await t.login();
      const pdf = tinyPdf();
      const res = await t.upload(token, 'identite', pdf, {
        headers: { 'content-disposition': "attachment; filename*=UTF-8''carte%20d%E2%80%99identit%C3%A9.pdf" },
      });
      expect(res.statusCode).toBe(201);
      const doc = res.json<DocumentInfo>();
      expect(doc).toMatchObject({ filename: 'carte d’identité.pdf', mediaType: 'application/pdf', bytes: pdf.length, late: false });
      const dossier = (await get('/dossier', token)).json<Dossier>();
      expect(dossier.pieces.find((p) => p.id === 'identite')!.documents).toEqual([doc]);
      expect(dossier.missing).toEqual(['diplome']);
      const content = await get(`/documents/${doc.id}/content`, token);
      expect(content.statusCode).toBe(200);
      expect(content.rawPayload.equals(pdf)).toBe(true);
      expect(content.headers['content-disposition']).toMatch(/^attachment;/);
      expect(content.headers['x-content-type-options']).toBe('nosniff');
    });

    it('gives back the same document for the same bytes (a retry), even on a full piece', async () => {
      const token = await t.login();
      const first = await t.upload(token, 'identite', tinyPdf());
      const second = await t.upload(token, 'identite', tinyPdf());
      expect(first.statusCode).toBe(201);
      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual(first.json());
      expectProblem(await t.upload(token, 'identite', tinyPdf('autre')), 'piece_full');
    });

    it('reads the type from the bytes: a JPEG sent as PDF is stored as JPEG, a PNG is refused', async () => {
      const token = await t.login();
      const jpeg = corpusFile('images/jpeg-grayscale-single-channel.jpg');
      const res = await t.upload(token, 'diplome', jpeg, { headers: { 'content-disposition': 'attachment; filename="scan.pdf"' } });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ mediaType: 'image/jpeg', filename: 'scan.jpg' });
      expectProblem(await t.upload(token, 'diplome', corpusFile('bad/png-with-jpg-extension.jpg')), 'file_type_not_allowed');
      expectProblem(await t.upload(token, 'diplome', Buffer.from('<svg onload="alert(1)"/>'), { headers: { 'content-type': 'image/jpeg' } }), 'file_type_not_allowed');
    });

    it('checks the digest: missing, malformed or wrong', async () => {
      const token = await t.login();
      expectProblem(await t.upload(token, 'diplome', tinyPdf(), { headers: { 'content-digest': '' } }), 'digest_missing');
      expectProblem(await t.upload(token, 'diplome', tinyPdf(), { headers: { 'content-digest': 'sha-256=:abc:' } }), 'digest_missing');
      expectProblem(await t.upload(token, 'diplome', tinyPdf(), { headers: { 'content-digest': sha256Header(tinyPdf('x')) } }), 'digest_mismatch');
      expect((await get('/dossier', token)).json<Dossier>().pieces.every((p) => p.documents.length === 0)).toBe(true);
    });

    it('enforces the per-piece size limit from the header and while streaming', async () => {
      const token = await t.login();
      const big = Buffer.concat([tinyPdf(), Buffer.alloc(25_000, 0x20)]);
      expectProblem(await t.upload(token, 'cv', big), 'file_too_large');
      // No Content-Length: the limit is found while the body streams.
      const streamed = await t.app.inject({
        method: 'POST',
        url: `${API}/pieces/cv/documents`,
        payload: Readable.from([big.subarray(0, 10_000), big.subarray(10_000)]),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/pdf', 'content-digest': sha256Header(big) },
      });
      expectProblem(streamed, 'file_too_large');
      expect((await get('/dossier', token)).json<Dossier>().pieces.find((p) => p.id === 'cv')!.maxBytes).toBe(20_000);
    });

    it('refuses an empty body', async () => {
      const token = await t.login();
      expectProblem(await t.upload(token, 'diplome', Buffer.alloc(0)), 'file_corrupt');
    });

    it.each([
      ['pdf/pdf-encrypted-user-password-aes256.pdf', 'pdf_encrypted'],
      ['pdf/pdf-encrypted-user-password-kyocera-scan.pdf', 'pdf_encrypted'],
      ['pdf/pdf-javascript-document-level.pdf', 'pdf_active_content'],
      ['pdf/pdf-embedded-file-attachment.pdf', 'pdf_active_content'],
      ['bad/pdf-truncated-no-xref-no-eof.pdf', 'file_corrupt'],
      ['bad/jpeg-truncated-at-10000-bytes.jpg', 'file_corrupt'],
      ['bad/jpeg-truncated-inside-header-1024-bytes.jpg', 'file_corrupt'],
      ['not-documents/exe-windows-pe-launcher.exe', 'file_type_not_allowed'],
      ['not-documents/docx-word-document.docx', 'file_type_not_allowed'],
      ['bad/heic-with-jpg-extension.jpg', 'file_type_not_allowed'],
    ] as const)('refuses %s with %s', async (file, code) => {
      const token = await t.login();
      expectProblem(await t.upload(token, 'diplome', corpusFile(file)), code);
    });

    it.each([
      'pdf/pdf-encrypted-owner-password-only-acrobat.pdf',
      'pdf/pdf-digitally-signed.pdf',
      'pdf/pdf-simple-text-pdflatex.pdf',
      'pdf/pdf-page-rotate-90-180-270-360.pdf',
      'images/jpeg-exif-orientation-6-landscape.jpg',
    ])('accepts %s byte for byte', async (file) => {
      const token = await t.login();
      const bytes = corpusFile(file);
      const res = await t.upload(token, 'diplome', bytes);
      expect(res.statusCode).toBe(201);
      const content = await get(`/documents/${res.json().id}/content`, token);
      expect(content.rawPayload.equals(bytes)).toBe(true);
    });

    it("answers 404 for another candidate's document, and leaves it alone", async () => {
      const lea = await t.login('T-001');
      const paul = await t.login('T-002');
      const doc = (await t.upload(lea, 'diplome', tinyPdf())).json<DocumentInfo>();
      expectProblem(await get(`/documents/${doc.id}/content`, paul), 'not_found');
      expectProblem(await del(`/documents/${doc.id}`, paul), 'not_found');
      expect((await get(`/documents/${doc.id}/content`, lea)).statusCode).toBe(200);
    });

    it('deletes a document, then answers 404 for it', async () => {
      const token = await t.login();
      const doc = (await t.upload(token, 'diplome', tinyPdf())).json<DocumentInfo>();
      expect((await del(`/documents/${doc.id}`, token)).statusCode).toBe(204);
      expectProblem(await get(`/documents/${doc.id}/content`, token), 'not_found');
      expectProblem(await del(`/documents/${doc.id}`, token), 'not_found');
    });

    it('answers piece_not_found for a piece the campaign does not ask for', async () => {
      const token = await t.login();
      expectProblem(await t.upload(token, 'passeport', tinyPdf()), 'piece_not_found');
    });
  });

  describe('precedence: authentication, state and deadline, piece, body', () => {
    it('authentication first, even with a broken body and an unknown piece', async () => {
      const res = await t.app.inject({ method: 'POST', url: `${API}/pieces/nope/documents`, payload: 'x', headers: { 'content-type': 'text/plain' } });
      expectProblem(res, 'unauthenticated');
      const closure = await t.app.inject({ method: 'POST', url: `${API}/closure`, payload: '{bad', headers: { 'content-type': 'application/json' } });
      expectProblem(closure, 'unauthenticated');
    });

    it('deadline before piece and body', async () => {
      t.clock.set(SUMMER_DEADLINE);
      const token = await t.login();
      expectProblem(await t.upload(token, 'nope', Buffer.from('junk'), { headers: { 'content-digest': '' } }), 'deadline_passed');
    });

    it('dossier_closed before piece and body', async () => {
      const token = await t.login();
      await t.upload(token, 'identite', tinyPdf());
      await t.upload(token, 'diplome', tinyPdf('d'));
      expect((await post('/closure', token)).statusCode).toBe(201);
      expectProblem(await t.upload(token, 'nope', Buffer.from('junk'), { headers: { 'content-digest': '' } }), 'dossier_closed');
    });

    it('piece before body', async () => {
      const token = await t.login();
      await t.upload(token, 'identite', tinyPdf());
      expectProblem(await t.upload(token, 'identite', Buffer.alloc(3_000_000), { headers: { 'content-digest': '' } }), 'piece_full');
      expectProblem(await t.upload(token, 'nope', Buffer.alloc(3_000_000), { headers: { 'content-digest': '' } }), 'piece_not_found');
    });

    it('within the body: size, then digest, then type, then content', async () => {
      const token = await t.login();
      expectProblem(await t.upload(token, 'cv', Buffer.alloc(30_000), { headers: { 'content-digest': '' } }), 'file_too_large');
      expectProblem(await t.upload(token, 'cv', Buffer.from('not a pdf'), { headers: { 'content-digest': '' } }), 'digest_missing');
      expectProblem(await t.upload(token, 'cv', Buffer.from('not a pdf'), { headers: { 'content-digest': sha256Header(Buffer.from('x')) } }), 'digest_mismatch');
      expectProblem(await t.upload(token, 'cv', Buffer.from('not a pdf')), 'file_type_not_allowed');
      expectProblem(await t.upload(token, 'cv', Buffer.from('%PDF-1.4 broken')), 'file_corrupt');
    });
  });

  describe('closure and receipt', () => {
    async function fill(token: string) {
      await t.upload(token, 'identite', tinyPdf('identite'));
      await t.upload(token, 'diplome', tinyPdf('diplome'));
    }

    it('refuses closure while pieces are missing, naming them', async () => {
      const token = await t.login();
      const res = await post('/closure', token);
      expectProblem(res, 'pieces_missing');
      expect(res.json().missing).toEqual(['identite', 'diplome']);
    });

    it('closes once, signs a receipt anyone can check, and answers the same envelope after', async () => {
      const token = await t.login();
      await fill(token);
      expectProblem(await get('/receipt', token), 'not_closed');
      const first = await post('/closure', token);
      expect(first.statusCode).toBe(201);
      const closure = first.json<Closure>();
      expect(closure.closedAt).toBe('2027-04-01T10:00:00.000Z');
      expect(closure.receipt.receipt).toMatchObject({ version: 1, campaignId: 'test-2027', dossier: 'T-001', lastName: 'Martin', firstName: 'Léa' });
      expect(closure.receipt.receipt.documents.map((d) => d.pieceId)).toEqual(['identite', 'diplome']);
      const key = (await get('/keys/receipt')).json();
      expect(closure.receipt.keyId).toBe(key.keyId);
      expect(verifyReceipt(closure.receipt, key.publicKey)).toBe(true);
      const tampered: SignedReceipt = { ...closure.receipt, receipt: { ...closure.receipt.receipt, closedAt: '2027-04-01T09:00:00.000Z' } };
      expect(verifyReceipt(tampered, key.publicKey)).toBe(false);

      t.clock.set('2027-04-01T17:00:00Z');
      const second = await post('/closure', token);
      expect(second.statusCode).toBe(200);
      expect(second.json()).toEqual(closure);
      expect((await get('/receipt', token)).json()).toEqual(closure.receipt);
      const dossier = (await get('/dossier', token)).json<Dossier>();
      expect(dossier).toMatchObject({ state: 'closed', closedAt: closure.closedAt, statusMessage: "Votre dossier est clôturé, il est en cours d'instruction." });
    });

    it('after closure: read-only, except late documents on lateAllowed pieces, even after the deadline', async () => {
      const token = await t.login();
      await fill(token);
      const doc = (await t.upload(token, 'cv', tinyPdf('cv'))).json<DocumentInfo>();
      await post('/closure', token);
      expectProblem(await t.upload(token, 'diplome', tinyPdf('encore')), 'dossier_closed');
      expectProblem(await del(`/documents/${doc.id}`, token), 'dossier_closed');
      t.clock.set('2027-06-01T10:00:00Z');
      const later = await t.login();
      const late = await t.upload(later, 'etat-services', tinyPdf('services'));
      expect(late.statusCode).toBe(201);
      expect(late.json().late).toBe(true);
      const receipt = (await get('/receipt', later)).json<SignedReceipt>();
      expect(receipt.receipt.documents).toHaveLength(3);
    });

    it('prints a French PDF receipt', async () => {
      const token = await t.login();
      await fill(token);
      expectProblem(await get('/receipt.pdf', token), 'not_closed');
      await post('/closure', token);
      const res = await get('/receipt.pdf', token);
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/pdf');
      const pdf = await PDFDocument.load(res.rawPayload);
      expect(pdf.getPageCount()).toBeGreaterThanOrEqual(1);
      expect(pdf.getTitle()).toContain('T-001');
    });

    it("prints the closing time in the campaign's time, named as such (a centre at La Réunion)", async () => {
      await t.close();
      t = await makeTestApp({ campaigns: [testCampaign({ timeZone: 'Indian/Reunion' })], now: '2027-04-20T08:30:15Z' });
      const token = await t.login();
      await fill(token);
      await post('/closure', token);
      const lines = drawnText((await get('/receipt.pdf', token)).rawPayload);
      expect(lines).toContain('Clôturé le 20/04/2027 12:30:15 (heure locale à La Réunion).');
    });
  });

  describe('deadline boundaries', () => {
    it.each([
      ['summer time (UTC+2)', '2027-04-27', '2027-04-27T22:00:00.000Z'],
      ['winter time (UTC+1)', '2027-01-15', '2027-01-15T23:00:00.000Z'],
    ])('%s: open one millisecond before midnight in Paris, closed at midnight', async (_name, closesOn, deadline) => {
      await t.close();
      t = await makeTestApp({ campaigns: [testCampaign({ closesOn })], now: '2027-01-01T00:00:00Z' });
      expect((await get('/campaigns')).json()[0].closesAt).toBe(deadline);
      const edge = new Date(Date.parse(deadline) - 1).toISOString();
      t.clock.set(edge);
      const token = await t.login();
      expect((await t.upload(token, 'identite', tinyPdf())).statusCode).toBe(201);
      expect((await t.upload(token, 'diplome', tinyPdf('d'))).statusCode).toBe(201);
      const doc = (await t.upload(token, 'cv', tinyPdf('cv'))).json<DocumentInfo>();
      t.clock.set(deadline);
      expectProblem(await t.upload(token, 'etat-services', tinyPdf('x')), 'deadline_passed');
      expectProblem(await del(`/documents/${doc.id}`, token), 'deadline_passed');
      expectProblem(await post('/closure', token), 'deadline_passed');
      t.clock.set(edge);
      const closure = await post('/closure', token);
      expect(closure.statusCode).toBe(201);
      expect(closure.json().closedAt).toBe(edge);
      t.clock.set(deadline);
      expect((await post('/closure', token)).statusCode).toBe(200);
    });

    it('closesAt: closing possible strictly before the instant', async () => {
      await t.close();
      t = await makeTestApp({
        campaigns: [testCampaign({ closesOn: undefined, closesAt: '2027-03-01T12:00:00+01:00', pieces: [{ id: 'cv', label: 'CV', required: false, lateAllowed: false, multiple: false }] })],
        now: '2027-03-01T10:59:59.999Z',
      });
      const token = await t.login();
      expect((await post('/closure', token)).statusCode).toBe(201);
      const paul = await t.login('T-002');
      t.clock.set('2027-03-01T11:00:00.000Z');
      expectProblem(await post('/closure', paul), 'deadline_passed');
    });
  });

  describe('staff', () => {
    it('looks a dossier up and exports the closures CSV', async () => {
      const token = await t.login();
      await t.upload(token, 'identite', tinyPdf('i'));
      await t.upload(token, 'diplome', tinyPdf('d'));
      await post('/closure', token);
      const staff = await t.staffLogin();
      const dossier = (await get('/staff/dossiers/T-001', staff)).json();
      expect(dossier).toMatchObject({ dossier: 'T-001', state: 'closed', closedAt: '2027-04-01T10:00:00.000Z', missing: [] });
      expect(dossier.pieces.find((p: { id: string }) => p.id === 'identite').documents).toBe(1);
      expect((await get('/staff/dossiers/T-002', staff)).json()).toMatchObject({ state: 'open', missing: ['identite', 'diplome'] });
      expectProblem(await get('/staff/dossiers/X-404', staff), 'not_found');
      const csv = await get('/staff/closures.csv', staff);
      expect(csv.headers['content-type']).toMatch(/^text\/csv/);
      expect(csv.rawPayload.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(true);
      expect(csv.body.replace(/^\uFEFF/, '')).toBe(
        'dossier;nom;prénom;clôturé le (heure de Paris);documents\r\nT-001;Martin;Léa;01/04/2027 12:00:00;2\r\n',
      );
    });

    it('refuses a candidate token on staff routes', async () => {
      const token = await t.login();
      expectProblem(await get('/staff/closures.csv', token), 'forbidden');
      expectProblem(await get('/staff/dossiers/T-001', token), 'forbidden');
      expectProblem(await get('/staff/closures.csv'), 'unauthenticated');
    });
  });
});
