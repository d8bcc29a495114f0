/**
 * The engine's process: runs one request at a time and answers through IPC. Anything it
 * throws becomes a code and a French message; unknown errors never leak their text.
 */
import { toErrorInfo } from '../../../src-shared/errors';
import { inspect, normalise } from './core';
import { EXIT_OUT_OF_MEMORY, type WorkerReply, type WorkerRequest } from './protocol';

const limitMb = Number(process.env.ENGINE_MEMORY_LIMIT_MB) || 0;

// Where the parent cannot read this process's memory, the worker stops itself: native
// memory (libvips, WebAssembly) is not bounded by the JavaScript heap limit.
if (limitMb > 0) {
  setInterval(() => {
    if (process.memoryUsage.rss() > limitMb * 1024 * 1024) process.exit(EXIT_OUT_OF_MEMORY);
  }, 100).unref();
}

function reply(message: WorkerReply): void {
  process.send?.(message);
}

process.on('message', (message: WorkerRequest) => {
  const progress = (done: number, total: number) => reply({ id: message.id, kind: 'progress', done, total });
  const work = message.op === 'inspect' ? inspect(message.files, progress) : normalise(message.request, progress);
  work.then(
    (value) => reply({ id: message.id, kind: 'result', value }),
    (error: unknown) => reply({ id: message.id, kind: 'error', error: toErrorInfo(error) }),
  );
});

process.on('disconnect', () => process.exit(0));
