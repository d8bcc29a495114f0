/**
 * The assistant as combined from its handler maps: every method of the table is there, a
 * failed call is logged with its method and code (the answer itself unchanged), and the same
 * send asked twice at once is one send.
 */
import { mkdtemp } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ASSISTANT_METHOD_NAMES } from '../../../../src-shared/assistant-api';
import { createLogBook, type LogBook } from '../../../../src-shared/log';
import { createAssistant, type Assistant } from '../../../../src-main/core/assistant';
import { passThroughEngine } from '../../../support/assistant-harness';

let assistant: Assistant | undefined;
afterEach(async () => {
  await assistant?.shutdown();
  assistant = undefined;
});

// Nothing listens there: no call reaches a server.
async function make(log: LogBook, engine = passThroughEngine, apiUrl = 'http://127.0.0.1:9'): Promise<Assistant> {
  const workspaceDir = await mkdtemp(path.join(os.tmpdir(), 'assistant-'));
  assistant = createAssistant({ apiUrl, workspaceDir, engine, log, apiTimeoutMs: 500 });
  await assistant.ready;
  return assistant;
}

describe('the assistant from its handler maps', () => {
  it('serves every method of the table', async () => {
    const a = await make(createLogBook());
    expect(ASSISTANT_METHOD_NAMES.filter((name) => typeof a[name] !== 'function')).toEqual([]);
  });

  it('logs a refusal with its method and code, a routine one as information only', async () => {
    const lines: string[] = [];
    const a = await make(createLogBook({ write: (line) => lines.push(line) }));
    await expect(a.updateSettings({ counterMode: true })).rejects.toMatchObject({ code: 'staff_code_required' });
    await expect(a.getDossier({})).rejects.toMatchObject({ code: 'not_logged_in' });
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries).toEqual([
      expect.objectContaining({ level: 'warn', event: 'assistant.failed', method: 'updateSettings', code: 'staff_code_required' }),
      expect.objectContaining({ level: 'info', event: 'assistant.refused', method: 'getDossier', code: 'not_logged_in' }),
    ]);
  });

  it('logs a fault that is not an AppError by its class, and answers it unchanged', async () => {
    const log = createLogBook();
    const fault = new TypeError('/home/lea/diplome.pdf');
    const a = await make(log, { ...passThroughEngine, inspect: async () => Promise.reject(fault) });
    await expect(a.inspectFiles({ files: [{ name: 'diplome.pdf', bytes: new Uint8Array([1]) }] })).rejects.toBe(fault);
    expect(log.recent()).toEqual([
      expect.objectContaining({ level: 'error', event: 'assistant.unexpected', method: 'inspectFiles', code: 'internal_error', errorName: 'TypeError' }),
    ]);
    expect(JSON.stringify(log.recent())).not.toContain('diplome');
  });

  it('draws the corner editor picture from the chosen file the page comes from', async () => {
    const asked: { name: string; page: number; longSide: number }[] = [];
    const a = await make(createLogBook(), {
      ...passThroughEngine,
      picture: async ({ file, page, longSide }) => {
        asked.push({ name: file.name, page, longSide });
        return { picture: file.bytes, width: 3, height: 4 };
      },
    });
    const files = [
      { name: 'recto.jpg', bytes: new Uint8Array([1]) },
      { name: 'verso.jpg', bytes: new Uint8Array([2]) },
    ];
    const { sourceId } = await a.inspectFiles({ files });
    const drawn = await a.pagePicture({ sourceId, file: 1, page: 0, longSide: 1600 });
    expect(asked).toEqual([{ name: 'verso.jpg', page: 0, longSide: 1600 }]);
    expect([...drawn.picture]).toEqual([2]);
    await expect(a.pagePicture({ sourceId, file: 2, page: 0, longSide: 1600 })).rejects.toMatchObject({ code: 'validation_failed' });
  });

  it('answers the same send asked twice at once with the same promise', async () => {
    const a = await make(createLogBook());
    const first = a.sendPrepared({ preparedId: 'p1' });
    const second = a.sendPrepared({ preparedId: 'p1' });
    expect(second).toBe(first);
    await expect(first).rejects.toMatchObject({ code: 'not_logged_in' });
    // Once settled, a new ask is a new send.
    const third = a.sendPrepared({ preparedId: 'p1' });
    expect(third).not.toBe(first);
    await expect(third).rejects.toMatchObject({ code: 'not_logged_in' });
  });

  it("logs a server's answer that does not match the route table, by route and status only", async () => {
    const server = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"now":"Léa Martin"}'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const log = createLogBook();
      const a = await make(log, passThroughEngine, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
      await expect(a.getServerTime({})).rejects.toMatchObject({ code: 'unexpected_answer' });
      expect(log.recent()).toContainEqual(expect.objectContaining({ level: 'warn', event: 'api.unexpected_answer', route: 'time', status: 200 }));
      expect(JSON.stringify(log.recent())).not.toContain('Léa');
    } finally {
      server.close();
    }
  });
});
