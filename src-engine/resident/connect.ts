/**
 * The command's side of the socket: asks the resident engine whether it is free and, if so,
 * hands the client (client.ts) a WorkerHandle over the socket, so the time limit, the memory
 * watch and the answers work exactly as with a worker process.
 */
import { connect } from 'node:net';
import { residentOf, type WorkerHandle } from '../spawn';
import { readFrames, writeFrame } from './frames';

/** The resident engine's first message on each connection. */
export interface Hello {
  kind: 'hello';
  pid: number;
  /** False while it serves another command: this one does its job itself. */
  free: boolean;
}

export type Found =
  | { kind: 'free'; pid: number; handle: WorkerHandle }
  /** Something answers but cannot take the job now: nothing to start either. */
  | { kind: 'busy'; pid?: number }
  /** Nobody listens: the command may start one for the next command. */
  | { kind: 'absent' };

const isHello = (message: unknown): message is Hello =>
  typeof message === 'object' &&
  message !== null &&
  (message as Hello).kind === 'hello' &&
  Number.isSafeInteger((message as Hello).pid);

/**
 * An engine that does not say hello within `helloMs` (its one thread held by a job's
 * synchronous part, or stuck) is left alone: the command does not wait on it.
 */
export function findResident(socketPath: string, helloMs: number): Promise<Found> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const messageListeners: Array<(message: unknown) => void> = [];
    const exitListeners: Array<(code: number | null, signal: string | null) => void> = [];
    // Answers that arrive before the client listens (its 'ready') wait for it.
    const early: unknown[] = [];
    let hello: Hello | undefined;
    let gone = false;

    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ kind: 'busy' });
    }, helloMs);
    const end = (signal: string | null) => {
      if (gone) return;
      gone = true;
      clearTimeout(timer);
      // Resolved already if it said hello or timed out; otherwise nobody was there.
      resolve({ kind: 'absent' });
      for (const listener of exitListeners) listener(null, signal);
    };

    const handle: WorkerHandle = {
      send: (message) => {
        if (gone) return;
        writeFrame(socket, message);
      },
      onMessage: (listener) => {
        messageListeners.push(listener);
        for (const message of early.splice(0)) listener(message);
      },
      onExit: (listener) => exitListeners.push(listener),
      // Over a limit: the connection is cut, and the resident engine ends itself (work that
      // cannot be cancelled must not go on there).
      kill: () => {
        if (gone) return;
        socket.destroy();
        setImmediate(() => end('SIGKILL'));
      },
      residentBytes: () => residentOf(hello?.pid),
    };

    socket.on('error', () => undefined);
    socket.on('close', () => end(null));
    readFrames(socket, (message) => {
      if (hello) {
        if (messageListeners.length === 0) early.push(message);
        for (const listener of messageListeners) listener(message);
        return;
      }
      clearTimeout(timer);
      if (!isHello(message)) {
        socket.destroy();
        resolve({ kind: 'busy' });
        return;
      }
      hello = message;
      if (!message.free) {
        socket.destroy();
        resolve({ kind: 'busy', pid: message.pid });
        return;
      }
      resolve({ kind: 'free', pid: message.pid, handle });
    });
  });
}
