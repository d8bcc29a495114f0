/**
 * The one place that starts the engine's separate process. Node's child_process.fork here;
 * Electron's utilityProcess can replace it in the app without touching the rest: the
 * engine client only needs send / message / exit / kill / memory.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface WorkerHandle {
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
  /** Resident memory of the process (native memory included), when the platform tells. */
  residentBytes(): number | undefined;
}

export interface SpawnOptions {
  script: string;
  memoryLimitMb: number;
}

/** Linux tells any process's resident size through /proc; elsewhere the worker watches itself. */
function residentOf(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ')[1]);
    return Number.isFinite(pages) ? pages * 4096 : undefined;
  } catch {
    return undefined;
  }
}

export function spawnWorker(options: SpawnOptions): WorkerHandle {
  // The JavaScript heap gets a share of the budget; libvips and WebAssembly memory are
  // outside it and bounded by the resident-size watch.
  const heapMb = Math.max(128, Math.floor(options.memoryLimitMb / 2));
  const child = fork(options.script, [], {
    execArgv: [`--max-old-space-size=${heapMb}`],
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    env: { ...process.env, ENGINE_MEMORY_LIMIT_MB: String(options.memoryLimitMb), VIPS_WARNING: '0' },
  });
  return {
    send: (message) => {
      if (child.connected) child.send(message as object);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => child.on('exit', listener),
    kill: () => {
      child.kill('SIGKILL');
    },
    residentBytes: () => residentOf(child.pid),
  };
}
