/**
 * "Nouveau candidat" through the real assistant (durable send queue, kept session) against the
 * real companion API behind a proxy that can cut the network: nothing unsent is dropped without
 * the staff saying so, and once the wipe is done the workspace holds nothing of the candidate.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../../../src-main/core/assistant';
import { assistantWithSealedSession, distinctJpeg, prepareFile } from '../../../../support/assistant-harness';
import { JPEG_SOI, PDF_MAGIC, text, tracesUnder } from '../../../../support/counter-traces';
import { startFaultProxy, type FaultProxy } from '../../../../support/fault-proxy';
import { startDemoApi, type RunningApi } from '../../../../support/processes';
import { DEMO_LEA, DEMO_PAUL, DEMO_PEOPLE } from '../../../../support/demo';

let data: string;
let api: RunningApi;
let proxy: FaultProxy;
const assistants: Assistant[] = [];

beforeAll(async () => {
  data = await mkdtemp(path.join(os.tmpdir(), 'counter-assistant-'));
  api = await startDemoApi(path.join(data, 'api'));
  proxy = await startFaultProxy(Number(new URL(api.url).port));
});

afterAll(async () => {
  await Promise.all(assistants.map((a) => a.shutdown()));
  await proxy?.close();
  await api?.stop();
});

function counterAssistant(workspaceDir: string): Assistant {
  const assistant = assistantWithSealedSession({
    apiUrl: proxy.url,
    workspaceDir,
    queue: { baseDelayMs: 100, maxDelayMs: 300 },
    counter: { overrides: { enabled: true } },
  });
  assistants.push(assistant);
  return assistant;
}

const prepare = async (assistant: Assistant, pieceId: string) => prepareFile(assistant, pieceId, await distinctJpeg());

const needles = (dossier: string, first: string, last: string) => [
  text('dossier number', dossier),
  text('first name', first),
  text('last name', last),
  JPEG_SOI,
  PDF_MAGIC,
];

describe('"Nouveau candidat" with the real send queue', () => {
  it('waits while a document is queued offline, and wipes once it reached the server', async () => {
    const workspace = await mkdtemp(path.join(data, 'ws-'));
    const assistant = counterAssistant(workspace);
    await assistant.login(DEMO_LEA);
    const preparedId = await prepare(assistant, 'diplome');
    proxy.down();
    await expect(assistant.sendPrepared({ preparedId })).rejects.toMatchObject({ code: 'upload_queued' });

    expect(await assistant.newCandidate({ waitMs: 300 })).toEqual({ wiped: false, pendingSends: 1 });
    expect((await assistant.counterStatus({})).pendingSends).toBe(1);
    expect(await tracesUnder(workspace, [JPEG_SOI])).not.toEqual([]);

    // "Attendre encore": the wipe tries the queue at once rather than at its next retry.
    proxy.up();
    expect(await assistant.newCandidate({ waitMs: 20_000 })).toEqual({ wiped: true });
    expect(await readdir(workspace)).toEqual([]);
    await expect(assistant.getDossier({})).rejects.toMatchObject({ code: 'not_logged_in' });
    expect((await assistant.listQueue({})).items).toEqual([]);

    // The document did reach the server before the wipe.
    const again = await assistant.login(DEMO_LEA);
    expect(again.pieces.find((p) => p.id === 'diplome')!.documents).toHaveLength(1);
    expect(await assistant.newCandidate({})).toEqual({ wiped: true });
    expect(await tracesUnder(workspace, needles(DEMO_PEOPLE.lea.dossier, DEMO_PEOPLE.lea.firstName, DEMO_PEOPLE.lea.lastName))).toEqual([]);
  });

  it('counts what a candidate who logged out left unsent, and wipes it only when told to', async () => {
    const workspace = await mkdtemp(path.join(data, 'ws-'));
    const assistant = counterAssistant(workspace);
    await assistant.login(DEMO_PAUL);
    const preparedId = await prepare(assistant, 'diplome');
    proxy.down();
    try {
      await expect(assistant.sendPrepared({ preparedId })).rejects.toMatchObject({ code: 'upload_queued' });
      await assistant.logout({});
      expect(await assistant.newCandidate({ waitMs: 200 })).toEqual({ wiped: false, pendingSends: 1 });
      expect(await assistant.newCandidate({ force: true })).toEqual({ wiped: true });
      expect(await tracesUnder(workspace, needles(DEMO_PEOPLE.paul.dossier, DEMO_PEOPLE.paul.firstName, DEMO_PEOPLE.paul.lastName))).toEqual([]);
      expect((await assistant.counterStatus({})).pendingSends).toBe(0);
    } finally {
      proxy.up();
    }
  });
});
