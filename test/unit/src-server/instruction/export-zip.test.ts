/** The instruction exports (api-contract.md 5.3): ZIP content, names, manifest, receipt, empty, cut mid-way. */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readlinkSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it, afterEach, vi } from 'vitest';
import { verifyReceipt } from '../../../../src-server/receipts';
import type { DocumentInfo, SignedReceipt } from '../../../../src-shared/contract';
import { readZip } from '../../../support/zip';
import { storeDocument } from '../../../support/stored-documents';
import { API, makeTestApp, testCampaign, tinyPdf, type TestApp } from '../../../support/server-helpers';

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('instruction exports', () => {
  let t: TestApp;
  afterEach(async () => {
    await t?.close();
  });

  async function download(url: string, token: string) {
    const res = await t.app.inject({ method: 'GET', url: `${API}${url}`, headers: { authorization: `Bearer ${token}` } });
    return res;
  }

  it('exports a dossier: exact bytes under PIECE-ID/, safe unique names, manifest, signed receipt, PDF receipt', async () => {
    t = await makeTestApp();
    const token = await t.login();
    const named = (name: string) => ({ headers: { 'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(name)}` } });
    const id = (await t.upload(token, 'identite', tinyPdf('identite'), named('CON.pdf'))).json<DocumentInfo>();
    const first = (await t.upload(token, 'diplome', tinyPdf('recto'), named('Scan.pdf'))).json<DocumentInfo>();
    const second = (await t.upload(token, 'diplome', tinyPdf('verso'), named('scan.pdf'))).json<DocumentInfo>();
    const odd = (await t.upload(token, 'diplome', tinyPdf('odd'), named('..\\dipl:ôme*?.pdf'))).json<DocumentInfo>();
    expect((await t.app.inject({ method: 'POST', url: `${API}/closure`, headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(201);

    const instructor = await t.staffLogin('instructeur1');
    const res = await download('/staff/dossiers/T-001/export.zip', instructor);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    expect(res.headers['content-disposition']).toContain('dossier-T-001.zip');
    const entries = await readZip(res.rawPayload);
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(entries.map((e) => e.name).sort()).toEqual(
      ['accuse-de-cloture.pdf', 'diplome/Scan.pdf', 'diplome/dipl_ôme__.pdf', 'diplome/scan (2).pdf', 'identite/_CON.pdf', 'manifest.csv', 'recu.json'].sort(),
    );
    const expected = [
      ['identite/_CON.pdf', id, 'identite'],
      ['diplome/Scan.pdf', first, 'recto'],
      ['diplome/scan (2).pdf', second, 'verso'],
      ['diplome/dipl_ôme__.pdf', odd, 'odd'],
    ] as const;
    for (const [name, doc, label] of expected) {
      const entry = byName.get(name)!;
      expect(entry.method).toBe(0);
      expect(entry.bytes.equals(tinyPdf(label))).toBe(true);
      expect(sha256(entry.bytes)).toBe(doc.sha256);
    }

    const manifest = byName.get('manifest.csv')!.bytes.toString('utf8');
    expect(manifest.startsWith('\uFEFF')).toBe(true);
    const lines = manifest.slice(1).trimEnd().split('\r\n');
    expect(lines[0]).toBe('pièce;fichier;octets;sha256;déposé le;en retard');
    expect(lines).toContain(`diplome;diplome/scan (2).pdf;${second.bytes};${second.sha256};01/04/2027 12:00:00;non`);
    expect(lines).toHaveLength(5);

    const receipt = JSON.parse(byName.get('recu.json')!.bytes.toString('utf8')) as SignedReceipt;
    expect(verifyReceipt(receipt, t.context.signer.publicKey.publicKey)).toBe(true);
    expect(receipt.receipt.documents.map((d) => d.sha256).sort()).toEqual([id, first, second, odd].map((d) => d.sha256).sort());
    expect(byName.get('accuse-de-cloture.pdf')!.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');

    const audit = await download('/staff/audit?dossier=T-001', instructor);
    expect(audit.json<{ entries: { action: string; staff: string }[] }>().entries).toEqual([
      expect.objectContaining({ action: 'export', staff: 'instructeur1' }),
    ]);
  });

  it('exports a campaign by state, one folder per dossier, and an empty one as a valid empty ZIP', async () => {
    t = await makeTestApp({ campaigns: [testCampaign(), testCampaign({ id: 'vide-2027', candidates: [], staff: [{ login: 'instructeur1', role: 'instruction', password: 'secret-instruction' }] })] });
    const lea = await t.login();
    await t.upload(lea, 'identite', tinyPdf('lea'));
    await t.upload(lea, 'diplome', tinyPdf('lea diplome'));
    await t.app.inject({ method: 'POST', url: `${API}/closure`, headers: { authorization: `Bearer ${lea}` } });
    const paul = await t.login('T-002');
    await t.upload(paul, 'identite', tinyPdf('paul'));
    const instructor = await t.staffLogin('instructeur1');

    const closed = await readZip((await download('/staff/campaigns/test-2027/export.zip?state=closed', instructor)).rawPayload);
    expect(closed.map((e) => e.name).sort()).toEqual(
      ['T-001/accuse-de-cloture.pdf', 'T-001/diplome/document.pdf', 'T-001/identite/document.pdf', 'T-001/manifest.csv', 'T-001/recu.json'],
    );
    const open = await readZip((await download('/staff/campaigns/test-2027/export.zip?state=open', instructor)).rawPayload);
    expect(open.map((e) => e.name).sort()).toEqual(['T-002/identite/document.pdf', 'T-002/manifest.csv']);
    expect(open.find((e) => e.name === 'T-002/identite/document.pdf')!.bytes.equals(tinyPdf('paul'))).toBe(true);

    const empty = await download('/staff/campaigns/vide-2027/export.zip', instructor);
    expect(empty.statusCode).toBe(200);
    expect(empty.rawPayload).toHaveLength(22);
    expect(await readZip(empty.rawPayload)).toEqual([]);

    expect((await download('/staff/campaigns/autre/export.zip', instructor)).statusCode).toBe(404);
    expect((await download('/staff/campaigns/test-2027/export.zip?state=lost', instructor)).statusCode).toBe(400);
    expect((await download('/staff/campaigns/test-2027/export.zip', await t.staffLogin())).statusCode).toBe(403);
    const audit = await download('/staff/audit?dossier=T-002', instructor);
    expect(audit.json<{ entries: { action: string }[] }>().entries.map((e) => e.action)).toEqual(['export']);
  });

  it('a download cut mid-way stops reading: no blob left open, nothing left in the data folder', async () => {
    const candidates = Array.from({ length: 16 }, (_, i) => ({
      dossier: `C-${String(i).padStart(3, '0')}`,
      lastName: 'Nom',
      firstName: `Prénom ${i}`,
      password: 'p',
    }));
    t = await makeTestApp({ campaigns: [testCampaign({ candidates })] });
    for (const c of candidates)
      await storeDocument(t.context, { dossier: c.dossier, campaignId: 'test-2027', pieceId: 'identite', filename: 'id.pdf', bytes: randomBytes(4 * 1024 * 1024) });
    const instructor = await t.staffLogin('instructeur1');
    const reads = vi.spyOn(t.context.blobs, 'read');
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const { port } = t.app.server.address() as { port: number };

    const received = await new Promise<number>((resolve, reject) => {
      const req = http.get(
        { host: '127.0.0.1', port, path: `${API}/staff/campaigns/test-2027/export.zip?state=open`, headers: { authorization: `Bearer ${instructor}` } },
        (res) => {
          expect(res.statusCode).toBe(200);
          // A few documents in, the client goes away.
          let bytes = 0;
          res.on('data', (chunk: Buffer) => {
            bytes += chunk.length;
            if (bytes < 2 * 1024 * 1024 || req.destroyed) return;
            req.destroy();
            resolve(bytes);
          });
        },
      );
      req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
    });
    expect(received).toBeGreaterThanOrEqual(2 * 1024 * 1024);

    const blobsDir = path.join(t.dataDir, 'blobs');
    const openBlobFiles = () =>
      readdirSync('/proc/self/fd').flatMap((fd) => {
        try {
          const target = readlinkSync(`/proc/self/fd/${fd}`);
          // The blob store keeps its folders open; a document's file is one level deeper.
          const inBlobs = path.relative(blobsDir, target);
          return !inBlobs.startsWith('..') && inBlobs.split(path.sep).length === 2 ? [target] : [];
        } catch {
          return [];
        }
      });
    for (let i = 0; i < 50 && openBlobFiles().length > 0; i++) await sleep(50);
    expect(openBlobFiles()).toEqual([]);
    const readsAfterCut = reads.mock.calls.length;
    await sleep(300);
    expect(reads.mock.calls.length).toBe(readsAfterCut);
    expect(readsAfterCut).toBeGreaterThanOrEqual(1);
    expect(readsAfterCut).toBeLessThan(candidates.length);
    for (const result of reads.mock.results) expect((result.value as { destroyed: boolean }).destroyed).toBe(true);
    expect(readdirSync(path.join(blobsDir, 'tmp'))).toEqual([]);
    // The server goes on serving.
    expect((await t.app.inject({ method: 'GET', url: `${API}/health` })).statusCode).toBe(200);
  });
});
