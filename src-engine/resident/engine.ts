/**
 * The resident engine: the `normalise` command's own bundle started once more in the
 * background (`--resident-engine`), serving the next commands' jobs on a local socket with
 * everything loaded and compiled, one job at a time, with serve.ts exactly as the command's
 * inline path does. It ends after an idle time, when a job failed inside the engine, and
 * when its command goes away mid-job (over a limit, or killed): that work cannot be
 * cancelled and must not go on.
 */
import { lstatSync, renameSync, unlinkSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { watchOwnMemory } from '../memory-watch';
import type { WorkerReply, WorkerRequest } from '../protocol';
import { serve } from '../serve';
import { findResident, type Hello } from './connect';
import { readFrames, writeFrame } from './frames';
import { warmUp } from './warm-up';

const CHECK_HELLO_MS = 2000;

export async function runResidentEngine(socketPath: string, idleMs: number): Promise<void> {
  watchOwnMemory();
  let busy = false;
  let idleTimer: NodeJS.Timeout | undefined;
  /** The socket's inode once it carries the shared name. */
  const own: { inode?: number } = {};

  /** Removes the socket only if it is still ours (a newer engine may have taken the name). */
  const leave = (code: number): never => {
    try {
      if (own.inode !== undefined && lstatSync(socketPath).ino === own.inode)
        unlinkSync(socketPath);
    } catch {
      // Already gone.
    }
    process.exit(code);
  };
  const armIdle = () => {
    clearTimeout(idleTimer);
    idleTimer = setTimeout(() => leave(0), idleMs);
  };

  const server = createServer((socket: Socket) => {
    const hello = (free: boolean): Hello => ({ kind: 'hello', pid: process.pid, free });
    const send = (message: unknown) => writeFrame(socket, message);
    socket.on('error', () => undefined);
    if (busy) {
      send(hello(false));
      socket.end();
      return;
    }
    busy = true;
    clearTimeout(idleTimer);
    send(hello(true));
    send({ id: 0, kind: 'ready' } satisfies WorkerReply);
    const inFlight = new Set<number>();
    readFrames(socket, (raw) => {
      const request = raw as WorkerRequest;
      inFlight.add(request.id);
      serve(request, (reply) => {
        send(reply);
        if (reply.kind !== 'result' && reply.kind !== 'error') return;
        inFlight.delete(reply.id);
        // A fault of the engine may have left it in a bad state: the next job starts afresh.
        if (reply.kind === 'error' && reply.error.code === 'internal_error')
          socket.end(() => leave(1));
      });
    });
    // Its command is gone as soon as its end arrives (before the socket is fully closed), so
    // a command starting right after it finds the engine free.
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      if (inFlight.size > 0) leave(1);
      busy = false;
      armIdle();
    };
    socket.on('end', release);
    socket.on('close', release);
  });

  // Listening under a name of its own, then renamed over the shared name in one step: a
  // stale socket left by a killed engine is replaced, never unlinked under a live one.
  const ownPath = `${socketPath}.${process.pid}`;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(ownPath, resolve);
  });
  const other = await findResident(socketPath, CHECK_HELLO_MS);
  if (other.kind !== 'absent') {
    // Another engine of this build got there first (two commands at once).
    if (other.kind === 'free') other.handle.kill();
    server.close();
    try {
      unlinkSync(ownPath);
    } catch {
      // Removed by close already.
    }
    process.exit(0);
  }
  // Busy with its warm-up meanwhile: a command arriving now does its job itself.
  busy = true;
  renameSync(ownPath, socketPath);
  own.inode = lstatSync(socketPath).ino;
  process.on('SIGTERM', () => leave(0));
  process.on('SIGINT', () => leave(0));
  warmUp().then(
    () => {
      busy = false;
      armIdle();
    },
    // The engine cannot do its work here: the commands do theirs alone.
    () => leave(1),
  );
}
