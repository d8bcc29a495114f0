/**
 * "Nouveau candidat" through the real assistant (durable send queue, kept session) against the
 * real companion API behind a proxy that can cut the network: nothing unsent is dropped without
 * the staff saying so, and once the wipe is done the workspace holds nothing of the candidate.
 */
import { mkdtemp, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAssistant, type Assistant } from '../../src-main/core/assistant';
import type { Engine, NormaliseRequest } from '../../src-main/core/engine';
import { sealedSessionFile, type SecretBox } from '../../src-main/core/session-keeper';
import { JPEG_SOI, PDF_MAGIC, text, tracesUnder } from '../support/counter-traces';
import { startFaultProxy, type FaultProxy } from '../support/fault-proxy';
import { startNode, type Running } from '../support/processes';

let data: string;
let api: Running;
let proxy: FaultProxy;
const assistants: Assistant[] = [];

beforeAll(async () => {
  data = await mkdtemp(path.join(os.tmpdir(), 'counter-assistant-'));
  api = await startNode('dist/server/cli.js', ['--demo', '--port', '0', '--data', path.join(data, 'api')], /listening (http:\/\/\S+)/);
  proxy = await startFaultProxy(Number(new URL(api.match[1]!).port));
});

afterAll(async () => {
  await Promise.all(assistants.map((a) => a.shutdown()));
  await proxy?.close();
  await api?.stop();
});

/** The engine is not under test: it hands back the JPEG it is given. */
const passThroughEngine: Engine = {
  inspect: async (files) => files.map((_f, i) => ({ file: i, page: 0, width: 1, height: 1, thumbnail: new Uint8Array() })),
  normalise: async (request: NormaliseRequest) =>
    ({
      bytes: request.files[0]!.bytes,
      mediaType: 'image/jpeg',
      filename: request.files[0]!.name,
      pages: 1,
      summary: 'tel quel',
    }) as never,
  close: async () => undefined,
};

/** Stands in for the OS key store: the sealed session is on disk, as in the desktop app. */
const testBox: SecretBox = {
  isAvailable: () => true,
  seal: (plain) => new Uint8Array(Buffer.from(plain).reverse()),
  open: (sealed) => Buffer.from(sealed).reverse().toString(),
};

function counterAssistant(workspaceDir: string): Assistant {
  const assistant = createAssistant({
    apiUrl: proxy.url,
    workspaceDir,
    engine: passThroughEngine,
    sessions: sealedSessionFile(path.join(workspaceDir, 'session.sealed'), testBox),
    queue: { baseDelayMs: 100, maxDelayMs: 300 },
    counter: { overrides: { enabled: true } },
  });
  assistants.push(assistant);
  return assistant;
}

let shade = 0;
async function jpeg(): Promise<Uint8Array> {
  shade++;
  const image = sharp({ create: { width: 64, height: 64, channels: 3, background: { r: shade * 20, g: 40, b: 90 } } });
  return new Uint8Array(await image.jpeg().toBuffer());
}

async function prepare(assistant: Assistant, pieceId: string): Promise<string> {
  const { sourceId } = await assistant.inspectFiles({ files: [{ name: `scan-${shade}.jpg`, bytes: await jpeg() }] });
  return (await assistant.prepareDocument({ pieceId, sourceId })).id;
}

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
    await assistant.login({ dossier: 'DEMO-00001', password: 'demo-lea-2027' });
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
    const again = await assistant.login({ dossier: 'DEMO-00001', password: 'demo-lea-2027' });
    expect(again.pieces.find((p) => p.id === 'diplome')!.documents).toHaveLength(1);
    expect(await assistant.newCandidate({})).toEqual({ wiped: true });
    expect(await tracesUnder(workspace, needles('DEMO-00001', 'Léa', 'Martin'))).toEqual([]);
  });

  it('counts what a candidate who logged out left unsent, and wipes it only when told to', async () => {
    const workspace = await mkdtemp(path.join(data, 'ws-'));
    const assistant = counterAssistant(workspace);
    await assistant.login({ dossier: 'DEMO-00002', password: 'demo-paul-2027' });
    const preparedId = await prepare(assistant, 'diplome');
    proxy.down();
    try {
      await expect(assistant.sendPrepared({ preparedId })).rejects.toMatchObject({ code: 'upload_queued' });
      await assistant.logout({});
      expect(await assistant.newCandidate({ waitMs: 200 })).toEqual({ wiped: false, pendingSends: 1 });
      expect(await assistant.newCandidate({ force: true })).toEqual({ wiped: true });
      expect(await tracesUnder(workspace, needles('DEMO-00002', 'Paul', 'Durand'))).toEqual([]);
      expect((await assistant.counterStatus({})).pendingSends).toBe(0);
    } finally {
      proxy.up();
    }
  });
});
