/**
 * The engine's failures reach the help desk's log through its client: the worker's own reports
 * (a fault only it can name) and what the client sees (a worker that dies, a limit reached).
 */
import { describe, expect, it } from 'vitest';
import { createLogBook } from '../../../src-shared/log';
import { createEngine } from '../../../src-engine';
import type { WorkerReply, WorkerRequest } from '../../../src-engine/protocol';
import { serve } from '../../../src-engine/serve';
import type { WorkerHandle } from '../../../src-engine/spawn';

/** A worker that says it is ready, then does what `onRequest` says with each request. */
function fakeWorker(onRequest: (request: WorkerRequest, reply: (m: WorkerReply) => void, exit: (code: number) => void) => void): () => WorkerHandle {
  return () => {
    const listeners: ((m: unknown) => void)[] = [];
    const exits: ((code: number | null, signal: string | null) => void)[] = [];
    const reply = (m: WorkerReply) => setImmediate(() => listeners.forEach((l) => l(m)));
    const exit = (code: number) => setImmediate(() => exits.forEach((l) => l(code, null)));
    reply({ id: 0, kind: 'ready' });
    return {
      send: (message) => onRequest(message as WorkerRequest, reply, exit),
      onMessage: (l) => listeners.push(l),
      onExit: (l) => exits.push(l),
      kill: () => exits.forEach((l) => setImmediate(() => l(null, 'SIGKILL'))),
      residentBytes: () => undefined,
    };
  };
}

const files = [{ name: 'diplome-lea.jpg', bytes: new Uint8Array([0xff, 0xd8, 0xff]) }];

describe('engine failures in the log', () => {
  it('a worker that dies mid-request is logged with its exit code, not the file', async () => {
    const log = createLogBook();
    const engine = createEngine({ log, spawn: fakeWorker((_r, _reply, exit) => exit(134)) });
    await expect(engine.inspect(files)).rejects.toMatchObject({ code: 'document_too_complex' });
    expect(log.recent()).toEqual([expect.objectContaining({ level: 'warn', event: 'engine.worker_exit', exitCode: 134, requests: 1 })]);
    expect(JSON.stringify(log.recent())).not.toContain('diplome');
    await engine.close();
  });

  it('over time: logged as the time limit, and the kill that follows is not a second entry', async () => {
    const log = createLogBook();
    const engine = createEngine({ log, timeoutMs: 50, spawn: fakeWorker(() => undefined) });
    await expect(engine.inspect(files)).rejects.toMatchObject({ code: 'document_too_complex' });
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log.recent().map((e) => e.event)).toEqual(['engine.time_limit']);
    await engine.close();
  });

  it("forwards the worker's own reports, and logs nothing when it is closed on purpose", async () => {
    const log = createLogBook();
    const engine = createEngine({
      log,
      spawn: fakeWorker((request, reply) => {
        reply({ id: request.id, kind: 'log', level: 'error', event: 'engine.unexpected', fields: { op: request.op, code: 'internal_error', errorName: 'RangeError' } });
        reply({ id: request.id, kind: 'error', error: { code: 'internal_error', message: 'x' } });
      }),
    });
    await expect(engine.inspect(files)).rejects.toMatchObject({ code: 'internal_error' });
    await engine.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log.recent()).toEqual([
      expect.objectContaining({ level: 'error', event: 'engine.unexpected', op: 'inspect', code: 'internal_error', errorName: 'RangeError' }),
    ]);
  });

  it('the worker names a fault of its own by class, never by message, and a refusal not at all', async () => {
    const replies = async (request: unknown) => {
      const got: WorkerReply[] = [];
      await new Promise<void>((resolve) =>
        serve(request as WorkerRequest, (m) => {
          got.push(m);
          if (m.kind === 'error' || m.kind === 'result') resolve();
        }),
      );
      return got;
    };
    // A fault inside the engine (here a file that throws when read), its message quoting a path.
    const trap = {
      name: 'x.jpg',
      get bytes(): Uint8Array {
        throw new RangeError('/home/lea/diplome.pdf');
      },
    };
    const broken = await replies({ id: 7, op: 'inspect', files: [trap] });
    expect(broken.filter((m) => m.kind === 'log')).toEqual([
      { id: 7, kind: 'log', level: 'error', event: 'engine.unexpected', fields: { op: 'inspect', code: 'internal_error', errorName: 'RangeError' } },
    ]);
    expect(JSON.stringify(broken)).not.toContain('lea');
    expect(broken.at(-1)).toMatchObject({ kind: 'error', error: { code: 'internal_error' } });
    const refused = await replies({ id: 8, op: 'inspect', files: [{ name: 'vide.pdf', bytes: new Uint8Array() }] });
    expect(refused.filter((m) => m.kind === 'log')).toEqual([]);
    expect(refused.at(-1)).toMatchObject({ kind: 'error', error: { code: 'file_empty' } });
  });
});
