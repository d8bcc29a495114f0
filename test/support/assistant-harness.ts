/**
 * The real assistant (send queue, kept session, workspace) as the integration tests drive it
 * against the companion API: only the document engine and the OS key store are stood in for.
 */
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { createAssistant, type Assistant, type AssistantOptions } from '../../src-main/core/assistant';
import type { Engine, NormaliseRequest } from '../../src-engine';
import { sealedDeviceTokens, sealedSessionFile, type SecretBox } from '../../src-main/core/session-keeper';
import { startFaultProxy, type FaultProxy } from './fault-proxy';
import { startDemoApi, type RunningApi } from './processes';

/** The engine is not under test: it hands back the bytes it is given (already a JPEG). */
export const passThroughEngine: Engine = {
  inspect: async (files) =>
    files.map((_f, i) => ({ file: i, page: 0, width: 1, height: 1, thumbnail: new Uint8Array() })),
  normalise: async (request: NormaliseRequest) =>
    ({
      bytes: request.files[0]!.bytes,
      mediaType: 'image/jpeg',
      filename: request.files[0]!.name,
      pages: 1,
      summary: 'tel quel',
    }) as never,
  picture: async () => ({ picture: new Uint8Array(), width: 1, height: 1 }),
  close: async () => undefined,
};

/** A reversible stand-in for the OS key store (the real one is Electron's safeStorage). */
export const reversingBox: SecretBox = {
  isAvailable: () => true,
  seal: (plain) => new Uint8Array(Buffer.from(plain).reverse()),
  open: (sealed) => Buffer.from(sealed).reverse().toString(),
};

/** An assistant with the pass-through engine, its session and device tokens sealed on disk as on the desktop. */
export function assistantWithSealedSession(
  options: Omit<AssistantOptions, 'engine' | 'sessions' | 'deviceTokens'>,
): Assistant {
  return createAssistant({
    engine: passThroughEngine,
    sessions: sealedSessionFile(path.join(options.workspaceDir, 'session.sealed'), reversingBox),
    deviceTokens: sealedDeviceTokens(path.join(options.workspaceDir, 'device-tokens.sealed'), reversingBox),
    ...options,
  });
}

let made = 0;

/** A valid JPEG unlike every other one made in this process; `noisy` makes it a few megabytes. */
export async function distinctJpeg(noisy = false): Promise<Uint8Array> {
  made++;
  const size = noisy ? 1600 : 64;
  const image = sharp({
    create: {
      width: size,
      height: size,
      channels: 3,
      background: { r: made % 256, g: (made * 7) % 256, b: 90 },
      ...(noisy ? { noise: { type: 'gaussian' as const, mean: 128, sigma: 60 } } : {}),
    },
  });
  return new Uint8Array(await image.jpeg({ quality: 95 }).toBuffer());
}

/** Chooses `bytes` as a file and prepares it for the piece; answers the prepared document's id. */
export async function prepareFile(assistant: Assistant, pieceId: string, bytes: Uint8Array): Promise<string> {
  const { sourceId } = await assistant.inspectFiles({ files: [{ name: `${pieceId}-${made}.jpg`, bytes }] });
  return (await assistant.prepareDocument({ pieceId, sourceId })).id;
}

/**
 * The demo API as a process behind a proxy that plays the network, and the assistants a test
 * makes against it (sealed session, quick queue retries), all stopped by `close`.
 */
export interface ProxiedDemo {
  data: string;
  api: RunningApi;
  proxy: FaultProxy;
  /** A fresh folder for one assistant's workspace, under `data`. */
  workspace(): Promise<string>;
  newAssistant(workspaceDir: string): Assistant;
  close(): Promise<void>;
}

export async function startProxiedDemo(prefix: string): Promise<ProxiedDemo> {
  const data = await mkdtemp(path.join(os.tmpdir(), prefix));
  const api = await startDemoApi(path.join(data, 'api'));
  const proxy = await startFaultProxy(Number(new URL(api.url).port));
  const assistants: Assistant[] = [];
  return {
    data,
    api,
    proxy,
    workspace: () => mkdtemp(path.join(data, 'ws-')),
    newAssistant(workspaceDir) {
      const assistant = assistantWithSealedSession({ apiUrl: proxy.url, workspaceDir, queue: { baseDelayMs: 100, maxDelayMs: 400 } });
      assistants.push(assistant);
      return assistant;
    },
    async close() {
      await Promise.all(assistants.map((a) => a.shutdown()));
      await proxy.close();
      await api.stop();
    },
  };
}
