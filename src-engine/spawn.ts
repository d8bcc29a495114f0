/**
 * The one place that starts the engine's worker. Two ways: a separate process (what the app
 * needs: a crash or a runaway decoder cannot touch it; Electron's utilityProcess can replace
 * fork here without touching the rest), or a thread of the calling process for the
 * `normalise` command, which is itself a process of its own per job and would otherwise pay
 * for starting Node twice. The client only needs send / message / exit / kill / memory.
 */
import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface WorkerHandle {
  /** `transfer`: buffers handed over without a copy where the transport allows it. */
  send(message: unknown, transfer?: ArrayBuffer[]): void;
  onMessage(listener: (message: unknown) => void): void;
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  kill(): void;
  /** Resident memory of the process (native memory included), when the platform tells. */
  residentBytes(): number | undefined;
}

export interface SpawnOptions {
  script: string;
  memoryLimitMb: number;
  /** 'process' (default) or 'thread'; with a thread, only the whole process is bounded. */
  isolation?: 'process' | 'thread';
}

/** Linux tells any process's resident size through /proc; elsewhere the worker watches itself. */
export function residentOf(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined;
  try {
    const pages = Number(readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ')[1]);
    return Number.isFinite(pages) ? pages * 4096 : undefined;
  } catch {
    return undefined;
  }
}

function spawnThread(options: SpawnOptions): WorkerHandle {
  const heapMb = Math.max(128, Math.floor(options.memoryLimitMb / 2));
  const worker = new Worker(options.script, {
    resourceLimits: { maxOldGenerationSizeMb: heapMb },
    env: { ...process.env, VIPS_WARNING: '0' },
    stdout: true,
    stderr: true,
  });
  return {
    send: (message, transfer) => worker.postMessage(message, transfer ?? []),
    onMessage: (listener) => worker.on('message', listener),
    onExit: (listener) => {
      worker.on('error', () => undefined);
      worker.on('exit', (code) => listener(code, null));
    },
    kill: () => {
      void worker.terminate();
    },
    // Native memory is the process's: the whole process is what is measured.
    residentBytes: () => process.memoryUsage.rss(),
  };
}

/**
 * How an engine process is started within a memory budget (the worker here, the command's
 * resident engine in resident/start.ts). The JavaScript heap gets a share of the budget;
 * libvips and WebAssembly memory are outside it and bounded by the resident-size watch (the
 * parent's on Linux, the process's own elsewhere: ENGINE_MEMORY_LIMIT_MB).
 */
export function processLimits(memoryLimitMb: number): { execArgv: string[]; env: NodeJS.ProcessEnv } {
  const heapMb = Math.max(128, Math.floor(memoryLimitMb / 2));
  return {
    execArgv: [`--max-old-space-size=${heapMb}`],
    env: { ...process.env, ENGINE_MEMORY_LIMIT_MB: String(memoryLimitMb), VIPS_WARNING: '0' },
  };
}

export function spawnWorker(options: SpawnOptions): WorkerHandle {
  if (options.isolation === 'thread') return spawnThread(options);
  const child = fork(options.script, [], {
    ...processLimits(options.memoryLimitMb),
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
  });
  return {
    send: (message) => {
      if (child.connected) child.send(message as object);
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => {
      // A process that cannot start or be signalled must not take the caller down with an
      // unhandled 'error' event: it counts as gone.
      child.on('error', () => listener(null, null));
      child.on('exit', listener);
    },
    kill: () => {
      child.kill('SIGKILL');
    },
    residentBytes: () => residentOf(child.pid),
  };
}
