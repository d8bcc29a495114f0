/**
 * Closing through the assistant against the real companion API: the receipt is kept in the
 * dossier's folder with its PDF, verified with the server's key, still shown offline, and a
 * tampered copy is flagged.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant, type Assistant } from '../../../../src-main/core/assistant';
import { dossierDir } from '../../../../src-main/core/workspace';
import { passThroughEngine } from '../../../support/assistant-harness';
import { DEMO_MAI } from '../../../support/demo';
import { startFaultProxy, type FaultProxy } from '../../../support/fault-proxy';
import { startDemoApi, type RunningApi } from '../../../support/processes';

let api: RunningApi;
let proxy: FaultProxy;
let assistant: Assistant;
let workspace: string;
const saved: { name: string; bytes: Uint8Array }[] = [];

beforeAll(async () => {
  const data = await mkdtemp(path.join(os.tmpdir(), 'desktop-receipt-'));
  api = await startDemoApi(path.join(data, 'api'));
  proxy = await startFaultProxy(Number(new URL(api.url).port));
  workspace = path.join(data, 'ws');
  assistant = createAssistant({
    apiUrl: proxy.url,
    workspaceDir: workspace,
    engine: passThroughEngine,
    saveFile: async (name, bytes) => (saved.push({ name, bytes }), true),
  });
});

afterAll(async () => {
  await assistant?.shutdown();
  await proxy?.close();
  await api?.stop();
});

async function send(pieceId: string, shade: number) {
  const bytes = new Uint8Array(
    await sharp({ create: { width: 32, height: 32, channels: 3, background: { r: shade, g: 10, b: 10 } } }).jpeg().toBuffer(),
  );
  const { sourceId } = await assistant.inspectFiles({ files: [{ name: `${pieceId}.jpg`, bytes }] });
  const prepared = await assistant.prepareDocument({ pieceId, sourceId });
  return assistant.sendPrepared({ preparedId: prepared.id });
}

describe('the closure receipt on this computer', () => {
  it('is kept with its PDF after closing, and verified with the server key', async () => {
    await assistant.login(DEMO_MAI);
    await send('identite', 1);
    await send('diplome', 2);
    await send('etat-services', 3);
    const closure = await assistant.closeDossier({});
    const folder = dossierDir(workspace, DEMO_MAI.dossier);
    expect(JSON.parse(await readFile(path.join(folder, 'receipt.json'), 'utf8'))).toEqual(closure.receipt);
    expect((await readFile(path.join(folder, 'receipt.pdf'))).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(existsSync(path.join(workspace, 'receipt-keys.json'))).toBe(true);
    const receipt = await assistant.getReceipt({});
    expect(receipt.verified).toBe(true);
    expect(receipt.receipt.documents).toHaveLength(3);
  });

  it('saves the PDF where the person chooses', async () => {
    const result = await assistant.saveReceiptPdf({});
    expect(result).toMatchObject({ outcome: 'saved', filename: `accuse-de-cloture-${DEMO_MAI.dossier}.pdf`, bytes: null });
    expect(Buffer.from(saved[0]!.bytes.subarray(0, 5)).toString('latin1')).toBe('%PDF-');
  });

  it('offline, answers the kept receipt and PDF; a tampered copy is flagged, not trusted', async () => {
    proxy.down();
    try {
      expect((await assistant.getReceipt({})).verified).toBe(true);
      expect((await assistant.saveReceiptPdf({})).outcome).toBe('saved');
      const file = path.join(dossierDir(workspace, DEMO_MAI.dossier), 'receipt.json');
      const kept = JSON.parse(await readFile(file, 'utf8'));
      kept.receipt.closedAt = '2020-01-01T00:00:00.000Z';
      await writeFile(file, JSON.stringify(kept));
      const tampered = await assistant.getReceipt({});
      expect(tampered.verified).toBe(false);
      expect(tampered.receipt.closedAt).toBe('2020-01-01T00:00:00.000Z');
    } finally {
      proxy.up();
    }
  });
});
