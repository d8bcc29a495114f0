/**
 * The app's process killed outright (SIGKILL: a crash, a power cut, the task manager) while a
 * document is on its way, then started again on the same data folder: the document reaches
 * the server exactly once. The app is the real browser-host process with its real engine,
 * the server the real companion API process, and a proxy between them picks the moment.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Dossier } from '../../../../src-shared/contract';
import type { AssistantMethodName, MethodInput, MethodOutput } from '../../../../src-shared/assistant-api';
import { fromWire, toWire } from '../../../../src-shared/wire';
import { startFaultProxy, type FaultProxy } from '../../../support/fault-proxy';
import { startDemoApi, startNode, type Running, type RunningApi } from '../../../support/processes';
import { DEMO_LEA } from '../../../support/demo';
import { distinctJpeg } from '../../../support/assistant-harness';

let data: string;
let api: RunningApi;
let proxy: FaultProxy;
let app: Running | undefined;

beforeAll(async () => {
  data = await mkdtemp(path.join(os.tmpdir(), 'app-killed-'));
  api = await startDemoApi(path.join(data, 'api'));
  proxy = await startFaultProxy(Number(new URL(api.url).port));
});

afterEach(async () => {
  await app?.stop();
  app = undefined;
});

afterAll(async () => {
  await proxy?.close();
  await api?.stop();
  await rm(data, { recursive: true, force: true });
});

function startApp(): Promise<Running> {
  return startNode('dist/browser-host/cli.js', ['--api', proxy.url, '--port', '0', '--data', path.join(data, 'app')], /ready (http:\/\/\S+)/);
}

/** One assistant call over the browser host's bridge, as the UI makes it. */
async function call<K extends AssistantMethodName>(running: Running, method: K, input: MethodInput<K>): Promise<MethodOutput<K>> {
  const url = running.match[1]!;
  const response = await fetch(`${url}bridge/${method}`, {
    method: 'POST',
    body: toWire(input),
    headers: { Origin: url.replace(/\/$/, ''), 'X-Assistant-Bridge': '1', 'Content-Type': 'application/json' },
  });
  const result = fromWire(await response.text()) as { ok: true; value: MethodOutput<K> } | { ok: false; error: { code: string } };
  if (!result.ok) throw new Error(`${method}: ${result.error.code}`);
  return result.value;
}

async function prepare(running: Running, pieceId: string): Promise<string> {
  const { sourceId } = await call(running, 'inspectFiles', { files: [{ name: `${pieceId}.jpg`, bytes: await distinctJpeg(true) }] });
  return (await call(running, 'prepareDocument', { pieceId, sourceId })).id;
}

/** How many documents the server holds for a piece (each test sends one, to its own piece). */
async function copiesOnServer(pieceId: string): Promise<number> {
  const login = await fetch(`${api.url}/api/v1/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(DEMO_LEA) });
  const { token } = (await login.json()) as { token: string };
  const dossier = (await (await fetch(`${api.url}/api/v1/dossier`, { headers: { authorization: `Bearer ${token}` } })).json()) as Dossier;
  return dossier.pieces.find((p) => p.id === pieceId)!.documents.length;
}

/** Starts the app again on the same folder, logs in, and waits until its queue is empty. */
async function restartAndDrain(): Promise<void> {
  app = await startApp();
  await call(app, 'login', DEMO_LEA);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const queue = await call(app, 'listQueue', {});
    if (queue.pending === 0) {
      expect(queue.items.every((item) => item.state === 'sent')).toBe(true);
      return;
    }
    if (Date.now() > deadline) throw new Error(`queue still pending: ${JSON.stringify(queue.items.map((i) => i.state))}`);
    await call(app, 'retryQueue', {});
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

/**
 * Starts the app, logs in, prepares a photo for `pieceId` and sends it; `arm` gets the kill
 * and tells the proxy when to use it. Resolves once the app is dead and its call failed.
 */
async function sendAndKill(pieceId: string, arm: (kill: () => Promise<void>) => void): Promise<void> {
  const running = await startApp();
  app = running;
  await call(running, 'login', DEMO_LEA);
  const preparedId = await prepare(running, pieceId);
  const gone = new Promise<void>((resolve) => arm(() => running.stop('SIGKILL').then(() => resolve())));
  const send = call(running, 'sendPrepared', { preparedId }).catch((error: unknown) => error);
  await gone;
  expect(await send).toBeInstanceOf(Error);
}

describe('the app killed while sending', () => {
  it('mid-upload: after a restart the document arrives, once', async () => {
    await sendAndKill('cv', (kill) => {
      proxy.onUpstreamBytes = { after: 200_000, run: kill };
    });
    expect(await copiesOnServer('cv')).toBe(0);

    await restartAndDrain();
    expect(await copiesOnServer('cv')).toBe(1);
  });

  it('after the server stored it, before the app heard: after a restart, still one copy', async () => {
    await sendAndKill('diplome', (kill) => {
      proxy.onUploadAnswer = kill;
    });
    expect(await copiesOnServer('diplome')).toBe(1);

    await restartAndDrain();
    expect(await copiesOnServer('diplome')).toBe(1);
  });
});
