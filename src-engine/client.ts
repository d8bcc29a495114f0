/**
 * The engine as the app sees it: every request runs in a separate process with a memory and
 * a time limit. A request that exceeds them kills that process (the next request starts a
 * fresh one) and answers `document_too_complex`; the caller never hangs and never crashes.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { AppError, isErrorCode } from '../src-shared/errors';
import { errorFields, type LogFields } from '../src-shared/log';
import type { WorkerReply, WorkerRequest } from './protocol';
import { spawnWorker, type WorkerHandle } from './spawn';
import type { Engine, EngineInputFile, EngineOptions, NormalisedDocument, NormaliseRequest, PagePicture, PagePreview, PictureRequest, ProgressListener } from './types';

export const DEFAULT_MEMORY_LIMIT_MB = 1536;
export const DEFAULT_TIMEOUT_MS = 120_000;
const MEMORY_POLL_MS = 100;

/**
 * The bundled worker script: beside this module once built (or one folder up, from a chunk
 * of the command's split bundle), or in dist/ when run from sources.
 */
export function defaultWorkerScript(): string {
  const candidates = ['./engine-worker.js', '../engine-worker.js', '../normalise/engine-worker.js', '../dist/normalise/engine-worker.js'];
  for (const candidate of candidates) {
    const path = fileURLToPath(new URL(candidate, import.meta.url));
    if (existsSync(path)) return path;
  }
  throw new Error('engine worker script not found: run `npm run build:node`');
}

/** The whole buffers of the input files (a view on part of a shared pool cannot be moved). */
function transferables(message: WorkerRequest): ArrayBuffer[] {
  const files = message.op === 'inspect' ? message.files : message.op === 'picture' ? [message.request.file] : message.request.files;
  const seen = new Set<ArrayBuffer>();
  for (const { bytes } of files) {
    if (bytes.buffer instanceof ArrayBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength) seen.add(bytes.buffer);
  }
  return [...seen];
}

interface Pending {
  handle: WorkerHandle;
  resolve(value: unknown): void;
  reject(error: AppError): void;
  onProgress?: ProgressListener;
}

export function createEngine(options: EngineOptions = {}): Engine {
  const memoryLimitMb = options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  let worker: WorkerHandle | undefined;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  const log = options.log;

  /** Fails the requests of one worker (a late exit of a killed worker must not touch the next). */
  const failAll = (error: AppError, handle?: WorkerHandle) => {
    for (const [id, p] of pending) {
      if (handle && p.handle !== handle) continue;
      pending.delete(id);
      p.reject(error);
    }
  };

  const stopWorker = () => {
    const current = worker;
    worker = undefined;
    current?.kill();
  };

  const ensureWorker = (): WorkerHandle => {
    if (worker) return worker;
    const handle = (options.spawn ?? spawnWorker)({ script: options.workerScript ?? defaultWorkerScript(), memoryLimitMb, isolation: options.isolation });
    let ready = false;
    handle.onMessage((raw) => {
      const message = raw as WorkerReply;
      if (message.kind === 'ready') {
        ready = true;
        return;
      }
      if (message.kind === 'log') {
        log?.[message.level](message.event, message.fields);
        return;
      }
      const p = pending.get(message.id);
      if (!p) return;
      if (message.kind === 'progress') {
        try {
          p.onProgress?.(message.done, message.total);
        } catch {
          // A failing progress display must not break the work, nor the caller's process.
        }
      } else if (message.kind === 'result') {
        pending.delete(message.id);
        p.resolve(message.value);
      } else {
        pending.delete(message.id);
        const code = isErrorCode(message.error.code) ? message.error.code : 'internal_error';
        p.reject(new AppError(code, code === 'internal_error' ? undefined : message.error.message));
      }
    });
    handle.onExit((code, signal) => {
      const expected = worker !== handle || closed;
      if (worker === handle) worker = undefined;
      if (!expected)
        log?.[ready ? 'warn' : 'error'](ready ? 'engine.worker_exit' : 'engine.worker_not_started', {
          exitCode: code,
          signal,
          requests: [...pending.values()].filter((p) => p.handle === handle).length,
        });
      // A worker that dies mid-request ran out of memory or crashed on the file; one that
      // died before it was ready could not start at all (not the file's fault).
      failAll(new AppError(ready ? 'document_too_complex' : 'internal_error'), handle);
    });
    worker = handle;
    return handle;
  };

  const call = <T>(build: (id: number) => WorkerRequest, onProgress?: ProgressListener): Promise<T> => {
    const run = () =>
      new Promise<T>((resolve, reject) => {
        if (closed) {
          reject(new AppError('internal_error'));
          return;
        }
        let handle: WorkerHandle;
        try {
          handle = ensureWorker();
        } catch (error) {
          log?.error('engine.start_failed', errorFields(error));
          reject(new AppError('internal_error'));
          return;
        }
        const id = nextId++;
        const timers: { timer?: NodeJS.Timeout; watch?: NodeJS.Timeout } = {};
        const settle = () => {
          clearTimeout(timers.timer);
          clearInterval(timers.watch);
        };
        // Over time or over memory: this process is lost, the next request starts another.
        const stop = (event: string, fields: LogFields) => {
          if (!pending.has(id)) return;
          log?.warn(event, { code: 'document_too_complex', ...fields });
          pending.delete(id);
          settle();
          stopWorker();
          reject(new AppError('document_too_complex'));
        };
        timers.timer = setTimeout(() => stop('engine.time_limit', { ms: timeoutMs }), timeoutMs);
        timers.watch = setInterval(() => {
          const resident = handle.residentBytes();
          if (resident !== undefined && resident > memoryLimitMb * 1024 * 1024) stop('engine.memory_limit', { limitMb: memoryLimitMb });
        }, MEMORY_POLL_MS);
        pending.set(id, {
          handle,
          resolve: (value) => {
            settle();
            resolve(value as T);
          },
          reject: (error) => {
            settle();
            reject(error);
          },
          onProgress,
        });
        const message = build(id);
        try {
          handle.send(message, options.transferInputs ? transferables(message) : undefined);
        } catch (error) {
          log?.warn('engine.request_not_sent', errorFields(error));
          // Something in the request cannot be sent (not plain data): the request is malformed.
          pending.delete(id);
          settle();
          reject(new AppError('validation_failed'));
        }
      });
    const result = queue.then(run, run);
    queue = result.catch(() => undefined);
    return result;
  };

  // Started at once: the worker loads its libraries while the caller prepares its request.
  // A failure to start is reported by the first request instead.
  try {
    ensureWorker();
  } catch {
    worker = undefined;
  }

  return {
    inspect: (files: EngineInputFile[], onProgress?: ProgressListener) =>
      call<PagePreview[]>((id) => ({ id, op: 'inspect', files }), onProgress),
    normalise: (request: NormaliseRequest, onProgress?: ProgressListener) =>
      call<NormalisedDocument>((id) => ({ id, op: 'normalise', request }), onProgress),
    picture: (request: PictureRequest) => call<PagePicture>((id) => ({ id, op: 'picture', request })),
    close: async () => {
      closed = true;
      failAll(new AppError('internal_error'));
      stopWorker();
    },
  };
}
