/**
 * The support report through the real assistant against the real companion API, after the
 * network went down mid-way: it says where the queue stands and which failures happened, with
 * their codes, and holds nothing of the person (dossier number, names, token, file names).
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Assistant } from '../../../../../src-main/core/assistant';
import { createFileLog } from '../../../../../src-main/core/log-file';
import { memorySessionKeeper, type SavedSession } from '../../../../../src-main/core/session-keeper';
import { createAssistant } from '../../../../../src-main/core/assistant';
import { distinctJpeg, passThroughEngine, prepareFile } from '../../../../support/assistant-harness';
import { DEMO_LEA, DEMO_PEOPLE } from '../../../../support/demo';
import { startFaultProxy, type FaultProxy } from '../../../../support/fault-proxy';
import { startDemoApi, type RunningApi } from '../../../../support/processes';

let data: string;
let api: RunningApi;
let proxy: FaultProxy;
let assistant: Assistant | undefined;

beforeAll(async () => {
  data = await mkdtemp(path.join(os.tmpdir(), 'support-report-'));
  api = await startDemoApi(path.join(data, 'api'));
  proxy = await startFaultProxy(Number(new URL(api.url).port));
});

afterAll(async () => {
  await assistant?.shutdown();
  await proxy?.close();
  await api?.stop();
});

describe('the support report', () => {
  it('gives versions, queue counts and the last failures with their codes, and nothing personal', async () => {
    const logDir = path.join(data, 'logs');
    const log = createFileLog({ dir: logDir });
    const saved: SavedSession[] = [];
    const keeper = memorySessionKeeper();
    assistant = createAssistant({
      apiUrl: proxy.url,
      workspaceDir: path.join(data, 'workspace'),
      engine: passThroughEngine,
      log,
      appVersion: '9.8.7',
      queue: { baseDelayMs: 60_000, maxDelayMs: 60_000 },
      sessions: {
        load: () => keeper.load(),
        save: async (session) => {
          if (session) saved.push(session);
          await keeper.save(session);
        },
      },
    });
    await assistant.login(DEMO_LEA);
    await assistant.sendPrepared({ preparedId: await prepareFile(assistant, 'identite', await distinctJpeg()) });
    const waiting = await prepareFile(assistant, 'diplome', await distinctJpeg());
    const filenames = (await assistant.listQueue({})).items.map((i) => i.filename);
    proxy.down();
    try {
      await expect(assistant.sendPrepared({ preparedId: waiting })).rejects.toMatchObject({ code: 'upload_queued' });
      await expect(assistant.deleteDocument({ documentId: 'x' })).rejects.toMatchObject({ code: 'network_unavailable' });
      // Was swallowed in silence before: the server could not be told of the logout.
      await assistant.logout({});
    } finally {
      proxy.up();
    }

    const report = await assistant.supportReport({});
    expect(report.appVersion).toBe('9.8.7');
    expect(report.runtimes.node).toBe(process.versions.node);
    expect(report.os.arch).toBe(os.arch());
    expect(report.counterMode).toBe(false);
    // Logged out: the open queue is gone, its waiting document counted under another dossier.
    expect(report.queue).toEqual({ pending: 0, sent: 0, refused: 0, pendingOtherDossiers: 1 });
    const said = report.recent.map((e) => `${e.event}:${e.code}`);
    expect(said).toEqual(
      expect.arrayContaining(['assistant.failed:upload_queued', 'assistant.failed:network_unavailable', 'session.logout_failed:network_unavailable']),
    );
    expect(report.text).toContain('Version de l\'application : 9.8.7');
    expect(report.text).toContain('session.logout_failed (network_unavailable)');

    const lea = DEMO_PEOPLE.lea;
    const secrets = [lea.dossier, lea.firstName, lea.lastName, lea.password, ...saved.map((s) => s.token), ...filenames];
    expect(saved.length).toBeGreaterThan(0);
    expect(filenames.length).toBeGreaterThan(0);
    const logText = await readFile(log.file, 'utf8');
    for (const secret of secrets) {
      expect(JSON.stringify(report)).not.toContain(secret);
      expect(logText).not.toContain(secret);
    }
  });

  it('while logged in, counts the open queue by state', async () => {
    await assistant!.login(DEMO_LEA);
    const report = await assistant!.supportReport({});
    expect(report.queue.sent + report.queue.pending).toBeGreaterThan(0);
    expect(report.queue.pendingOtherDossiers).toBe(0);
  });
});
