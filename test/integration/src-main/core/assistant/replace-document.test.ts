/**
 * "Remplacer le document" through the real assistant and its send queue, against the companion
 * API as a process behind a proxy that plays the network: a replacement sent offline waits on
 * this computer with the document it replaces, survives the app's restart, and takes that
 * document's place once the server answers; the old one stays until then.
 */
import { createHash } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../../../src-main/core/assistant';
import type { Dossier } from '../../../../../src-shared/contract';
import { assistantWithSealedSession, distinctJpeg, prepareFile } from '../../../../support/assistant-harness';
import { startFaultProxy, type FaultProxy } from '../../../../support/fault-proxy';
import { startDemoApi, type RunningApi } from '../../../../support/processes';
import { DEMO_MAI, DEMO_PAUL } from '../../../../support/demo';

let data: string;
let api: RunningApi;
let proxy: FaultProxy;
const assistants: Assistant[] = [];

beforeAll(async () => {
  data = await mkdtemp(path.join(os.tmpdir(), 'replace-queue-'));
  api = await startDemoApi(path.join(data, 'api'));
  proxy = await startFaultProxy(Number(new URL(api.url).port));
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

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const cvOf = (dossier: Dossier) => dossier.pieces.find((p) => p.id === 'cv')!.documents;

describe('replacing a document through the send queue', () => {
  it('offline, then the app restarted: the replacement keeps what it replaces and takes its place once online', async () => {
    const workspace = await mkdtemp(path.join(data, 'ws-'));
    const first = newAssistant(workspace);
    await first.login(DEMO_MAI);
    const old = await first.sendPrepared({ preparedId: await prepareFile(first, 'cv', await distinctJpeg()) });
    const bytes = await distinctJpeg();
    const preparedId = await prepareFile(first, 'cv', bytes);

    proxy.down();
    await expect(first.sendPrepared({ preparedId, replaces: old.id })).rejects.toMatchObject({ code: 'upload_queued' });
    expect((await first.listQueue({})).items.find((i) => i.id === preparedId)).toMatchObject({ state: 'pending', replaces: old.id });
    await first.shutdown();

    // The next run, still without network: the item waits with what it replaces.
    const second = newAssistant(workspace);
    await second.ready;
    expect((await second.listQueue({})).items.find((i) => i.id === preparedId)).toMatchObject({ state: 'pending', replaces: old.id });
    proxy.up();
    await expect.poll(async () => (await second.listQueue({})).items.find((i) => i.id === preparedId)?.state, { timeout: 10_000 }).toBe('sent');
    const cv = cvOf(await second.getDossier({}));
    expect(cv.map((d) => d.sha256)).toEqual([sha(bytes)]);
    expect(cv[0]!.id).not.toBe(old.id);
  });

  it('online: one step, the full one-document piece holds the new document only', async () => {
    const assistant = newAssistant(await mkdtemp(path.join(data, 'ws-')));
    await assistant.login(DEMO_PAUL);
    const old = await assistant.sendPrepared({ preparedId: await prepareFile(assistant, 'cv', await distinctJpeg()) });
    const bytes = await distinctJpeg();
    // Without `replaces` the full piece refuses it, and the old document stays.
    await expect(assistant.sendPrepared({ preparedId: await prepareFile(assistant, 'cv', bytes) })).rejects.toMatchObject({ code: 'piece_full' });
    const sent = await assistant.sendPrepared({ preparedId: await prepareFile(assistant, 'cv', bytes), replaces: old.id });
    expect(cvOf(await assistant.getDossier({}))).toEqual([sent]);
    // A replacement of a document already gone is refused for good, with its reason.
    const preparedId = await prepareFile(assistant, 'cv', await distinctJpeg());
    await expect(assistant.sendPrepared({ preparedId, replaces: old.id })).rejects.toMatchObject({ code: 'replaced_not_found' });
    expect((await assistant.listQueue({})).items.find((i) => i.id === preparedId)).toMatchObject({ state: 'refused', replaces: old.id });
    expect(cvOf(await assistant.getDossier({}))).toEqual([sent]);
  });
});
