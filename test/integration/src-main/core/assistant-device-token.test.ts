/**
 * The app's side of the device token (issue 14, item 3; api-contract.md 5.6), through the real
 * assistant against the real companion API: kept sealed between logins and restarts and
 * presented at each login, so that guesses from elsewhere never keep the candidate out; at a
 * counter, forgotten by "Nouveau candidat" with everything else of the candidate.
 */
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../../src-main/core/assistant';
import type { RunningServerWithContext } from '../../../../src-server/server';
import { assistantWithSealedSession } from '../../../support/assistant-harness';
import { recordTokens, text, tracesUnder, type TokenRecorder } from '../../../support/counter-traces';
import { startTestServer } from '../../../support/test-server';

const LEA = { dossier: 'T-001', password: 'secret-lea' };
let root: string;
let server: RunningServerWithContext;
let proxy: TokenRecorder;
const assistants: Assistant[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'device-token-'));
  server = await startTestServer(path.join(root, 'api'));
  proxy = await recordTokens(server.url);
});

afterAll(async () => {
  await Promise.all(assistants.map((a) => a.shutdown()));
  await proxy?.close();
  await server?.close();
  await rm(root, { recursive: true, force: true });
});

function assistantIn(workspaceDir: string, counter = false): Assistant {
  const assistant = assistantWithSealedSession({
    apiUrl: proxy.url,
    workspaceDir,
    ...(counter ? { counter: { overrides: { enabled: true } } } : {}),
  });
  assistants.push(assistant);
  return assistant;
}

/** Someone elsewhere, who knows the dossier number, guessing until the dossier is slowed. */
async function guessUntilThrottled(): Promise<void> {
  for (let i = 0; i < 20; i++) {
    const res = await fetch(`${server.url}/api/v1/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ dossier: LEA.dossier, password: 'a guess' }),
    });
    if (res.status === 429) return;
  }
  throw new Error('never throttled');
}

describe('device token in the app', () => {
  it('is kept sealed across logout and restart, presented at each login, and lets the candidate in during a guessing attack', async () => {
    const workspace = await mkdtemp(path.join(root, 'home-'));
    const first = assistantIn(workspace);
    await first.login(LEA);
    const handedOut = proxy.deviceTokens.at(-1);
    expect(handedOut).toBeDefined();
    await first.logout({});
    await first.shutdown();

    await guessUntilThrottled();
    const restarted = assistantIn(workspace);
    await expect(restarted.login(LEA)).resolves.toMatchObject({ dossier: LEA.dossier });
    expect(proxy.presented.at(-1)).toBe(handedOut);
    // Sealed: the token is nowhere in clear on disk.
    expect(await tracesUnder(workspace, [text('device token', handedOut!)])).toEqual([]);
    await restarted.logout({});
    await server.context.storage.clearLoginThrottle(`candidate:${LEA.dossier}`);
  });

  it('at a counter, "Nouveau candidat" forgets it: the next login on this computer presents none', async () => {
    const workspace = await mkdtemp(path.join(root, 'counter-'));
    const assistant = assistantIn(workspace, true);
    await assistant.login(LEA);
    await assistant.logout({});
    await assistant.login(LEA);
    expect(proxy.presented.at(-1)).toBe(proxy.deviceTokens.at(-2));

    expect(await assistant.newCandidate({})).toEqual({ wiped: true });
    expect(await readdir(workspace)).toEqual([]);
    await assistant.login(LEA);
    expect(proxy.presented.at(-1)).toBeNull();
  });
});
