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
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../../src-main/core/assistant';
import { createAssistant } from '../../src-main/core/assistant';
import type { Engine, NormaliseRequest } from '../../src-main/core/engine';
import { sealedSessionFile, type SecretBox } from '../../src-main/core/session-keeper';
import type { Dossier } from '../../src-shared/contract';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { startNode, type Running } from '../support/processes';

let data: string;
let api: Running;
let port: number;
let proxy: FaultProxy;
const assistants: Assistant[] = [];

async function startApi(): Promise<Running> {
  return startNode('dist/server/cli.js', ['--demo', '--port', String(port), '--data', path.join(data, 'api')], /listening (http:\/\/\S+)/);
}

beforeAll(async () => {
  data = await mkdtemp(path.join(os.tmpdir(), 'sync-faults-'));
  port = 0;
  api = await startApi();
  port = Number(new URL(api.match[1]!).port);
  proxy = await startFaultProxy(port);
});

afterAll(async () => {
  await Promise.all(assistants.map((a) => a.shutdown()));
  await proxy?.close();
  await api?.stop();
});

/** The engine is not under test here: it hands back the bytes it is given (already JPEG). */
const passThroughEngine: Engine = {
  inspect: async (files) => files.map((_f, i) => ({ file: i, page: 0, width: 1, height: 1, thumbnail: new Uint8Array() })),
  normalise: async (request: NormaliseRequest) => ({
    bytes: request.files[0]!.bytes,
    mediaType: 'image/jpeg',
    filename: request.files[0]!.name,
    pages: 1,
    summary: 'tel quel',
  }) as never,
  close: async () => undefined,
};

/** A reversible stand-in for the OS key store (the real one is Electron's safeStorage). */
const testBox: SecretBox = {
  isAvailable: () => true,
  seal: (plain) => new Uint8Array(Buffer.from(plain).reverse()),
  open: (sealed) => Buffer.from(sealed).reverse().toString(),
};

function newAssistant(workspaceDir: string): Assistant {
  const assistant = createAssistant({
    apiUrl: proxy.url,
    workspaceDir,
    engine: passThroughEngine,
    sessions: sealedSessionFile(path.join(workspaceDir, 'session.sealed'), testBox),
    queue: { baseDelayMs: 100, maxDelayMs: 400 },
  });
  assistants.push(assistant);
  return assistant;
}

let shade = 0;
/** A distinct valid JPEG each time; `noisy` makes it a few megabytes. */
async function jpeg(noisy = false): Promise<Uint8Array> {
  shade++;
  const size = noisy ? 1600 : 64;
  const image = sharp({
    create: {
      width: size,
      height: size,
      channels: 3,
      background: { r: shade % 256, g: (shade * 7) % 256, b: 90 },
      ...(noisy ? { noise: { type: 'gaussian' as const, mean: 128, sigma: 60 } } : {}),
    },
  });
  return new Uint8Array(await image.jpeg({ quality: 95 }).toBuffer());
}

async function prepare(assistant: Assistant, pieceId: string, bytes: Uint8Array): Promise<string> {
  const { sourceId } = await assistant.inspectFiles({ files: [{ name: `${pieceId}-${shade}.jpg`, bytes }] });
  return (await assistant.prepareDocument({ pieceId, sourceId })).id;
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
    await assistant.login({ dossier: 'DEMO-00001', password: 'demo-lea-2027' });
    const bytes = await jpeg();
    const preparedWhileUp = await prepare(assistant, 'diplome', bytes);
    proxy.down();
    // Offline, the candidate can still prepare everything.
    const other = await jpeg();
    const preparedOffline = await prepare(assistant, 'etat-services', other);
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
    await assistant.login({ dossier: 'DEMO-00002', password: 'demo-paul-2027' });
    const bytes = await jpeg(true);
    expect(bytes.byteLength).toBeGreaterThan(1_000_000);
    const preparedId = await prepare(assistant, 'diplome', bytes);
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
    await assistant.login({ dossier: 'DEMO-00003', password: 'demo-mai-2027' });
    const bytes = await jpeg();
    const preparedId = await prepare(assistant, 'identite', bytes);
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
    await first.login({ dossier: 'DEMO-00001', password: 'demo-lea-2027' });
    const bytes = await jpeg();
    const preparedId = await prepare(first, 'etat-services', bytes);
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
    const online = await first.login({ dossier: 'DEMO-00001', password: 'demo-lea-2027' });
    const afterLogin = Date.now();
    expect(online.offlineCopy).toBeNull();
    await first.shutdown();
    proxy.down();
    const second = newAssistant(workspace);
    await second.ready;
    const offline = await second.getDossier({});
    expect(offline.dossier).toBe('DEMO-00001');
    // The UI is told it shows a copy, and from when (the moment of the last answer).
    const readAt = new Date(offline.offlineCopy!.readAt).getTime();
    expect(readAt).toBeGreaterThanOrEqual(beforeLogin);
    expect(readAt).toBeLessThanOrEqual(afterLogin);
    // Closing needs the server: refused with the reason, not as a mere network failure.
    await expect(second.closeDossier({})).rejects.toMatchObject({ code: 'close_needs_connection' });
    const bytes = await jpeg();
    const preparedId = await prepare(second, 'etat-services', bytes);
    await expect(second.sendPrepared({ preparedId })).rejects.toMatchObject({ code: 'upload_queued' });
    proxy.up();
    await expect.poll(async () => (await second.listQueue({})).items.find((i) => i.id === preparedId)?.state, { timeout: 10_000 }).toBe('sent');
    const back = await second.getDossier({});
    expect(back.offlineCopy).toBeNull();
    expect(copiesOf(back, await sha(bytes))).toBe(1);
  });

  it('the same send twice, and the same bytes prepared twice, make one document', async () => {
    const assistant = newAssistant(await mkdtemp(path.join(data, 'ws-')));
    await assistant.login({ dossier: 'DEMO-00002', password: 'demo-paul-2027' });
    const bytes = await jpeg();
    const preparedId = await prepare(assistant, 'etat-services', bytes);
    const [a, b] = await Promise.all([assistant.sendPrepared({ preparedId }), assistant.sendPrepared({ preparedId })]);
    expect(a.id).toBe(b.id);
    const again = await assistant.sendPrepared({ preparedId });
    expect(again.id).toBe(a.id);
    const twin = await prepare(assistant, 'etat-services', bytes);
    expect((await assistant.sendPrepared({ preparedId: twin })).id).toBe(a.id);
    expect(copiesOf(await assistant.getDossier({}), await sha(bytes))).toBe(1);
  });
});
