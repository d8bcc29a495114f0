/**
 * The engine's process (or thread): runs one request at a time and answers through IPC.
 */
import { isMainThread, parentPort } from 'node:worker_threads';
import { watchOwnMemory } from './memory-watch';
import type { WorkerReply, WorkerRequest } from './protocol';
import { loadSharp } from './sharp';
import { serve } from './serve';

// As a thread, the calling process watches its own memory.
if (isMainThread) watchOwnMemory();

/** Electron's utilityProcess gives its child a `process.parentPort` (messages in `event.data`). */
interface ElectronParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
}
const electronPort = (process as unknown as { parentPort?: ElectronParentPort }).parentPort;

function reply(message: WorkerReply): void {
  if (electronPort) {
    electronPort.postMessage(message);
  } else if (parentPort) {
    // A thread hands its result over without copying it (the file may be megabytes).
    const bytes = message.kind === 'result' ? (message.value as { bytes?: unknown }).bytes : undefined;
    const transfer = bytes instanceof Uint8Array && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? [bytes.buffer] : [];
    parentPort.postMessage(message, transfer);
  } else {
    process.send?.(message);
  }
}

function handle(message: WorkerRequest): void {
  busy = true;
  serve(message, reply);
}

reply({ id: 0, kind: 'ready' });

if (electronPort) {
  electronPort.on('message', (event) => handle(event.data as WorkerRequest));
} else if (parentPort) {
  parentPort.on('message', handle);
} else {
  process.on('message', handle);
  process.on('disconnect', () => process.exit(0));
}

// Loading libvips takes a good part of a photo's time: a worker left idle (the app starts
// it ahead) loads it meanwhile. Not at once: a request that is already on its way and needs
// only pdf-lib (JPEG pages into a PDF) would wait for it on this single thread.
let busy = false;
setTimeout(() => {
  if (!busy) void loadSharp();
}, 300).unref();
