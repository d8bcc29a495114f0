/** Messages between the engine client and its worker process. Errors travel as code + message. */
import type { ErrorInfo } from '../src-shared/errors';
import type { LogFields } from '../src-shared/log';
import type { EngineInputFile, NormaliseRequest, PictureRequest } from './types';

export type WorkerRequest =
  | { id: number; op: 'inspect'; files: EngineInputFile[] }
  | { id: number; op: 'normalise'; request: NormaliseRequest }
  | { id: number; op: 'picture'; request: PictureRequest };

export type WorkerReply =
  /** Sent once when the worker is listening: a worker that dies before it was never working. */
  | { id: 0; kind: 'ready' }
  | { id: number; kind: 'progress'; done: number; total: number }
  | { id: number; kind: 'result'; value: unknown }
  | { id: number; kind: 'error'; error: ErrorInfo }
  /** A failure worth the help desk's log (the client logs it: the worker opens no file). */
  | { id: number; kind: 'log'; level: 'warn' | 'error'; event: string; fields: LogFields };

/** Exit code of a worker that stopped itself for using too much memory. */
export const EXIT_OUT_OF_MEMORY = 75;
