/**
 * What the engine does with one request, wherever it runs: a worker process, a worker thread,
 * or the caller's own thread (inline.ts). Anything thrown becomes a code and a French message;
 * unknown errors never leak their text.
 */
import { AppError, toErrorInfo } from '../src-shared/errors';
import { errorFields } from '../src-shared/log';
import { inspect, normalise, picture } from './core';
import type { WorkerReply, WorkerRequest } from './protocol';

export function serve(message: WorkerRequest, reply: (message: WorkerReply) => void): void {
  const progress = (done: number, total: number) => reply({ id: message.id, kind: 'progress', done, total });
  const work =
    message.op === 'inspect'
      ? inspect(message.files, progress)
      : message.op === 'picture'
        ? picture(message.request)
        : normalise(message.request, progress);
  work.then(
    (value) => reply({ id: message.id, kind: 'result', value }),
    (error: unknown) => {
      // A refusal (file_corrupt…) is the file's; anything else is a fault of the engine, and
      // only here is its class known: said to the log before the plain answer.
      if (!(error instanceof AppError))
        reply({ id: message.id, kind: 'log', level: 'error', event: 'engine.unexpected', fields: { op: message.op, ...errorFields(error) } });
      reply({ id: message.id, kind: 'error', error: toErrorInfo(error) });
    },
  );
}
