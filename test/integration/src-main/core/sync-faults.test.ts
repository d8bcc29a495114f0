/**
 * The send queue under faults, against the real companion API as a process (killed and
 * restarted on the same data folder and port) behind a proxy that plays the network: server
 * down, server killed mid-upload, answer lost after the server stored the document, the app
 * restarted mid-queue, the same send twice. Every prepared document ends on the server
 * exactly once.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../../src-main/core/assistant';
import type { Dossier } from '../../../../src-shared/contract';
import { assistantWithSealedSession, distinctJpeg, prepareFile } from '../../../support/assistant-harness';
import { startFaultProxy, type FaultProxy } from '../../../support/fault-proxy';
import { startDemoApi, type RunningApi } from '../../../support/processes';
import { DEMO_LEA, DEMO_MAI, DEMO_PAUL } from '../../../support/demo';

let data: string;
let api: RunningApi;
let port: number;
let proxy: FaultProxy;
const assistants: Assistant[] = [];

async function startApi(): Promise<RunningApi> {
  return startDemoApi(path.join(data, 'api'), port);
}

beforeAll(async () => {
  data = await mkdtemp(path.join(os.tmpdir(), 'sync-faults-'));
  port = 0;
  api = await startApi();
  port = Number(new URL(api.url).port);
  proxy = await startFaultProxy(port);
});

afterAll(async () => {
  await Promise.all(assistants.map((a) => a.shutdown()));
  await proxy?.close();
  await api?.stop();
});

function newAssistant(workspaceDir: string): Assistant {
  const assistant = assistantWithSealedSession({ apiUrl: proxy.url, workspaceDir, queue: { baseDelayMs: 100, maxDelayMs: 400 } });
  assistants.push(assistant);
  return assistant;
}

function copiesOf(dossier: Dossier, sha256: string): number {
  return dossier.pieces.flatMap((p) => p.documents).filter((d) => d.sha256 === sha256).length;
}

const sha = (bytes: Uint8Array) => import('node:crypto').then((c) => c.createHash('sha256').update(bytes).digest('hex'));

async function restartApi(): Promise<void> {
  await api.stop('SIGKILL');
  api = await startApi();
}

describe('the send queue under faults', () => {
  it('server down: the document waits, closure is refused plainly, then it goes by itself', async () => {
    const assistant = newAssistant(await mkdtemp(path.join(data, 'ws-')));
    await assistant.login(DEMO_LEA);
    const bytes = await distinctJpeg();
    const preparedWhileUp = await prepareFile(assistant, 'diplome', bytes);
    proxy.down();
    // Offline, the candidate can still prepare everything.
    const other = await distinctJpeg();
    const preparedOffline = await prepareFile(assistant, 'etat-services', other);
    await expect(assistant.sendPrepared({ preparedId: preparedWhileUp })).rejects.toMatchObject({ code: 'upload_queued' });
    await expect(assistant.sendPrepared({ preparedId: preparedOffline })).rejects.toMatchObject({ code: 'upload_queued' });
    const waiting = await assistant.listQueue({});
    expect(waiting.pending).toBe(2);
    expect(waiting.items[0]!.error?.code).toBe('network_unavailable');
    await expect(assistant.closeDossier({})).rejects.toMatchObject({ code: 'uploads_pending' });
    proxy.up();
    await expect.poll(async () => (await assistant.listQueue({})).pending, { timeout: 10_000 }).toBe(0);
    const dossier = await assistant.getDossier({});
    expect(copiesOf(dossier, await sha(bytes))).toBe(1);
    expect(copiesOf(dossier, await sha(other))).toBe(1);
    expect(dossier.state).toBe('open');
  });

  it('server killed mid-upload and restarted: the document arrives once', async () => {
    const assistant = newAssistant(await mkdtemp(path.join(data, 'ws-')));
    await assistant.login(DEMO_PAUL);
    const bytes = await distinctJpeg(true);
    expect(bytes.byteLength).toBeGreaterThan(1_000_000);
    const preparedId = await prepareFile(assistant, 'diplome', bytes);
    let restarted: Promise<void> | undefined;
    proxy.onUpstreamBytes = { after: 300_000, run: () => void (restarted = restartApi()) };
    const outcome = await assistant.sendPrepared({ preparedId }).then(
      (doc) => ({ doc }),
      (error: { code: string }) => ({ code: error.code }),
    );
    expect(restarted).toBeDefined();
    await restarted;
    if ('code' in outcome) expect(outcome.code).toBe('upload_queued');
    await expect.poll(async () => (await assistant.listQueue({})).pending, { timeout: 15_000 }).toBe(0);
    expect(copiesOf(await assistant.getDossier({}), await sha(bytes))).toBe(1);
  });

  it('answer lost after the server stored it: the retry gets the same document, no copy', async () => {
    const assistant = newAssistant(await mkdtemp(path.join(data, 'ws-')));
    await assistant.login(DEMO_MAI);
    const bytes = await distinctJpeg();
    const preparedId = await prepareFile(assistant, 'identite', bytes);
    // identite holds one document only: a retry answered as a new upload would be piece_full.
    proxy.cutUploadAnswers = 1;
    const document = await assistant.sendPrepared({ preparedId }).catch(async (error: { code: string }) => {
      expect(error.code).toBe('upload_queued');
      await expect.poll(async () => (await assistant.listQueue({})).pending, { timeout: 10_000 }).toBe(0);
      return (await assistant.listQueue({})).items[0]!.document!;
    });
    expect(proxy.cutUploadAnswers).toBe(0);
    const dossier = await assistant.getDossier({});
    expect(copiesOf(dossier, await sha(bytes))).toBe(1);
    expect(dossier.pieces.find((p) => p.id === 'identite')!.documents[0]!.id).toBe(document.id);
  });

  it('app restarted mid-queue: the next run takes the kept session up and sends what waited', async () => {
    const workspace = await mkdtemp(path.join(data, 'ws-'));
    const first = newAssistant(workspace);
    await first.login(DEMO_LEA);
    const bytes = await distinctJpeg();
    const preparedId = await prepareFile(first, 'etat-services', bytes);
    proxy.down();
    await expect(first.sendPrepared({ preparedId })).rejects.toMatchObject({ code: 'upload_queued' });
    await first.shutdown();
    proxy.up();
    const second = newAssistant(workspace);
    await second.ready;
    await expect.poll(async () => (await second.listQueue({})).items.find((i) => i.id === preparedId)?.state, { timeout: 10_000 }).toBe('sent');
    expect(copiesOf(await second.getDossier({}), await sha(bytes))).toBe(1);
  });

  it('app restarted without network: the kept dossier lets the candidate prepare, the queue sends later', async () => {
    const workspace = await mkdtemp(path.join(data, 'ws-'));
    const first = newAssistant(workspace);
    const beforeLogin = Date.now();
    const online = await first.login(DEMO_LEA);
    const afterLogin = Date.now();
    expect(online.offlineCopy).toBeNull();
    await first.shutdown();
    proxy.down();
    const second = newAssistant(workspace);
    await second.ready;
    const offline = await second.getDossier({});
    expect(offline.dossier).toBe(DEMO_LEA.dossier);
    // The UI is told it shows a copy, and from when (the moment of the last answer).
    const readAt = new Date(offline.offlineCopy!.readAt).getTime();
    expect(readAt).toBeGreaterThanOrEqual(beforeLogin);
    expect(readAt).toBeLessThanOrEqual(afterLogin);
    // Closing needs the server: refused with the reason, not as a mere network failure.
    await expect(second.closeDossier({})).rejects.toMatchObject({ code: 'close_needs_connection' });
    const bytes = await distinctJpeg();
    const preparedId = await prepareFile(second, 'etat-services', bytes);
    await expect(second.sendPrepared({ preparedId })).rejects.toMatchObject({ code: 'upload_queued' });
    proxy.up();
    await expect.poll(async () => (await second.listQueue({})).items.find((i) => i.id === preparedId)?.state, { timeout: 10_000 }).toBe('sent');
    const back = await second.getDossier({});
    expect(back.offlineCopy).toBeNull();
    expect(copiesOf(back, await sha(bytes))).toBe(1);
  });

  it('the same send twice, and the same bytes prepared twice, make one document', async () => {
    const assistant = newAssistant(await mkdtemp(path.join(data, 'ws-')));
    await assistant.login(DEMO_PAUL);
    const bytes = await distinctJpeg();
    const preparedId = await prepareFile(assistant, 'etat-services', bytes);
    const [a, b] = await Promise.all([assistant.sendPrepared({ preparedId }), assistant.sendPrepared({ preparedId })]);
    expect(a.id).toBe(b.id);
    const again = await assistant.sendPrepared({ preparedId });
    expect(again.id).toBe(a.id);
    const twin = await prepareFile(assistant, 'etat-services', bytes);
    expect((await assistant.sendPrepared({ preparedId: twin })).id).toBe(a.id);
    expect(copiesOf(await assistant.getDossier({}), await sha(bytes))).toBe(1);
  });
});
