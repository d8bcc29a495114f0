/**
 * Replacing a document in one step (`POST /pieces/{pieceId}/documents?replaces=ID`) through
 * app.inject: the rules of a deletion followed by an addition, the stable refusals, and nothing
 * lost or left behind when the storage fails between the new bytes and the commit.
 */
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dossier, DocumentInfo, SignedReceipt } from '../../../../src-shared/contract';
import { ERRORS, type ErrorCode } from '../../../../src-shared/errors';
import { verifyReceipt } from '../../../../src-server/receipts';
import { API, makeTestApp, tinyPdf, type TestApp } from '../../../support/server-helpers';

describe('replacing a document', () => {
  let t: TestApp;
  let token: string;
  beforeEach(async () => {
    t = await makeTestApp();
    token = await t.login();
  });
  afterEach(async () => {
    await t.close();
  });

  const as = (who: string) => ({ authorization: `Bearer ${who}` });
  const get = (url: string, who = token) => t.app.inject({ method: 'GET', url: `${API}${url}`, headers: as(who) });
  const replace = (pieceId: string, bytes: Buffer, replaces: string, who = token) =>
    t.upload(who, pieceId, bytes, { query: { replaces } });
  const upload = async (pieceId: string, label: string, who = token) => {
    const res = await t.upload(who, pieceId, tinyPdf(label));
    expect(res.statusCode).toBe(201);
    return res.json<DocumentInfo>();
  };
  const dossier = async (who = token) => (await get('/dossier', who)).json<Dossier>();
  const idsOf = async (pieceId: string) => (await dossier()).pieces.find((p) => p.id === pieceId)!.documents.map((d) => d.id);
  const expectProblem = (res: { statusCode: number; json: () => unknown }, code: ErrorCode) => {
    expect(res.json()).toMatchObject({ code, detail: ERRORS[code].message });
    expect(res.statusCode).toBe((ERRORS[code] as { status: number }).status);
  };
  /** The document ids whose bytes are on disk, and what waits in the temporary folder. */
  const onDisk = () => {
    const root = path.join(t.dataDir, 'blobs');
    const folders = readdirSync(root).filter((name) => name !== 'tmp');
    return {
      blobs: new Set(folders.flatMap((folder) => readdirSync(path.join(root, folder)))),
      tmp: readdirSync(path.join(root, 'tmp')),
    };
  };
  const closeDossier = async () => {
    const res = await t.app.inject({ method: 'POST', url: `${API}/closure`, headers: as(token) });
    expect(res.statusCode).toBe(201);
  };
  const askCorrection = async (pieceId: string) => {
    const instructor = await t.staffLogin('instructeur1');
    const res = await t.app.inject({
      method: 'PUT',
      url: `${API}/staff/dossiers/T-001/pieces/${pieceId}/review`,
      headers: as(instructor),
      payload: { decision: 'correction_requested', reason: 'Illisible' },
    });
    expect(res.statusCode).toBe(200);
  };

  it('takes the place of the document of a full one-document piece, and removes its bytes', async () => {
    const old = await upload('identite', 'ancienne');
    expectProblem(await t.upload(token, 'identite', tinyPdf('nouvelle')), 'piece_full');
    const res = await replace('identite', tinyPdf('nouvelle'), old.id);
    expect(res.statusCode).toBe(201);
    const fresh = res.json<DocumentInfo>();
    expect(fresh).toMatchObject({ late: false, bytes: tinyPdf('nouvelle').length });
    expect(await idsOf('identite')).toEqual([fresh.id]);
    expectProblem(await get(`/documents/${old.id}/content`), 'not_found');
    expect((await get(`/documents/${fresh.id}/content`)).rawPayload).toEqual(tinyPdf('nouvelle'));
    expect(onDisk()).toEqual({ blobs: new Set([fresh.id]), tmp: [] });
    // The same request again (its answer lost) gives the same document back, changing nothing.
    const again = await replace('identite', tinyPdf('nouvelle'), old.id);
    expect(again.statusCode).toBe(200);
    expect(again.json<DocumentInfo>()).toEqual(fresh);
    expect(await idsOf('identite')).toEqual([fresh.id]);
  });

  it('replaces only the document named in a piece of several', async () => {
    const first = await upload('diplome', 'licence');
    const second = await upload('diplome', 'master');
    const fresh = (await replace('diplome', tinyPdf('licence nette'), first.id)).json<DocumentInfo>();
    expect(await idsOf('diplome')).toEqual([second.id, fresh.id]);
  });

  it('answers 404 replaced_not_found for an unknown document or one of another dossier, and keeps nothing', async () => {
    const mine = await upload('identite', 'mienne');
    const paul = await t.login('T-002');
    const his = await upload('identite', 'la sienne', paul);
    expectProblem(await replace('identite', tinyPdf('x'), 'inconnu'), 'replaced_not_found');
    expectProblem(await replace('identite', tinyPdf('x'), his.id), 'replaced_not_found');
    expect(await idsOf('identite')).toEqual([mine.id]);
    expect((await dossier(paul)).pieces.find((p) => p.id === 'identite')!.documents.map((d) => d.id)).toEqual([his.id]);
    expect(onDisk()).toEqual({ blobs: new Set([mine.id, his.id]), tmp: [] });
  });

  it('answers 409 already_stored for bytes already in the piece while the old document is still there', async () => {
    const first = await upload('diplome', 'licence');
    const second = await upload('diplome', 'master');
    expectProblem(await replace('diplome', tinyPdf('licence'), second.id), 'already_stored');
    expectProblem(await replace('diplome', tinyPdf('master'), second.id), 'already_stored');
    expect(await idsOf('diplome')).toEqual([first.id, second.id]);
    expect(onDisk()).toEqual({ blobs: new Set([first.id, second.id]), tmp: [] });
  });

  it('answers 409 replaced_other_piece for a document of another piece of the same dossier', async () => {
    const identity = await upload('identite', 'carte');
    const diploma = await upload('diplome', 'licence');
    expectProblem(await replace('identite', tinyPdf('x'), diploma.id), 'replaced_other_piece');
    expect(await idsOf('identite')).toEqual([identity.id]);
    expect(await idsOf('diplome')).toEqual([diploma.id]);
  });

  it('is refused past the deadline on an open dossier (403 deadline_passed): the old one stays', async () => {
    const old = await upload('identite', 'ancienne');
    t.clock.set('2027-04-28T10:00:00Z');
    token = await t.login();
    expectProblem(await replace('identite', tinyPdf('nouvelle'), old.id), 'deadline_passed');
    expect(await idsOf('identite')).toEqual([old.id]);
  });

  it('after closure: refused without a correction (409 dossier_closed), even on a piece that takes late documents', async () => {
    const old = await upload('identite', 'ancienne');
    await upload('diplome', 'licence');
    const late = await upload('etat-services', 'etat');
    await closeDossier();
    expectProblem(await replace('identite', tinyPdf('nouvelle'), old.id), 'dossier_closed');
    expectProblem(await replace('etat-services', tinyPdf('etat 2'), late.id), 'dossier_closed');
    expect(await idsOf('identite')).toEqual([old.id]);
    expect(await idsOf('etat-services')).toEqual([late.id]);
  });

  it('after closure, on a piece asked for correction: the new document is late, the review back to null, the receipt unchanged', async () => {
    const old = await upload('identite', 'ancienne');
    await upload('diplome', 'licence');
    await closeDossier();
    const receipt = (await get('/receipt')).body;
    await askCorrection('identite');
    t.clock.set('2027-06-01T10:00:00Z');
    token = await t.login();
    const res = await replace('identite', tinyPdf('nouvelle'), old.id);
    expect(res.statusCode).toBe(201);
    const fresh = res.json<DocumentInfo>();
    expect(fresh.late).toBe(true);
    const seen = await dossier();
    const piece = seen.pieces.find((p) => p.id === 'identite')!;
    expect(piece.documents.map((d) => d.id)).toEqual([fresh.id]);
    expect(piece.review).toBeNull();
    expect(seen.corrections).toEqual(['identite']);
    expect(seen).toMatchObject({ state: 'closed', closedAt: '2027-04-01T10:00:00.000Z' });
    expect((await get('/receipt')).body).toBe(receipt);
    expect(verifyReceipt(JSON.parse(receipt) as SignedReceipt, t.context.signer.publicKey.publicKey)).toBe(true);
    expect(onDisk().blobs.has(old.id)).toBe(false);
  });

  it('keeps the old document, readable, and leaves no bytes behind when the storage fails before the commit', async () => {
    const old = await upload('identite', 'ancienne');
    const storage = t.context.storage;
    const original = storage.addDocument.bind(storage);
    let reached = false;
    // The new bytes are in their blob folder by now: the failure lands between them and the commit.
    storage.addDocument = async () => {
      reached = true;
      expect(onDisk().blobs.size).toBe(2);
      throw new Error('disk unplugged');
    };
    try {
      const res = await replace('identite', tinyPdf('nouvelle'), old.id);
      expectProblem(res, 'internal_error');
    } finally {
      storage.addDocument = original;
    }
    expect(reached).toBe(true);
    expect(await idsOf('identite')).toEqual([old.id]);
    expect((await get(`/documents/${old.id}/content`)).rawPayload).toEqual(tinyPdf('ancienne'));
    expect(onDisk()).toEqual({ blobs: new Set([old.id]), tmp: [] });
  });
});
