/**
 * The engine on the caller's own thread, for the `normalise` command when every input is a
 * picture that libvips decodes. That work runs on libvips' threads, so the caller's timers
 * (the time limit, the memory watch) still fire, and the command saves starting a second V8
 * and loading the engine twice: about a sixth of a phone photo's time. Inputs decoded in
 * JavaScript or WebAssembly (PDF, HEIC, BMP) could hold the thread past the time limit: they
 * still go to a worker thread.
 */
import { toErrorInfo } from '../src-shared/errors';
import { errorFields } from '../src-shared/log';
import type { WorkerReply, WorkerRequest } from './protocol';
import { acceptedKind, type InputKind } from './sniff';
import type { WorkerHandle } from './spawn';
import type { EngineInputFile } from './types';

const DECODED_BY_LIBVIPS: ReadonlySet<InputKind> = new Set(['jpeg', 'png', 'webp', 'tiff', 'gif', 'avif']);

/** True when every file's signature is a kind libvips decodes on its own threads. */
export function canRunInline(files: EngineInputFile[]): boolean {
  return files.every((file) => {
    const kind = acceptedKind(file.bytes);
    return kind !== undefined && DECODED_BY_LIBVIPS.has(kind);
  });
}

/**
 * A WorkerHandle whose "worker" is this thread. Killing it drops the answers of the work in
 * flight; the work itself ends with the command, which exits on any refusal.
 */
export function spawnInline(): WorkerHandle {
  const messageListeners: Array<(message: unknown) => void> = [];
  const exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
  let alive = true;
  const deliver = (message: WorkerReply) => {
    // Asynchronous like any other transport: a reply never runs inside the caller's send().
    setImmediate(() => {
      if (alive) for (const listener of messageListeners) listener(message);
    });
  };
  deliver({ id: 0, kind: 'ready' });
  return {
    // The engine itself is loaded with the first request: a command whose job goes to the
    // resident engine never compiles it (the command's bundle is split there).
    send: (message) => {
      const request = message as WorkerRequest;
      import('./serve').then(
        ({ serve }) => serve(request, deliver),
        (error: unknown) => {
          deliver({ id: request.id, kind: 'log', level: 'error', event: 'engine.unexpected', fields: { op: request.op, ...errorFields(error) } });
          deliver({ id: request.id, kind: 'error', error: toErrorInfo(error) });
        },
      );
    },
    onMessage: (listener) => messageListeners.push(listener),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => {
      if (!alive) return;
      alive = false;
      setImmediate(() => {
        for (const listener of exitListeners) listener(null, 'SIGKILL');
      });
    },
    residentBytes: () => process.memoryUsage.rss(),
  };
}
